package org.gatehouse.gate.internal.rest;

import java.util.Set;

import org.gatehouse.api.model.Device;
import org.gatehouse.api.model.SubjectType;
import org.gatehouse.api.service.DeviceRepository;
import org.gatehouse.api.service.DoorCommands;
import org.gatehouse.api.service.NotFoundException;
import org.gatehouse.core.api.AuditTrail;
import org.gatehouse.core.api.AuditTrails;
import org.gatehouse.core.api.Caller;
import org.gatehouse.core.api.RestResource;
import org.gatehouse.core.api.RestResponse;
import org.gatehouse.core.api.RestRoutes;
import org.gatehouse.core.api.Roles;
import org.gatehouse.gate.internal.DeviceOverview;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code GET /api/gate/devices?community=}: the device list with door adapter, online state and whitelist sync; and
 * {@code POST /api/gate/devices/{id}/open}, a door opened by staff, audited before the door moves.
 */
@Component(service = RestResource.class)
public class DeviceOverviewResource implements RestResource {
    private final DeviceOverview overview;
    private final DoorCommands doors;
    private final DeviceRepository devices;
    private final AuditTrail audit;

    /** A door opened from the office or the guard room: why, in a few words (kept with the passage). */
    public record StaffOpen(String reason) {
    }

    @Activate
    public DeviceOverviewResource(@Reference DeviceOverview overview, @Reference DoorCommands doors,
                                  @Reference DeviceRepository devices, @Reference AuditTrails trails) {
        this.overview = overview;
        this.doors = doors;
        this.devices = devices;
        this.audit = trails.of("gate");
    }

    @Override
    public String tag() {
        return "gate";
    }

    @Override
    public void routes(RestRoutes routes) {
        routes.get("/gate/devices", Roles.STAFF, "Devices of the caller's communities (?community): door, direction, "
                + "kind, door adapter, online state (on this node) and, for terminals that keep their own whitelist, "
                + "its sync state and lag", DeviceOverview.Line[].class,
                r -> overview.lines(r.caller().scope(), r.query("community").filter(s -> !s.isBlank()).orElse(null)));
        routes.post("/gate/devices/{id}/open", Set.of(Roles.CITY_ADMIN, Roles.COMMUNITY_OFFICE, Roles.PROPERTY),
                "Open a door from the office or the guard room (远程开门) with a reason (required, at most 200 "
                        + "characters): audited (gate.staff-open: who, device, door, reason) before the door is told, "
                        + "and not opened when that fails; sent through the device's door adapter and recorded as a "
                        + "passage (reason STAFF_OPEN naming who and why) → 202 {passageId, opened, adapter, reason}",
                StaffOpen.class, DoorCommands.Outcome.class,
                r -> RestResponse.accepted(staffOpen(r.caller(), r.path("id"), r.body(StaffOpen.class))));
    }

    /**
     * Opens the door for staff. The passage alone is not enough to account for it: retention deletes passages, and a
     * door opened by hand bypasses every rule of the gate. So the audit log (kept, hash-chained) gets who, which
     * device and door, and why, before the door is told; an audit log that cannot write stops the open (the error is
     * the answer), so no staff open goes unaudited.
     */
    private DoorCommands.Outcome staffOpen(Caller caller, String deviceId, StaffOpen body) {
        String reason = body == null || body.reason() == null ? "" : body.reason().strip();
        if (reason.isEmpty()) {
            throw new IllegalArgumentException("reason is required");
        }
        if (reason.length() > 200) {
            throw new IllegalArgumentException("reason must be at most 200 characters");
        }
        Device device = devices.device(caller.scope(), deviceId)
                .orElseThrow(() -> new NotFoundException("device", deviceId));
        String door = device.buildingId() == null ? "community gate" : "unit door of building " + device.buildingId();
        audit.record(caller.name(), "gate.staff-open", device.communityId(), device.id(), "gate " + device.gate()
                + " (" + door + "), reason: " + reason.replaceAll("\\p{Cntrl}", " "));
        // the detail is key=value;… : the reason keeps its words, not the separators
        String clean = reason.replaceAll("[;=\\p{Cntrl}]", " ");
        return doors.open(caller.scope(), device.id(), new DoorCommands.Order(caller.name(), SubjectType.UNKNOWN, null,
                "STAFF_OPEN", "by=" + caller.name() + ";reason=" + clean));
    }
}

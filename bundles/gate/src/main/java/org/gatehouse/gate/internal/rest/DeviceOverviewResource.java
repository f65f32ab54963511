package org.gatehouse.gate.internal.rest;

import java.util.Set;

import org.gatehouse.api.model.SubjectType;
import org.gatehouse.api.service.DoorCommands;
import org.gatehouse.core.api.RestResource;
import org.gatehouse.core.api.RestResponse;
import org.gatehouse.core.api.RestRoutes;
import org.gatehouse.core.api.Roles;
import org.gatehouse.gate.internal.DeviceOverview;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code GET /api/gate/devices?community=}: the device list with door adapter, online state and whitelist sync. */
@Component(service = RestResource.class)
public class DeviceOverviewResource implements RestResource {
    private final DeviceOverview overview;
    private final DoorCommands doors;

    /** A door opened from the office or the guard room: why, in a few words (kept with the passage). */
    public record StaffOpen(String reason) {
    }

    @Activate
    public DeviceOverviewResource(@Reference DeviceOverview overview, @Reference DoorCommands doors) {
        this.overview = overview;
        this.doors = doors;
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
                        + "characters): sent through the device's door adapter and recorded as a passage (reason "
                        + "STAFF_OPEN naming who and why) → 202 {passageId, opened, adapter, reason}",
                StaffOpen.class, DoorCommands.Outcome.class, r -> {
                    StaffOpen body = r.body(StaffOpen.class);
                    String reason = body.reason() == null ? "" : body.reason().strip();
                    if (reason.isEmpty()) {
                        throw new IllegalArgumentException("reason is required");
                    }
                    if (reason.length() > 200) {
                        throw new IllegalArgumentException("reason must be at most 200 characters");
                    }
                    // the detail is key=value;… : the reason keeps its words, not the separators
                    String clean = reason.replaceAll("[;=\\p{Cntrl}]", " ");
                    return RestResponse.accepted(doors.open(r.caller().scope(), r.path("id"), new DoorCommands.Order(
                            r.caller().name(), SubjectType.UNKNOWN, null, "STAFF_OPEN",
                            "by=" + r.caller().name() + ";reason=" + clean)));
                });
    }
}

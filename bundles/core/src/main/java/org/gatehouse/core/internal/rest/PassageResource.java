package org.gatehouse.core.internal.rest;

import java.time.Instant;

import org.gatehouse.api.model.AccessDecision;
import org.gatehouse.api.model.CredentialKind;
import org.gatehouse.api.model.Device;
import org.gatehouse.api.model.Direction;
import org.gatehouse.api.model.PassageEvent;
import org.gatehouse.api.model.SubjectType;
import org.gatehouse.api.service.DeviceRepository;
import org.gatehouse.api.service.NotFoundException;
import org.gatehouse.api.service.PassageRecorder;
import org.gatehouse.api.service.PassageRepository;
import org.gatehouse.api.service.Scope;
import org.gatehouse.api.service.StoreUnavailableException;
import org.gatehouse.core.api.Caller;
import org.gatehouse.core.api.RestResource;
import org.gatehouse.core.api.RestResponse;
import org.gatehouse.core.api.RestRoutes;
import org.gatehouse.core.api.Roles;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code POST /api/passages}: a terminal reports a passage it decided (offline mode) — stored, or kept
 * in the journal while the database is down (202 either way, nothing lost). {@code GET} lists them.
 */
@Component(service = RestResource.class)
public class PassageResource implements RestResource {
    /** A passage as a terminal reports it; {@code deviceId} may be left out by a device token caller. */
    public record PassageReport(String id, String deviceId, Instant occurredAt, Direction direction,
                                SubjectType subjectType, String subjectId, CredentialKind credentialKind,
                                AccessDecision decision) {
    }

    public record Recorded(String id, PassageRecorder.Outcome outcome) {
    }

    private final PassageRecorder recorder;
    private final PassageRepository passages;
    private final DeviceRepository devices;

    @Activate
    public PassageResource(@Reference PassageRecorder recorder, @Reference PassageRepository passages,
                           @Reference DeviceRepository devices) {
        this.recorder = recorder;
        this.passages = passages;
        this.devices = devices;
    }

    @Override
    public String tag() {
        return "passages";
    }

    @Override
    public void routes(RestRoutes routes) {
        routes.post("/passages", java.util.Set.of(Roles.DEVICE, Roles.CITY_ADMIN), "Report a passage (never lost)",
                PassageReport.class, Recorded.class, r -> {
                    PassageReport report = r.body(PassageReport.class);
                    PassageEvent event = toEvent(r.caller(), report);
                    PassageRecorder.Outcome outcome = recorder.record(event);
                    return new RestResponse(outcome == PassageRecorder.Outcome.STORED ? 201 : 202,
                            new Recorded(event.id(), outcome));
                });
        routes.get("/passages", Roles.STAFF, "Passages of a community, newest first (communityId, from, to, limit)",
                PassageEvent[].class, r -> {
                    String community = r.query("communityId")
                            .orElseThrow(() -> new IllegalArgumentException("communityId is required"));
                    return passages.passages(r.caller().scope(), community, QueryParams.instant(r.query("from").orElse(null), "from"),
                            QueryParams.instant(r.query("to").orElse(null), "to"), r.queryInt("limit", 100, 1, 1000));
                });
        routes.get("/passages/counts", Roles.STAFF, "Passages of a community counted per hour or day: let in, let out,"
                + " denied (communityId, from, to, unit HOURS|DAYS, zone e.g. Asia/Shanghai)",
                PassageRepository.Count[].class, r -> {
                    String community = r.query("communityId")
                            .orElseThrow(() -> new IllegalArgumentException("communityId is required"));
                    String unit = r.query("unit").orElse("HOURS").trim().toUpperCase(java.util.Locale.ROOT);
                    if (!unit.equals("HOURS") && !unit.equals("DAYS")) {
                        throw new IllegalArgumentException("unit must be HOURS or DAYS");
                    }
                    java.time.ZoneId zone;
                    try {
                        zone = java.time.ZoneId.of(r.query("zone").orElse("Asia/Shanghai").trim());
                    } catch (java.time.DateTimeException e) {
                        throw new IllegalArgumentException("zone must be a time zone id, e.g. Asia/Shanghai");
                    }
                    return passages.counts(r.caller().scope(), community,
                            QueryParams.instant(r.query("from").orElse(null), "from"),
                            QueryParams.instant(r.query("to").orElse(null), "to"), zone,
                            java.time.temporal.ChronoUnit.valueOf(unit));
                });
        routes.get("/passages/{id}", Roles.STAFF, "One passage", PassageEvent.class,
                r -> passages.passage(r.caller().scope(), r.path("id"))
                        .orElseThrow(() -> new NotFoundException("passage", r.path("id"))));
    }

    /**
     * The device fixes community and direction. A device caller reports for itself; when the database is
     * down a device's own identity (from its token, checked earlier) is enough to journal the passage.
     */
    private PassageEvent toEvent(Caller caller, PassageReport report) {
        String deviceId = report.deviceId();
        if (caller.hasRole(Roles.DEVICE)) {
            String self = caller.name().substring("device:".length());
            if (deviceId != null && !deviceId.equals(self)) {
                throw new IllegalArgumentException("deviceId must be the calling device or left out");
            }
            deviceId = self;
        }
        if (deviceId == null) {
            throw new IllegalArgumentException("deviceId is required");
        }
        Device device;
        try {
            String id = deviceId;
            device = devices.device(caller.hasRole(Roles.DEVICE) ? Scope.all() : caller.scope(), deviceId)
                    .orElseThrow(() -> new NotFoundException("device", id));
        } catch (StoreUnavailableException down) {
            if (!caller.hasRole(Roles.DEVICE)) {
                throw down;
            }
            String community = caller.scope().communityIds().iterator().next();
            return new PassageEvent(report.id(), community, deviceId, report.occurredAt(),
                    report.direction() == null ? Direction.IN : report.direction(), report.subjectType(),
                    report.subjectId(), report.credentialKind(), report.decision());
        }
        Direction direction = report.direction() != null ? report.direction()
                : device.direction() == Direction.BOTH ? Direction.IN : device.direction();
        return new PassageEvent(report.id(), device.communityId(), device.id(), report.occurredAt(), direction,
                report.subjectType(), report.subjectId(), report.credentialKind(), report.decision());
    }
}

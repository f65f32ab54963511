package org.gatehouse.visitor.internal.rest;

import java.time.Instant;
import java.util.Set;

import org.gatehouse.api.model.VisitLogEntry;
import org.gatehouse.api.model.Visitor;
import org.gatehouse.api.model.VisitorStatus;
import org.gatehouse.core.api.RestException;
import org.gatehouse.core.api.RestRequest;
import org.gatehouse.core.api.RestResource;
import org.gatehouse.core.api.RestResponse;
import org.gatehouse.core.api.RestRoutes;
import org.gatehouse.core.api.Roles;
import org.gatehouse.visitor.api.PassCheck;
import org.gatehouse.visitor.internal.Passes;
import org.gatehouse.visitor.internal.Passes.IssuedPass;
import org.gatehouse.visitor.internal.Passes.PassInput;
import org.gatehouse.visitor.internal.Passes.PassView;
import org.gatehouse.visitor.internal.RemoteOpen;
import org.gatehouse.visitor.internal.RemoteOpen.OpenCommand;
import org.gatehouse.visitor.internal.Visits;
import org.gatehouse.visitor.internal.Visits.VisitorInput;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Visitor registration, approval, passes, faces, the visitor log, pass checks by gates and one-click open. */
@Component(service = RestResource.class)
public class VisitorResource implements RestResource {
    static final int MAX_UPLOAD_BYTES = 16 * 1024 * 1024;
    /** Who registers: the office, a resident (own household) or a gate terminal. */
    static final Set<String> REGISTER = Set.of(Roles.CITY_ADMIN, Roles.COMMUNITY_OFFICE, Roles.RESIDENT,
            Roles.DEVICE);
    /** Who decides and issues passes: the office or the host resident. */
    static final Set<String> HOST = Set.of(Roles.CITY_ADMIN, Roles.COMMUNITY_OFFICE, Roles.RESIDENT);
    static final Set<String> READ = Set.of(Roles.CITY_ADMIN, Roles.COMMUNITY_OFFICE, Roles.POLICE);
    static final Set<String> VIEW = Set.of(Roles.CITY_ADMIN, Roles.COMMUNITY_OFFICE, Roles.POLICE,
            Roles.RESIDENT);

    public record CheckRequest(String code, String gate) {
    }

    private final Visits visits;
    private final Passes passes;
    private final RemoteOpen remoteOpen;

    @Activate
    public VisitorResource(@Reference Visits visits, @Reference Passes passes, @Reference RemoteOpen remoteOpen) {
        this.visits = visits;
        this.passes = passes;
        this.remoteOpen = remoteOpen;
    }

    @Override
    public String tag() {
        return "visitor";
    }

    static Instant instant(RestRequest r, String name) {
        String raw = r.query(name).orElse(null);
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(raw.trim());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(name + " must be an ISO instant, e.g. 2026-01-01T00:00:00Z");
        }
    }

    @Override
    public void routes(RestRoutes routes) {
        routes.post("/visitors", REGISTER, "Register a visitor {name, phone?, idCard? (stored as keyed hash), "
                + "hostHouseholdId, purpose?, expectedFrom, expectedUntil, preApproved? (office only)}",
                VisitorInput.class, Visitor.class,
                r -> RestResponse.created(visits.register(r.caller(), r.body(VisitorInput.class))));
        routes.get("/visitors/{id}", VIEW, "One visitor (host resident, office, police)", Visitor.class,
                r -> visits.visitor(r.caller(), r.path("id")));
        routes.get("/communities/{id}/visitors", READ, "Visitors of a community, newest first (?status, ?limit)",
                Visitor[].class, r -> {
                    VisitorStatus status = r.query("status").filter(s -> !s.isBlank())
                            .map(s -> VisitorStatus.valueOf(s.trim())).orElse(null);
                    return visits.visitors(r.caller(), r.path("id"), status, r.queryInt("limit", 100, 1, 1000));
                });
        routes.post("/visitors/{id}/approve", HOST, "The host household approves a waiting visitor", null,
                Visitor.class, r -> visits.decide(r.caller(), r.path("id"), true));
        routes.post("/visitors/{id}/reject", HOST, "The host household rejects a waiting visitor (face forgotten)",
                null, Visitor.class, r -> visits.decide(r.caller(), r.path("id"), false));
        routes.post("/visitors/{id}/close", HOST, "End a visit: passes revoked, face forgotten", null,
                Visitor.class, r -> visits.close(r.caller(), r.path("id")));
        routes.post("/visitors/{id}/passes", HOST, "Issue a temporary pass {validFrom?, validUntil?, maxUses?, "
                + "gates?} to an approved visitor; the code and QR payload are returned once", PassInput.class,
                IssuedPass.class, r -> RestResponse.created(passes.issuePass(r.caller(),
                        r.path("id"), r.body(PassInput.class))));
        routes.get("/visitors/{id}/passes", VIEW, "Passes of a visitor (never the code)", PassView[].class,
                r -> passes.passes(r.caller(), r.path("id")));
        routes.post("/visitors/{vid}/passes/{id}/revoke", HOST, "Revoke a pass (the visitor's face is forgotten)",
                null, PassView.class, r -> passes.revokePass(r.caller(), r.path("vid"),
                        r.path("id")));
        routes.post("/visitors/{id}/face", REGISTER, "Capture the visitor's face for the gate (multipart 'image', "
                + "?consent=true required); forgotten when the visit ends", null, Object.class, r -> {
                    boolean consent = r.query("consent").map(s -> s.trim().equalsIgnoreCase("true")).orElse(false);
                    byte[] image = r.partBytes("image", MAX_UPLOAD_BYTES);
                    var e = visits.enrollFace(r.caller(), r.path("id"), image, consent);
                    return RestResponse.created(java.util.Map.of("templateId", e.templateId(), "visitorId",
                            e.subjectId(), "modelId", e.modelId()));
                });
        routes.get("/communities/{id}/visit-log", READ, "The visitor log: who registered, who approved, which "
                + "gate, when (?from, ?to ISO instants; ?limit)", VisitLogEntry[].class, r -> visits.visitLog(r.caller(), r.path("id"), instant(r, "from"), instant(r, "to"),
                        r.queryInt("limit", 200, 1, 5000)));
        routes.post("/communities/{id}/pass-check", Set.of(Roles.DEVICE, Roles.CITY_ADMIN, Roles.COMMUNITY_OFFICE),
                "A gate checks a pass code or QR payload {code, gate?}; an opening check uses the pass. A terminal "
                + "checks at its own gate (another gate: 403 GATE_MISMATCH); staff name the gate",
                CheckRequest.class, PassCheck.class, r -> {
                    CheckRequest body = r.body(CheckRequest.class);
                    if (body == null) {
                        throw new RestException(400, "BAD_REQUEST", "a body {code, gate} is required");
                    }
                    return passes.check(r.caller(), r.path("id"), body.code(), body.gate());
                });
        routes.post("/gates/{deviceId}/open", Set.of(Roles.RESIDENT), "One-click open (一键开门) by a "
                + "resident: gates of the household's building, or compound gates of its community (?householdId "
                + "when the caller has several) → 202 {deviceId, gate, command, door (OPENED | FAILED | NOT_SENT: no "
                + "gate module), reason, passageId}", null, OpenCommand.class,
                r -> RestResponse.accepted(remoteOpen.open(r.caller(), r.path("deviceId"),
                        r.query("householdId").orElse(null))));
    }
}

package org.gatehouse.gate.internal.rest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import org.gatehouse.core.api.AuditTrail;
import org.gatehouse.core.api.AuditTrails;
import org.gatehouse.core.api.RestRequest;
import org.gatehouse.core.api.RestResource;
import org.gatehouse.core.api.RestResponse;
import org.gatehouse.core.api.RestRoutes;
import org.gatehouse.core.api.Roles;
import org.gatehouse.api.model.Device;
import org.gatehouse.api.service.DeviceRepository;
import org.gatehouse.api.service.NotFoundException;
import org.gatehouse.api.service.Scope;
import org.gatehouse.gate.api.CaptureRequest;
import org.gatehouse.gate.api.CredentialRequest;
import org.gatehouse.gate.api.GateDecision;
import org.gatehouse.gate.api.GateDecisions;
import org.gatehouse.gate.api.PresentedKind;
import org.gatehouse.gate.api.Readings;
import org.gatehouse.gate.internal.DeviceLiveness;
import org.gatehouse.gate.internal.GateConfig;
import org.gatehouse.gate.internal.GateTimings;
import org.gatehouse.gate.internal.Messages;
import org.gatehouse.gate.internal.PassageExplainer;
import org.gatehouse.gate.internal.ReadingsParser;
import org.gatehouse.recognition.api.StageTimes;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * The generic HTTP terminal: {@code POST /api/devices/{id}/captures} (multipart: {@code frame} JPEG, optional
 * {@code readings} JSON and {@code requestId}), {@code POST /api/devices/{id}/credentials} (JSON),
 * {@code POST /api/devices/{id}/heartbeat}, each with the device's bearer token; the path's device must be the token's
 * (else 403 {@code DEVICE_MISMATCH}, audited). Each device has its own rate limit (429 {@code RATE_LIMITED}). And
 * {@code GET /api/passages/{id}/explanation} for staff.
 */
@Component(service = RestResource.class, configurationPid = GateConfig.PID)
public class HttpTerminalResource implements RestResource {
    /** The body of {@code POST /api/devices/{id}/credentials} (for the API document; read strictly by hand). */
    public record CredentialBody(PresentedKind kind, String value, String residentId, String requestId,
                                 ReadingsBody readings) {
    }

    /** Readings as JSON: {@code idCardPhoto} in base64. */
    public record ReadingsBody(Double temperatureCelsius, Boolean maskOn, String idCardPhoto) {
    }

    public record Heartbeat(String deviceId, boolean online) {
    }

    private final GateDecisions decisions;
    private final DeviceRepository devices;
    private final DeviceLiveness liveness;
    private final PassageExplainer explainer;
    private final AuditTrail audit;
    private final TerminalGuard guard;
    private final int maxFrameBytes;
    /** Where each face decision's time went (optional: without it nothing is timed). */
    private volatile GateTimings timings;

    @Activate
    public HttpTerminalResource(@Reference GateDecisions decisions, @Reference DeviceRepository devices,
                                @Reference DeviceLiveness liveness, @Reference PassageExplainer explainer,
                                @Reference AuditTrails trails, GateConfig config) {
        this.decisions = decisions;
        this.devices = devices;
        this.liveness = liveness;
        this.explainer = explainer;
        this.audit = trails.of("gate");
        this.guard = new TerminalGuard(config.deviceRatePerSecond(), config.deviceBurst(), audit);
        this.maxFrameBytes = config.maxFrameBytes();
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, unbind = "removeTimings")
    void setTimings(GateTimings timings) {
        this.timings = timings;
    }

    void removeTimings(GateTimings timings) {
        if (this.timings == timings) {
            this.timings = null;
        }
    }

    @Override
    public String tag() {
        return "gate";
    }

    @Override
    public void routes(RestRoutes routes) {
        Set<String> device = Set.of(Roles.DEVICE);
        routes.post("/devices/{id}/captures", device, "A terminal's capture (multipart: frame JPEG, readings JSON, "
                        + "requestId) decided: open or deny with every reason", null, GateDecision.class, r -> {
                    GateTimings timings = this.timings;
                    StageTimes times = timings == null ? null : new StageTimes();
                    StageTimes before = StageTimes.attach(times);
                    try {
                        String id = guard.admit(r);
                        byte[] frame = r.partBytes("frame", maxFrameBytes);
                        Readings readings = ReadingsParser.parse(text(r, "readings"));
                        String requestId = Optional.ofNullable(text(r, "requestId")).or(() -> r.query("requestId"))
                                .orElse(null);
                        GateDecision decision = decisions.decideCapture(new CaptureRequest(id, frame, readings,
                                requestId));
                        if (times != null) {
                            times.finish(StageTimes.Stage.ANSWER);
                            timings.record(times);
                        }
                        return decision;
                    } finally {
                        StageTimes.attach(before);
                    }
                });
        routes.post("/devices/{id}/credentials", device, "A credential presented at a terminal (card, ID card, PIN, "
                        + "app code, visitor pass code) decided; completes a face that asked for a second factor",
                CredentialBody.class, GateDecision.class, r -> {
                    String id = guard.admit(r);
                    JsonNode body = r.body(JsonNode.class);
                    PresentedKind kind = kind(body.get("kind"));
                    return decisions.decideCredential(new CredentialRequest(id, kind, textField(body, "value"),
                            textField(body, "residentId"), ReadingsParser.parse(body.get("readings")),
                            textField(body, "requestId")));
                });
        routes.post("/devices/{id}/heartbeat", device, "A terminal says it is alive (marks it online)", null,
                Heartbeat.class, r -> {
                    String id = guard.admit(r);
                    Device d = devices.device(Scope.all(), id).orElseThrow(() -> new NotFoundException("device", id));
                    liveness.heard(d);
                    return new Heartbeat(id, true);
                });
        routes.get("/passages/{id}/explanation", Roles.STAFF, "A passage's decision in words (Accept-Language)",
                PassageExplainer.Explanation.class,
                r -> explainer.explain(r.caller().scope(), r.path("id"), r.locale()));
    }

    private static PresentedKind kind(JsonNode node) {
        if (node == null || !node.isTextual()) {
            throw new IllegalArgumentException("kind is required: one of CARD, ID_CARD, PIN, APP_CODE, PASS_CODE");
        }
        try {
            return PresentedKind.valueOf(node.textValue());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("kind must be one of CARD, ID_CARD, PIN, APP_CODE, PASS_CODE");
        }
    }

    private static String textField(JsonNode body, String name) {
        JsonNode n = body.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw new IllegalArgumentException(name + " must be a string");
        }
        return n.textValue();
    }

    private static String text(RestRequest r, String part) throws IOException {
        Optional<InputStream> in = r.part(part);
        if (in.isEmpty()) {
            return null;
        }
        try (InputStream s = in.get()) {
            byte[] bytes = s.readNBytes(64 * 1024 + 1);
            if (bytes.length > 64 * 1024) {
                throw new IllegalArgumentException("part '" + part + "' is larger than 64 kB");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    /** Kept for handlers that answer without a body. */
    static RestResponse none() {
        return RestResponse.noContent();
    }
}

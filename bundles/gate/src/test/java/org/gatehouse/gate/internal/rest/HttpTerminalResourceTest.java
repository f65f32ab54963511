package org.gatehouse.gate.internal.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.gatehouse.api.model.Verdict;
import org.gatehouse.api.service.Scope;
import org.gatehouse.core.api.AuditTrails;
import org.gatehouse.core.api.Caller;
import org.gatehouse.core.api.RestException;
import org.gatehouse.core.api.RestHandler;
import org.gatehouse.core.api.RestRequest;
import org.gatehouse.core.api.RestRoutes;
import org.gatehouse.core.api.Roles;
import org.gatehouse.gate.api.GateDecision;
import org.gatehouse.gate.internal.DeviceLiveness;
import org.gatehouse.gate.internal.GateConfig;
import org.gatehouse.gate.internal.GateDecisionsImpl;
import org.gatehouse.gate.internal.PassageExplainer;
import org.gatehouse.gate.internal.WorldAccess;
import org.gatehouse.testing.Configs;
import org.gatehouse.testing.MemoryAuditLog;
import org.junit.jupiter.api.Test;

class HttpTerminalResourceTest {
    private final WorldAccess w = new WorldAccess();
    private final MemoryAuditLog audit = new MemoryAuditLog();
    private final Map<String, RestHandler> routes = new HashMap<>();

    HttpTerminalResourceTest() {
        build(Map.of());
    }

    private void build(Map<String, ?> config) {
        routes.clear();
        GateConfig c = Configs.of(GateConfig.class, config);
        DeviceLiveness liveness = w.liveness();
        GateDecisionsImpl decisions = w.gate(config, liveness);
        PassageExplainer explainer = w.explainer();
        HttpTerminalResource resource = new HttpTerminalResource(decisions, w.devices(), liveness, explainer,
                AuditTrails.writingTo(audit), c);
        resource.routes(new RestRoutes() {
            @Override
            public RestRoutes route(String method, String path, Set<String> roles, String summary,
                                    Class<?> requestType, Class<?> responseType, RestHandler handler) {
                routes.put(method + " " + path, handler);
                return this;
            }
        });
    }

    private static Caller device(String id) {
        return new Caller("device:" + id, Set.of(Roles.DEVICE), Scope.of("any"));
    }

    private Object call(String route, Caller caller, String pathId, String json, Map<String, byte[]> parts)
            throws Exception {
        return routes.get(route).handle(new Request(caller, pathId, json, parts));
    }

    private Object card(String deviceId, Caller caller, String value) throws Exception {
        return call("POST /devices/{id}/credentials", caller, deviceId,
                "{\"kind\":\"CARD\",\"value\":\"" + value + "\"}", Map.of());
    }

    @Test
    void aResidentsCardOpensTheirDoorThroughTheTerminalRoute() throws Exception {
        GateDecision d = (GateDecision) card(w.door1(), device(w.door1()), "C-WANG");
        assertEquals(Verdict.ALLOW, d.verdict());
        GateDecision other = (GateDecision) card(w.door2(), device(w.door2()), "C-WANG");
        assertEquals(Verdict.DENY, other.verdict());
    }

    @Test
    void aDeviceClaimingAnotherDeviceIsRefusedAndAudited() {
        RestException e = assertThrows(RestException.class,
                () -> card(w.door1(), device(w.door2()), "C-WANG"));
        assertEquals(403, e.status());
        assertEquals("DEVICE_MISMATCH", e.code());
        assertTrue(audit.actions().contains("gate.device-mismatch"));
        assertTrue(w.stored().isEmpty(), "nothing decided, nothing recorded");
        // a staff user is not a device either
        RestException staff = assertThrows(RestException.class, () -> card(w.door1(),
                new Caller("admin", Set.of(Roles.CITY_ADMIN), Scope.all()), "C-WANG"));
        assertEquals(403, staff.status());
    }

    @Test
    void malformedOrImpossibleReadingsAreRefusedBeforeAnythingIsDecided() {
        RestException string = assertThrows(RestException.class, () -> call("POST /devices/{id}/credentials",
                device(w.door1()), w.door1(), "{\"kind\":\"CARD\",\"value\":\"C-WANG\",\"readings\":"
                        + "{\"temperatureCelsius\":\"36.6\"}}", Map.of()));
        assertEquals(400, string.status());
        assertEquals("READINGS_MALFORMED", string.code());
        RestException hot = assertThrows(RestException.class, () -> call("POST /devices/{id}/captures",
                device(w.door1()), w.door1(), null, Map.of("frame", new byte[] {1},
                        "readings", "{\"temperatureCelsius\":80}".getBytes(StandardCharsets.UTF_8))));
        assertEquals(422, hot.status());
        assertEquals("READING_OUT_OF_RANGE", hot.code());
        assertTrue(w.stored().isEmpty());
        assertThrows(IllegalArgumentException.class, () -> call("POST /devices/{id}/credentials", device(w.door1()),
                w.door1(), "{\"kind\":\"FINGER\",\"value\":\"x\"}", Map.of()));
        assertThrows(IllegalArgumentException.class, () -> call("POST /devices/{id}/credentials", device(w.door1()),
                w.door1(), "{\"kind\":\"CARD\",\"value\":42}", Map.of()));
    }

    @Test
    void aFrameTooLargeIs413() {
        build(Map.of("maxFrameBytes", 1024));
        RestException e = assertThrows(RestException.class, () -> call("POST /devices/{id}/captures",
                device(w.door1()), w.door1(), null, Map.of("frame", new byte[2048])));
        assertEquals(413, e.status());
    }

    @Test
    void aFloodingDeviceIsLimitedAndOthersAreNot() throws Exception {
        build(Map.of("deviceRatePerSecond", 1, "deviceBurst", 3));
        for (int i = 0; i < 3; i++) {
            call("POST /devices/{id}/heartbeat", device(w.door1()), w.door1(), null, Map.of());
        }
        RestException e = assertThrows(RestException.class,
                () -> call("POST /devices/{id}/heartbeat", device(w.door1()), w.door1(), null, Map.of()));
        assertEquals(429, e.status());
        assertEquals("RATE_LIMITED", e.code());
        assertEquals(Verdict.ALLOW, ((GateDecision) card(w.door2(), device(w.door2()), "C-LI")).verdict());
    }

    @Test
    void aCaptureWithARequestIdIsAnsweredOnce() throws Exception {
        w.accept("wang", "wang", 0.7f);
        Map<String, byte[]> parts = Map.of("frame", "wang".getBytes(StandardCharsets.UTF_8),
                "requestId", "r-1".getBytes(StandardCharsets.UTF_8),
                "readings", "{\"temperatureCelsius\":36.5,\"maskOn\":true}".getBytes(StandardCharsets.UTF_8));
        GateDecision a = (GateDecision) call("POST /devices/{id}/captures", device(w.door1()), w.door1(), null, parts);
        GateDecision b = (GateDecision) call("POST /devices/{id}/captures", device(w.door1()), w.door1(), null, parts);
        assertEquals(Verdict.ALLOW, a.verdict());
        assertEquals(a, b);
        assertEquals(1, w.stored().size());
    }

    @Test
    void theExplanationSpeaksTheCallersLanguage() throws Exception {
        w.accept("wang", "wang", 0.71f);
        GateDecision d = (GateDecision) call("POST /devices/{id}/captures", device(w.door1()), w.door1(), null,
                Map.of("frame", "wang".getBytes(StandardCharsets.UTF_8)));
        Caller office = new Caller("office", Set.of(Roles.COMMUNITY_OFFICE), Scope.all());
        PassageExplainer.Explanation zh = (PassageExplainer.Explanation) routes.get("GET /passages/{id}/explanation")
                .handle(new Request(office, d.passageId(), null, Map.of(), Locale.SIMPLIFIED_CHINESE));
        assertTrue(zh.summary().contains("人脸匹配王芳，相似度 0.71 ≥ 0.52（人脸库 2,914）"), zh.summary());
        assertTrue(zh.summary().contains("租约有效至 2027-06-30"), zh.summary());
        assertTrue(zh.summary().contains("门禁 1-1 已开门"), zh.summary());
        PassageExplainer.Explanation en = (PassageExplainer.Explanation) routes.get("GET /passages/{id}/explanation")
                .handle(new Request(office, d.passageId(), null, Map.of(), Locale.ENGLISH));
        assertTrue(en.summary().contains("face matched 王芳 at 0.71 ≥ 0.52 (gallery 2,914)"), en.summary());
        assertTrue(en.summary().contains("door 1-1 opened"), en.summary());
    }

    private static final class Request implements RestRequest {
        private final Caller caller;
        private final String id;
        private final String json;
        private final Map<String, byte[]> parts;
        private final Locale locale;

        Request(Caller caller, String id, String json, Map<String, byte[]> parts) {
            this(caller, id, json, parts, Locale.ENGLISH);
        }

        Request(Caller caller, String id, String json, Map<String, byte[]> parts, Locale locale) {
            this.caller = caller;
            this.id = id;
            this.json = json;
            this.parts = parts;
            this.locale = locale;
        }

        @Override
        public Caller caller() {
            return caller;
        }

        @Override
        public String path(String name) {
            return id;
        }

        @Override
        public Optional<String> query(String name) {
            return Optional.empty();
        }

        @Override
        public Locale locale() {
            return locale;
        }

        @Override
        public <T> T body(Class<T> type) {
            try {
                return new ObjectMapper().readValue(json, type);
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException(e);
            }
        }

        @Override
        public Optional<InputStream> part(String name) {
            byte[] b = parts.get(name);
            return b == null ? Optional.empty() : Optional.of(new ByteArrayInputStream(b));
        }
    }
}

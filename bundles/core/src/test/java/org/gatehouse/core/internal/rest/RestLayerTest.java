package org.gatehouse.core.internal.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.gatehouse.api.model.ResidentRole;
import org.gatehouse.api.service.NotFoundException;
import org.gatehouse.api.service.Scope;
import org.gatehouse.api.service.StoreUnavailableException;
import org.gatehouse.core.api.Caller;
import org.gatehouse.core.api.RestResource;
import org.gatehouse.core.api.RestRoutes;
import org.gatehouse.core.api.Roles;
import org.gatehouse.core.internal.Json;
import org.junit.jupiter.api.Test;

class RestLayerTest {
    private static final RestResource RESOURCE = new RestResource() {
        @Override
        public String tag() {
            return "test";
        }

        @Override
        public void routes(RestRoutes routes) {
            routes.get("/communities/{id}/buildings", Roles.STAFF, "list", null, r -> r.path("id"));
            routes.post("/communities", Roles.ADMIN, "create", CommunityResource.NewCommunity.class, null, r -> "x");
        }
    };

    @Test
    void matchesTemplatesAndDecodesParameters() {
        RouteTable table = new RouteTable();
        table.add(RESOURCE);
        var match = table.match("GET", "/communities/a%20b/buildings").orElseThrow();
        assertEquals("a b", match.parameters().get("id"));
        assertTrue(table.match("GET", "/nothing").isEmpty());
        ApiException wrongMethod = assertThrows(ApiException.class, () -> table.match("DELETE", "/communities"));
        assertEquals(405, wrongMethod.status());
        table.remove(RESOURCE);
        assertTrue(table.match("GET", "/communities/x/buildings").isEmpty(), "routes leave with their resource");
    }

    @Test
    void malformedJsonNamesTheField() {
        assertEquals("field 'floor': 'third' is not a whole number",
                describe("{\"number\":\"302\",\"floor\":\"third\"}", CommunityResource.NewFlat.class));
        assertEquals("unknown field 'colour'; known fields: address, code, name",
                describe("{\"code\":\"A\",\"colour\":1}", CommunityResource.NewCommunity.class));
        assertTrue(describe("{\"code\":", CommunityResource.NewCommunity.class).startsWith("malformed JSON"));
        assertEquals("field 'floor': expected a whole number",
                describe("{\"number\":\"302\",\"floor\":{}}", CommunityResource.NewFlat.class));
    }

    record WithRole(ResidentRole role, java.time.Instant at) {
    }

    @Test
    void badEnumValueSaysWhichValuesAreAllowedWithoutJavaClassNames() {
        String message = describe("{\"role\":\"LANDLORD\"}", WithRole.class);
        assertEquals("field 'role': 'LANDLORD' is not allowed; use one of "
                + java.util.Arrays.stream(ResidentRole.values()).map(Enum::name)
                        .collect(java.util.stream.Collectors.joining(", ")), message);
        String time = describe("{\"at\":\"yesterday\"}", WithRole.class);
        assertEquals("field 'at': 'yesterday' is not a time (ISO 8601 with a zone, e.g. 2026-12-01T08:30:00Z)", time);
        assertEquals("Cannot parse 'Resident': no value", ErrorMapping.withoutClassNames(
                "Cannot parse `org.gatehouse.api.model.Resident`: no value\nat [Source: x]"));
    }

    @Test
    void pagesOfOtherSitesCannotMakeABrowserActHere() {
        // a form or fetch from another site: the browser says so, and the request is refused
        assertEquals(403, crossSite("POST", Map.of("Sec-Fetch-Site", "cross-site", "Host", "gh:8181")));
        assertEquals(403, crossSite("POST", Map.of("Sec-Fetch-Site", "same-site", "Host", "gh:8181")));
        assertEquals(403, crossSite("DELETE", Map.of("Origin", "http://evil.example", "Host", "gh:8181")));
        assertEquals(403, crossSite("POST", Map.of("Origin", "null", "Host", "gh:8181")));
        assertEquals(403, crossSite("PUT", Map.of("Origin", "http://gh:9999", "Host", "gh:8181")));
        // the API page (same origin), programs (no browser headers) and reads pass
        assertEquals(0, crossSite("POST", Map.of("Sec-Fetch-Site", "same-origin", "Origin", "http://gh:8181",
                "Host", "gh:8181")));
        assertEquals(0, crossSite("POST", Map.of("Host", "gh:8181")));
        assertEquals(0, crossSite("GET", Map.of("Sec-Fetch-Site", "cross-site", "Host", "gh:8181")));
        assertTrue(ApiServlet.sameOrigin("https://gatehouse.example", "gatehouse.example"));
        assertTrue(ApiServlet.sameOrigin("http://[::1]:8181", "[::1]:8181"));
        assertTrue(!ApiServlet.sameOrigin("https://gatehouse.example.evil.example", "gatehouse.example"));
    }

    private static int crossSite(String method, Map<String, String> headers) {
        javax.servlet.http.HttpServletRequest request = (javax.servlet.http.HttpServletRequest) java.lang.reflect.Proxy
                .newProxyInstance(RestLayerTest.class.getClassLoader(),
                        new Class<?>[] {javax.servlet.http.HttpServletRequest.class}, (proxy, m, args) -> switch (m.getName()) {
                            case "getMethod" -> method;
                            case "getHeader" -> headers.get((String) args[0]);
                            default -> throw new UnsupportedOperationException(m.getName());
                        });
        try {
            ApiServlet.refuseCrossSite(request);
            return 0;
        } catch (ApiException e) {
            assertEquals("CROSS_SITE_REQUEST", e.code());
            return e.status();
        }
    }

    @Test
    void deeplyNestedJsonIsMeasuredBeforeJacksonSeesIt() {
        assertEquals(3, ServletRestRequest.nesting("{\"a\":[[1],[2]]}".getBytes()));
        assertEquals(1, ServletRestRequest.nesting("{\"a\":\"[[[{{{\\\"[[\"}".getBytes()), "brackets in strings");
        assertEquals(100_000, ServletRestRequest.nesting("[".repeat(100_000).getBytes()));
    }

    @Test
    void roleErrorReadsAsASentence() {
        assertEquals("This needs the role city-admin.", ApiServlet.rolesNeeded(Set.of("city-admin")));
        assertEquals("This needs one of the roles city-admin, community-office.",
                ApiServlet.rolesNeeded(Set.of("community-office", "city-admin")));
    }

    @Test
    void exceptionsMapToStatusCodes() {
        assertEquals(404, ErrorMapping.toError(new NotFoundException("community", "x")).status());
        assertEquals(503, ErrorMapping.toError(new StoreUnavailableException("down", null)).status());
        assertEquals(400, ErrorMapping.toError(new IllegalArgumentException("code is required")).status());
        assertEquals(403, ErrorMapping.toError(new org.gatehouse.api.service.OutOfScopeException("c")).status());
        assertEquals(500, ErrorMapping.toError(new NullPointerException()).status());
    }

    /** A module's registered mapper answers for its own exceptions; what it does not know falls through. */
    @Test
    void registeredMappersAnswerForTheirModulesExceptions() {
        class EngineBusy extends RuntimeException {
        }
        java.util.List<org.gatehouse.core.api.RestErrorMapper> mappers = java.util.List.of(
                (error, locale) -> error instanceof EngineBusy
                        ? new org.gatehouse.core.api.RestException(503, "ENGINE_BUSY",
                        java.util.Locale.CHINA.equals(locale) ? "引擎忙" : "engine busy") : null);
        ApiError busy = ErrorMapping.toError(new EngineBusy(), java.util.Locale.CHINA, mappers);
        assertEquals(java.util.List.of(503, "ENGINE_BUSY", "引擎忙"), java.util.List.of(busy.status(), busy.code(), busy.message()));
        assertEquals(404, ErrorMapping.toError(new NotFoundException("community", "x"), java.util.Locale.ROOT, mappers)
                .status());
        assertEquals(500, ErrorMapping.toError(new IllegalStateException(), java.util.Locale.ROOT, mappers).status());
    }

    @Test
    void rolesAreEnforced() {
        Caller office = new Caller("o", Set.of(Roles.COMMUNITY_OFFICE), Scope.of("c1"));
        ApiServlet.authorize(Roles.PUBLIC, Caller.ANONYMOUS);
        ApiServlet.authorize(Roles.STAFF, office);
        assertEquals(401, assertThrows(ApiException.class, () -> ApiServlet.authorize(Roles.STAFF, Caller.ANONYMOUS)).status());
        assertEquals(403, assertThrows(ApiException.class, () -> ApiServlet.authorize(Roles.ADMIN, office)).status());
    }

    @Test
    void openApiDescribesRoutesAndRecords() {
        RouteTable table = new RouteTable();
        table.add(RESOURCE);
        var doc = OpenApiDocument.build(table.routes(), "1");
        assertEquals("3.0.3", doc.get("openapi").asText());
        assertTrue(doc.at("/paths/~1communities/post/requestBody").isObject(), doc.toPrettyString());
        assertEquals("string", doc.at("/components/schemas/NewCommunity/properties/code/type").asText());
    }

    private static String describe(String json, Class<?> type) {
        try {
            Json.mapper().readValue(json, type);
            throw new AssertionError("no error for " + json);
        } catch (JsonProcessingException e) {
            return ErrorMapping.describe(e);
        }
    }
}

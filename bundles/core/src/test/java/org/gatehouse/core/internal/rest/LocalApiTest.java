package org.gatehouse.core.internal.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.gatehouse.api.service.NotFoundException;
import org.gatehouse.api.service.Scope;
import org.gatehouse.core.api.Caller;
import org.gatehouse.core.api.LocalApi;
import org.gatehouse.core.api.RestResource;
import org.gatehouse.core.api.RestResponse;
import org.gatehouse.core.api.RestRoutes;
import org.gatehouse.core.api.Roles;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Version;

/**
 * The API called in-process (the portal): the same roles, body checks and error answers as over HTTP, and plain JSON
 * values out, so a screen can do nothing the API would refuse.
 */
class LocalApiTest {
    record Thing(String name, int count) {
    }

    private static final RestResource RESOURCE = new RestResource() {
        @Override
        public String tag() {
            return "things";
        }

        @Override
        public void routes(RestRoutes routes) {
            routes.get("/things/{id}", Roles.STAFF, "One thing", Thing.class, r -> {
                if (r.path("id").equals("missing")) {
                    throw new NotFoundException("thing", "missing");
                }
                return new Thing(r.path("id"), r.queryInt("count", 1, 0, 10));
            });
            routes.post("/things", Roles.OFFICE, "Make a thing", Thing.class, Thing.class,
                    r -> RestResponse.created(r.body(Thing.class)));
            routes.post("/things/{id}/photo", Roles.OFFICE, "A photo", null, Map.class,
                    r -> Map.of("bytes", r.partBytes("image", 10).length));
        }
    };

    private ApiServlet api;
    private final Caller office = new Caller("office", Set.of(Roles.COMMUNITY_OFFICE), Scope.of("C1"));
    private final Caller police = new Caller("police", Set.of(Roles.POLICE), Scope.of("C1"));

    @BeforeEach
    void setUp() {
        api = servlet(RESOURCE);
    }

    /** The API with one resource, called in-process as the portal calls it. */
    static ApiServlet servlet(RestResource resource) {
        Bundle bundle = (Bundle) java.lang.reflect.Proxy.newProxyInstance(LocalApiTest.class.getClassLoader(),
                new Class<?>[] {Bundle.class}, (p, m, a) -> m.getName().equals("getVersion") ? new Version(1, 0, 0) : null);
        BundleContext context = (BundleContext) java.lang.reflect.Proxy.newProxyInstance(
                LocalApiTest.class.getClassLoader(), new Class<?>[] {BundleContext.class},
                (p, m, a) -> m.getName().equals("getBundle") ? bundle : null);
        ApiServlet servlet = new ApiServlet(null, context);
        servlet.addResource(resource);
        return servlet;
    }

    @Test
    void anAnswerIsPlainJsonValues() {
        LocalApi.Answer answer = api.call(office, Locale.ENGLISH, "GET", "/things/a", Map.of("count", "3"), null, Map.of());
        assertTrue(answer.ok());
        assertEquals(Map.of("name", "a", "count", 3), answer.body());
        LocalApi.Answer created = api.call(office, Locale.ENGLISH, "POST", "/things", Map.of(),
                Map.of("name", "b", "count", 2), Map.of());
        assertEquals(201, created.status());
        assertEquals("b", ((Map<?, ?>) created.body()).get("name"));
    }

    @Test
    void theApisRulesHoldInProcess() {
        LocalApi.Answer forbidden = api.call(police, Locale.ENGLISH, "POST", "/things", Map.of(),
                Map.of("name", "b", "count", 2), Map.of());
        assertEquals(403, forbidden.status(), "a police login cannot do what the API refuses it");
        assertEquals("FORBIDDEN", forbidden.code());
        assertEquals(401, api.call(Caller.ANONYMOUS, Locale.ENGLISH, "GET", "/things/a", Map.of(), null, Map.of())
                .status());
        assertEquals(404, api.call(office, Locale.ENGLISH, "GET", "/things/missing", Map.of(), null, Map.of()).status());
        assertEquals(404, api.call(office, Locale.ENGLISH, "GET", "/nothing", Map.of(), null, Map.of()).status());
        assertEquals(405, api.call(office, Locale.ENGLISH, "DELETE", "/things/a", Map.of(), null, Map.of()).status());
        LocalApi.Answer badQuery = api.call(office, Locale.ENGLISH, "GET", "/things/a", Map.of("count", "99"), null,
                Map.of());
        assertEquals(400, badQuery.status());
        assertTrue(badQuery.message().contains("count"), badQuery.message());
        LocalApi.Answer badBody = api.call(office, Locale.ENGLISH, "POST", "/things", Map.of(),
                Map.of("name", "b", "count", "many"), Map.of());
        assertEquals(400, badBody.status(), "a wrong field type is a 400 naming it, as over HTTP");
        assertTrue(badBody.message().contains("count"), badBody.message());
        assertEquals(400, api.call(office, Locale.ENGLISH, "POST", "/things", Map.of(), null, Map.of()).status());
        assertFalse(badBody.ok());
    }

    @Test
    void uploadsAreParts() {
        LocalApi.Answer ok = api.call(office, Locale.ENGLISH, "POST", "/things/a/photo", Map.of(), null,
                Map.of("image", "jpeg".getBytes(StandardCharsets.UTF_8)));
        assertEquals(Map.of("bytes", 4), ok.body());
        assertEquals(413, api.call(office, Locale.ENGLISH, "POST", "/things/a/photo", Map.of(), null,
                Map.of("image", new byte[11])).status());
        assertEquals(400, api.call(office, Locale.ENGLISH, "POST", "/things/a/photo", Map.of(), null, Map.of())
                .status(), "a missing part is the caller's error");
    }
}

package org.gatehouse.core.internal.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.gatehouse.api.service.NotFoundException;
import org.gatehouse.api.service.Scope;
import org.gatehouse.api.service.StreamConsumers.DeadLetter;
import org.gatehouse.api.service.StreamConsumers.StartAt;
import org.gatehouse.api.stream.Streams;
import org.gatehouse.core.api.AuditTrails;
import org.gatehouse.core.api.Caller;
import org.gatehouse.core.api.Refusal;
import org.gatehouse.core.api.RestHandler;
import org.gatehouse.core.api.RestRequest;
import org.gatehouse.core.api.RestRoutes;
import org.gatehouse.core.api.Roles;
import org.gatehouse.core.internal.camel.StreamAdmin;
import org.gatehouse.core.internal.testing.MemoryAudit;
import org.gatehouse.core.internal.testing.MemoryOutbox;
import org.gatehouse.core.internal.testing.MemoryStreamConsumers;
import org.gatehouse.core.internal.testing.MovableClock;
import org.gatehouse.core.internal.testing.StreamContexts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** /api/streams: city administrators only; the answers and refusals a client sees. */
class StreamsResourceTest {
    record Route(Set<String> roles, RestHandler handler) {
    }

    private final MemoryOutbox outbox = new MemoryOutbox();
    private final MemoryStreamConsumers consumers = new MemoryStreamConsumers(outbox);
    private final Map<String, Route> routes = new HashMap<>();
    private final Caller admin = new Caller("api-admin", Set.of(Roles.CITY_ADMIN), Scope.all());
    private CamelContext context;

    @BeforeEach
    void start() throws Exception {
        context = StreamContexts.started(new RouteBuilder() {
            @Override
            public void configure() {
                from("gatehouse:alerts").routeId("sms").log("${body}");
            }
        });
        AuditTrails trails = AuditTrails.writingTo(new MemoryAudit());
        MovableClock clock = new MovableClock();
        StreamAdmin admin = new StreamAdmin(context, new org.gatehouse.core.internal.camel.OutboxRelay(consumers, trails,
                org.osgi.util.converter.Converters.standardConverter().convert(java.util.Map.of())
                        .to(org.gatehouse.core.internal.camel.OutboxRelay.Config.class), clock), consumers, trails, clock);
        new StreamsResource(admin).routes(new RestRoutes() {
            @Override
            public RestRoutes route(String method, String path, Set<String> roles, String summary, Class<?> req,
                                    Class<?> resp, RestHandler handler) {
                routes.put(method + " " + path, new Route(roles, handler));
                return this;
            }
        });
        consumers.register("alerts/sms", Streams.ALERTS, StartAt.OLDEST);
        consumers.register("alerts/gone", Streams.ALERTS, StartAt.OLDEST);
        for (String id : List.of("a1", "a2")) {
            outbox.append(Streams.ALERTS, id, "c1", "{}");
        }
        var events = consumers.after(Streams.ALERTS, 0, 10);
        consumers.deadLetter("alerts/sms", events.get(0), 10, "gateway down", java.time.Instant.now());
        consumers.deadLetter("alerts/gone", events.get(1), 10, "gateway down", java.time.Instant.now());
    }

    @AfterEach
    void stop() {
        context.stop();
    }

    private Object call(String route, Caller caller, Map<String, String> params, Object body) throws Exception {
        Route r = routes.get(route);
        ApiServlet.authorize(r.roles(), caller);
        return r.handler().handle(new RestRequest() {
            @Override
            public Caller caller() {
                return caller;
            }

            @Override
            public String path(String name) {
                return params.get(name);
            }

            @Override
            public Optional<String> query(String name) {
                return Optional.ofNullable(params.get(name));
            }

            @Override
            public Locale locale() {
                return Locale.ROOT;
            }

            @Override
            @SuppressWarnings("unchecked")
            public <T> T body(Class<T> type) {
                return (T) body;
            }

            @Override
            public Optional<InputStream> part(String name) {
                return Optional.empty();
            }
        });
    }

    @Test
    void everyRouteIsForCityAdministratorsOnly() {
        assertEquals(Set.of("GET /streams/consumers", "GET /streams/dead-letters",
                "POST /streams/dead-letters/{id}/replay", "POST /streams/dead-letters/{id}/skip"), routes.keySet());
        Caller office = new Caller("office", Set.of(Roles.COMMUNITY_OFFICE, Roles.POLICE), Scope.of("c1"));
        for (String route : routes.keySet()) {
            assertEquals(Roles.ADMIN, routes.get(route).roles(), route);
            ApiException refused = assertThrows(ApiException.class, () -> call(route, office,
                    Map.of("id", "1"), new StreamsResource.Skip("no")), route);
            assertEquals(403, refused.status(), route);
            assertEquals(401, assertThrows(ApiException.class, () -> call(route, Caller.ANONYMOUS, Map.of("id", "1"),
                    null)).status());
        }
        assertEquals("OPEN", consumers.deadLetter(1).orElseThrow().status(), "nothing changed by the refused calls");
    }

    @Test
    void listsConsumersAndDeadLetters() throws Exception {
        @SuppressWarnings("unchecked")
        var list = (List<StreamAdmin.ConsumerReport>) call("GET /streams/consumers", admin, Map.of(), null);
        assertEquals(List.of("alerts/gone false 1", "alerts/sms true 1"), list.stream().map(c -> c.id() + " "
                + c.live() + " " + c.openDeadLetters()).toList());
        @SuppressWarnings("unchecked")
        var open = (List<DeadLetter>) call("GET /streams/dead-letters", admin, Map.of("consumer", "alerts/sms"), null);
        assertEquals(List.of("a1"), open.stream().map(DeadLetter::eventId).toList());
        call("POST /streams/dead-letters/{id}/skip", admin, Map.of("id", "1"), new StreamsResource.Skip("test"));
        assertEquals(List.of(), call("GET /streams/dead-letters", admin, Map.of("consumer", "alerts/sms"), null));
        @SuppressWarnings("unchecked")
        var all = (List<DeadLetter>) call("GET /streams/dead-letters", admin, Map.of("status", "ALL"), null); // newest first
        assertEquals(List.of("OPEN null null", "SKIPPED api-admin test"), all.stream().map(d -> d.status() + " "
                + d.resolvedBy() + " " + d.resolution()).toList());
        assertThrows(IllegalArgumentException.class, () -> call("GET /streams/dead-letters", admin,
                Map.of("status", "CLOSED"), null));
        assertThrows(IllegalArgumentException.class, () -> call("GET /streams/dead-letters", admin,
                Map.of("limit", "0"), null));
    }

    @Test
    void replayAnswersWithTheLetterOrAClearRefusal() throws Exception {
        DeadLetter replayed = (DeadLetter) call("POST /streams/dead-letters/{id}/replay", admin, Map.of("id", "1"),
                null);
        assertEquals(List.of("REPLAYED", "api-admin"), List.of(replayed.status(), replayed.resolvedBy()));
        // already resolved: 409 saying by whom
        Refusal twice = assertThrows(Refusal.class, () -> call("POST /streams/dead-letters/{id}/replay", admin,
                Map.of("id", "1"), null));
        ApiError error = ErrorMapping.toError(twice, Locale.ROOT);
        assertEquals(List.of(409, "DEAD_LETTER_RESOLVED"), List.of(error.status(), error.code()));
        assertTrue(error.message().contains("REPLAYED by api-admin"), error.message());
        // its route is not running: 409, the letter stays open
        Refusal gone = assertThrows(Refusal.class, () -> call("POST /streams/dead-letters/{id}/replay", admin,
                Map.of("id", "2"), null));
        error = ErrorMapping.toError(gone, Locale.SIMPLIFIED_CHINESE);
        assertEquals(List.of(409, "CONSUMER_NOT_RUNNING"), List.of(error.status(), error.code()));
        assertTrue(error.message().contains("gone"), error.message());
        assertEquals("OPEN", consumers.deadLetter(2).orElseThrow().status());
        // unknown id: 404; not a number: 400
        NotFoundException unknown = assertThrows(NotFoundException.class, () -> call(
                "POST /streams/dead-letters/{id}/skip", admin, Map.of("id", "99"), new StreamsResource.Skip("x")));
        assertEquals(404, ErrorMapping.toError(unknown).status());
        assertEquals(400, ErrorMapping.toError(assertThrows(IllegalArgumentException.class, () -> call(
                "POST /streams/dead-letters/{id}/replay", admin, Map.of("id", "x1"), null))).status());
    }
}

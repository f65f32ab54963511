package org.gatehouse.core.internal.camel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.gatehouse.api.model.PopulationChange;
import org.gatehouse.api.model.PopulationChangeType;
import org.gatehouse.api.model.ResidentRole;
import org.gatehouse.api.stream.Streams;
import org.gatehouse.core.api.AuditTrail;
import org.gatehouse.core.api.AuditTrails;
import org.gatehouse.core.internal.Json;
import org.gatehouse.core.internal.testing.MemoryOutbox;
import org.gatehouse.core.internal.testing.MemoryStreamConsumers;
import org.gatehouse.core.internal.testing.MovableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.util.converter.Converters;

/**
 * What a consumer of a stream receives and what is on record: the person fields configured for it (an ID number only
 * where configured, always audited), one audit row per outcome (not per retry) naming the subject, a target's 4xx a
 * failure even when the route does not throw, and a refusal the route handles itself is not retried.
 */
class OutboxDeliveryTest {
    @TempDir
    Path dir;
    private final MemoryOutbox outbox = new MemoryOutbox();
    private final MemoryStreamConsumers consumers = new MemoryStreamConsumers(outbox);
    private final IntegrationAuditTest.Entries audit = new IntegrationAuditTest.Entries();
    private final MovableClock clock = new MovableClock();
    private final Map<String, List<String>> received = new java.util.concurrent.ConcurrentHashMap<>();
    private CamelContext context;

    @BeforeEach
    void start() throws Exception {
        AuditTrail trail = new AuditTrail("integration");
        trail.set(audit);
        context = new DefaultCamelContext();
        context.addComponent(Streams.SCHEME, new StreamComponent());
        context.getManagementStrategy().addEventNotifier(new IntegrationAudit(trail));
        context.start();
    }

    @AfterEach
    void stop() {
        context.stop();
    }

    private OutboxRelay relay(String personFields, String... perConsumer) {
        OutboxRelay.Config config = Converters.standardConverter().convert(Map.of("batchSize", 10, "maxAttempts", 3,
                "retryInitialMillis", 1000, "retryMaxMillis", 4000, "personFields", personFields,
                "consumerPersonFields", perConsumer)).to(OutboxRelay.Config.class);
        OutboxRelay relay = new OutboxRelay(consumers, AuditTrails.writingTo(audit), config, clock);
        relay.setIdNumbers(residentId -> "r1".equals(residentId) ? Optional.of("110101199001011234")
                : Optional.empty());
        return relay;
    }

    private void route(String id, String uri) throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("gatehouse:population-changes").routeId(id)
                        .process(e -> received.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>())
                                .add(e.getIn().getBody(String.class)))
                        .to(uri + "?fileName=${header.GatehouseEventId}-" + id + ".json");
            }
        });
    }

    private void moveOut(String eventId, String residentId) {
        PopulationChange change = new PopulationChange(eventId, "c1", PopulationChangeType.MOVE_OUT, residentId, "h1",
                "u1", Instant.parse("2026-12-01T08:00:00Z"), "removed",
                new PopulationChange.Person("张伟 Zhang Wei", ResidentRole.TENANT, java.time.LocalDate.of(1990, 1, 1),
                        "13800000000", null),
                new PopulationChange.Flat("b1", "B3", "3号楼", "2", 12, "1203"));
        outbox.append(Streams.POPULATION_CHANGES, eventId, "c1", Json.write(change));
    }

    @Test
    void eachConsumerGetsThePersonFieldsConfiguredForItAndAnIdNumberGivenOutIsAudited() throws Exception {
        OutboxRelay relay = relay("name,role", "police-registry=name,role,birthDate,idNumber; other=name");
        route("housing-feed", "file:" + dir);
        route("police-registry", "file:" + dir);
        relay.relay(context);
        moveOut("e1", "r1");
        relay.relay(context);

        JsonNode housing = Json.mapper().readTree(received.get("housing-feed").get(0));
        assertEquals("张伟 Zhang Wei", housing.path("person").path("name").asText());
        assertEquals("TENANT", housing.path("person").path("role").asText());
        assertTrue(housing.path("person").get("birthDate").isNull(), "the least needed: " + housing);
        assertTrue(housing.path("person").get("phone").isNull());
        assertTrue(housing.path("person").get("idNumber").isNull(), "no ID number unless configured: " + housing);
        assertEquals("1203", housing.path("flat").path("number").asText(), "which flat: " + housing);
        assertEquals("B3", housing.path("flat").path("buildingCode").asText());

        JsonNode police = Json.mapper().readTree(received.get("police-registry").get(0));
        assertEquals("110101199001011234", police.path("person").path("idNumber").asText());
        assertEquals("1990-01-01", police.path("person").path("birthDate").asText());
        assertTrue(police.path("person").get("phone").isNull());
        // the stored event never held the number
        assertFalse(consumers.after(Streams.POPULATION_CHANGES, 0, 10).get(0).payloadJson().contains("1101011990"));

        assertEquals(2, audit.lines.size(), audit.lines.toString());
        String policeLine = audit.lines.stream().filter(l -> l.startsWith("route:police-registry")).findFirst()
                .orElseThrow();
        assertTrue(policeLine.contains("integration.delivered c1 stream population-changes, event e1 -> file://"),
                policeLine);
        assertTrue(policeLine.endsWith("person fields name,role,birthDate,idNumber"), policeLine);
        assertEquals(List.of("r1", "r1"), audit.subjects, "each row names the subject");
    }

    @Test
    void aConsumerConfiguredForNoPersonFieldsGetsNoPerson() throws Exception {
        OutboxRelay relay = relay("");
        route("counts", "file:" + dir);
        relay.relay(context);
        moveOut("e1", "r2");
        relay.relay(context);
        JsonNode event = Json.mapper().readTree(received.get("counts").get(0));
        assertTrue(event.path("person").isNull(), event.toString());
        assertEquals("r2", event.path("residentId").asText(), "ids and the flat stay: " + event);
    }

    @Test
    void oneAuditRowPerOutcomeNotPerRetry() throws Exception {
        OutboxRelay relay = relay("name,role");
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("gatehouse:population-changes").routeId("flaky").to("file:" + dir)
                        .process(e -> {
                            throw new IllegalStateException("registry down");
                        });
            }
        });
        relay.relay(context);
        moveOut("e1", "r1");
        for (int i = 0; i < 3; i++) {
            relay.relay(context);
            clock.advance(Duration.ofSeconds(5));
        }
        assertEquals(1, consumers.deadLetters("population-changes/flaky", true, 10).size());
        assertEquals(1, audit.lines.size(), "three attempts, one outcome: " + audit.lines);
        assertTrue(audit.lines.get(0).startsWith("route:flaky integration.dead-letter c1 stream population-changes, "
                + "event e1 -> file://"), audit.lines.get(0));
        assertTrue(audit.lines.get(0).contains("attempt 3"), audit.lines.get(0));
        assertTrue(audit.lines.get(0).endsWith("registry down"), audit.lines.get(0));
    }

    /** A route told not to throw on HTTP errors still fails the delivery when the target answered 4xx. */
    @Test
    void aTargetsClientErrorIsAFailureEvenWhenTheRouteDoesNotThrow() throws Exception {
        OutboxRelay relay = relay("name,role");
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("gatehouse:population-changes").routeId("lenient").to("file:" + dir)
                        .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(422));
            }
        });
        relay.relay(context);
        moveOut("e1", "r1");
        relay.relay(context);
        var state = consumers.consumer("population-changes/lenient").orElseThrow();
        assertEquals(1, state.attempts());
        assertEquals("the target answered HTTP 422", state.lastError());
        assertTrue(audit.lines.isEmpty(), "a retry is not an outcome: " + audit.lines);
    }

    /** The route's own onException handled the refusal: it decided, the consumer moves on, the refusal is on record. */
    @Test
    void aRefusalTheRouteHandlesIsRecordedAndNotRetried() throws Exception {
        OutboxRelay relay = relay("name,role");
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                onException(IllegalArgumentException.class).handled(true).to("file:" + dir + "/refused");
                from("gatehouse:population-changes").routeId("careful").to("file:" + dir)
                        .process(e -> {
                            throw new IllegalArgumentException("registry answered 422");
                        });
            }
        });
        relay.relay(context);
        moveOut("e1", "r1");
        relay.relay(context);
        var state = consumers.consumer("population-changes/careful").orElseThrow();
        assertEquals(0, state.attempts());
        assertNull(state.nextAttemptAt());
        assertEquals(1, audit.lines.size(), audit.lines.toString());
        assertTrue(audit.lines.get(0).startsWith("route:careful integration.refused c1"), audit.lines.get(0));
        assertTrue(audit.lines.get(0).endsWith("refused by the target, handled by the route: registry answered 422"),
                audit.lines.get(0));
    }

    /** A dead letter replayed by hand goes through the relay too: shaped for its consumer, the send audited. */
    @Test
    void aHandOverOutsideTheRoundsIsShapedAndAuditedLikeAnyDelivery() throws Exception {
        OutboxRelay relay = relay("name");
        route("housing-feed", "file:" + dir);
        moveOut("e1", "r1");
        var entry = consumers.after(Streams.POPULATION_CHANGES, 0, 10).get(0);
        StreamConsumer consumer = context.getComponent(Streams.SCHEME, StreamComponent.class)
                .consumersOf(Streams.POPULATION_CHANGES).iterator().next();
        assertTrue(relay.handOver(consumer, entry, "replay of dead letter 7 by admin").ok());
        JsonNode event = Json.mapper().readTree(received.get("housing-feed").get(0));
        assertEquals("张伟 Zhang Wei", event.path("person").path("name").asText());
        assertTrue(event.path("person").get("role").isNull(), "only this consumer's fields: " + event);
        assertTrue(event.path("person").get("phone").isNull());
        assertEquals(1, audit.lines.size(), audit.lines.toString());
        assertTrue(audit.lines.get(0).startsWith("route:housing-feed integration.delivered c1"), audit.lines.get(0));
        assertTrue(audit.lines.get(0).endsWith("person fields name: replay of dead letter 7 by admin"),
                audit.lines.get(0));
    }
}

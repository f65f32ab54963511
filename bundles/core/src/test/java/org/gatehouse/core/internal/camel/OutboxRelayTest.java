package org.gatehouse.core.internal.camel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.gatehouse.api.service.StreamConsumers.DeadLetter;
import org.gatehouse.api.stream.Streams;
import org.gatehouse.core.api.AuditTrails;
import org.gatehouse.core.internal.testing.MemoryOutbox;
import org.gatehouse.core.internal.testing.MemoryStreamConsumers;
import org.gatehouse.core.internal.testing.MovableClock;
import org.gatehouse.core.internal.testing.StreamContexts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.util.converter.Converters;

/** Each consumer of a stream on its own: order, back-off, dead letters, and nobody waits for or repeats to another. */
class OutboxRelayTest {
    private final MemoryOutbox outbox = new MemoryOutbox();
    private final MemoryStreamConsumers consumers = new MemoryStreamConsumers(outbox);
    private final List<String> healthy = new CopyOnWriteArrayList<>();
    private final List<String> fussy = new CopyOnWriteArrayList<>();
    /** Event ids the fussy consumer refuses (as a registry answering 422 would). */
    private final Set<String> refused = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final MovableClock clock = new MovableClock();
    private CamelContext context;
    private OutboxRelay relay;

    @BeforeEach
    void start() throws Exception {
        context = StreamContexts.started(new RouteBuilder() {
            @Override
            public void configure() {
                from("gatehouse:passages").routeId("healthy").process(e -> healthy.add(id(e)));
                from("gatehouse:passages").routeId("fussy").process(e -> {
                    if (refused.contains(id(e))) {
                        throw new IllegalStateException("registry answered 422 for " + id(e));
                    }
                    fussy.add(id(e));
                });
            }
        });
        relay = new OutboxRelay(consumers, AuditTrails.writingTo(new IntegrationAuditTest.Entries()), config(2, 3, 1000, 4000),
                clock);
    }

    private static String id(org.apache.camel.Exchange e) {
        return e.getIn().getHeader(Streams.HEADER_EVENT_ID, String.class);
    }

    @AfterEach
    void stop() {
        context.stop();
    }

    @Test
    void deliversInOrderToEveryConsumerAndMarksPublished() {
        relay.relay(context); // both consumers register at "now"
        append("p1", "p2", "p3");
        outbox.append("passages", "p1", "c", "{}"); // duplicate id: ignored
        assertEquals(6, relay.relay(context)); // batches of 2, the next one at once while they come full
        assertEquals(0, relay.relay(context));
        assertEquals(List.of("p1", "p2", "p3"), healthy);
        assertEquals(List.of("p1", "p2", "p3"), fussy);
        assertEquals(0, outbox.pendingCount());
    }

    @Test
    void aFailingConsumerBacksOffAndDeadLettersWithoutHoldingBackOrRepeatingToTheOthers() {
        relay.relay(context);
        refused.add("p2");
        append("p1", "p2", "p3");
        relay.relay(context);
        relay.relay(context);
        assertEquals(List.of("p1", "p2", "p3"), healthy, "the healthy consumer is not held back");
        assertEquals(List.of("p1"), fussy);
        assertEquals(1, state("passages/fussy").attempts());
        assertEquals(clock.instant().plusSeconds(1), state("passages/fussy").nextAttemptAt());
        assertEquals(2, outbox.pendingCount(), "p2 and p3 wait for the fussy consumer");

        relay.relay(context); // within the back-off: not tried
        assertEquals(1, state("passages/fussy").attempts());
        clock.advance(Duration.ofSeconds(1));
        relay.relay(context);
        assertEquals(2, state("passages/fussy").attempts());
        assertEquals(clock.instant().plusSeconds(2), state("passages/fussy").nextAttemptAt(), "twice as long");
        clock.advance(Duration.ofSeconds(2));
        relay.relay(context); // third attempt: the event becomes a dead letter and the consumer goes on

        assertEquals(List.of("p1", "p3"), fussy);
        List<DeadLetter> dead = consumers.deadLetters("passages/fussy", true, 10);
        assertEquals(1, dead.size());
        assertEquals(List.of("p2", 3, "OPEN"), List.of(dead.get(0).eventId(), dead.get(0).attempts(),
                dead.get(0).status()));
        assertTrue(dead.get(0).error().contains("422"), dead.get(0).error());
        assertEquals(List.of("p1", "p2", "p3"), healthy, "each event exactly once to the healthy consumer");
        assertEquals(0, outbox.pendingCount());
        assertEquals(0, state("passages/fussy").attempts());
    }

    /** "now" is when the route started: an event written before the relay's first round with it is not missed. */
    @Test
    void aConsumerStartingNowGetsWhatIsWrittenBeforeTheRelayFirstSeesIt() throws Exception {
        append("p0"); // before the routes started: not theirs
        relay.relay(context);
        Thread.sleep(5);
        List<String> quick = new CopyOnWriteArrayList<>();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("gatehouse:passages").routeId("quick").process(e -> quick.add(id(e)));
            }
        });
        append("p1"); // right after the route started, before any round saw it
        relay.relay(context);
        assertEquals(List.of("p1"), quick);
    }

    @Test
    void theWaitDoublesUpToTheLongest() {
        assertEquals(List.of(1000L, 2000L, 4000L, 4000L), List.of(relay.backoff(1).toMillis(),
                relay.backoff(2).toMillis(), relay.backoff(3).toMillis(), relay.backoff(9).toMillis()));
    }

    @Test
    void databaseDownLosesNothing() {
        relay.relay(context);
        append("p1");
        outbox.down = true;
        assertEquals(0, relay.relay(context));
        outbox.down = false;
        assertEquals(2, relay.relay(context));
        assertEquals(List.of("p1"), healthy);
        assertEquals(List.of("p1"), fussy);
    }

    @Test
    void aNewConsumerStartsWhereItsEndpointSays() throws Exception {
        relay.relay(context);
        append("p1", "p2");
        relay.relay(context);
        List<String> late = new CopyOnWriteArrayList<>();
        List<String> fromOldest = new CopyOnWriteArrayList<>();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("gatehouse:passages").routeId("late").process(e -> late.add(id(e)));
                from("gatehouse:passages?startAt=oldest").routeId("replay").process(e -> fromOldest.add(id(e)));
            }
        });
        relay.relay(context);
        append("p3");
        relay.relay(context);
        assertEquals(List.of("p3"), late, "now: only what comes after");
        assertEquals(List.of("p1", "p2", "p3"), fromOldest, "oldest: the earlier events too, in order");
        assertThrows(Exception.class, () -> context.getEndpoint("gatehouse:passages?startAt=yesterday"));
    }

    /**
     * A route that hangs on its target (no timeout) holds up no other consumer: it is skipped while busy, reported as
     * a failed attempt once it has not answered for the delivery timeout, and goes on where it was when it answers.
     */
    @Test
    void aConsumerThatHangsHoldsUpNobodyAndIsReportedAfterTheDeliveryTimeout() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        List<String> slow = new CopyOnWriteArrayList<>();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("gatehouse:passages").routeId("hangs").process(e -> {
                    release.await();
                    slow.add(id(e));
                });
            }
        });
        relay.relay(context);
        append("p1", "p2");
        relay.relay(context); // the others take p1, p2; "hangs" hangs at p1 on its thread
        append("p3");
        relay.relay(context);
        assertEquals(List.of("p1", "p2", "p3"), healthy, "not held up");
        assertEquals(List.of("p1", "p2", "p3"), fussy);
        assertEquals(0, state("passages/hangs").attempts());

        clock.advance(Duration.ofMinutes(3)); // past the delivery timeout (120 s)
        relay.relay(context);
        assertEquals(1, state("passages/hangs").attempts());
        assertTrue(state("passages/hangs").lastError().startsWith("the route has not answered for 180 s"),
                state("passages/hangs").lastError());
        relay.relay(context);
        assertEquals(1, state("passages/hangs").attempts(), "reported once per hang");
        assertEquals(3, outbox.pendingCount(), "p1..p3 wait for it");

        release.countDown();
        long until = System.currentTimeMillis() + 10_000;
        while (slow.size() < 3 && System.currentTimeMillis() < until) {
            relay.relay(context);
        }
        assertEquals(List.of("p1", "p2", "p3"), slow, "in order, once each, after it answered");
        assertEquals(0, state("passages/hangs").attempts());
        relay.relay(context);
        assertEquals(0, outbox.pendingCount());
    }

    private void append(String... ids) {
        for (String id : ids) {
            outbox.append("passages", id, "c", "{}");
        }
    }

    private org.gatehouse.api.service.StreamConsumers.ConsumerState state(String id) {
        return consumers.consumer(id).orElseThrow();
    }

    static OutboxRelay.Config config(int batch, int maxAttempts, long initial, long longest) {
        return Converters.standardConverter().convert(Map.of("batchSize", batch, "maxAttempts", maxAttempts,
                "retryInitialMillis", initial, "retryMaxMillis", longest)).to(OutboxRelay.Config.class);
    }
}

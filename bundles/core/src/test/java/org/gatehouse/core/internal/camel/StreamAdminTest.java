package org.gatehouse.core.internal.camel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.gatehouse.api.service.AuditLog.AuditEntry;
import org.gatehouse.api.service.NotFoundException;
import org.gatehouse.api.service.Scope;
import org.gatehouse.api.service.StreamConsumers.DeadLetter;
import org.gatehouse.api.service.StreamConsumers.StartAt;
import org.gatehouse.api.stream.Streams;
import org.gatehouse.core.api.AuditTrails;
import org.gatehouse.core.api.Caller;
import org.gatehouse.core.api.Refusal;
import org.gatehouse.core.api.Roles;
import org.gatehouse.core.internal.testing.MemoryAudit;
import org.gatehouse.core.internal.testing.MemoryOutbox;
import org.gatehouse.core.internal.testing.MemoryStreamConsumers;
import org.gatehouse.core.internal.testing.MovableClock;
import org.gatehouse.core.internal.testing.StreamContexts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Replaying and skipping dead letters: once, audited, and never lost when the consumer's route is gone. */
class StreamAdminTest {
    private static final String CONSUMER = "passages/police-feed";
    private final MemoryOutbox outbox = new MemoryOutbox();
    private final MemoryStreamConsumers consumers = new MemoryStreamConsumers(outbox);
    private final MemoryAudit audit = new MemoryAudit();
    private final MovableClock clock = new MovableClock();
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final Set<String> refused = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Caller admin = new Caller("alice", Set.of(Roles.CITY_ADMIN), Scope.all());
    private CamelContext context;
    private StreamAdmin streams;

    @BeforeEach
    void start() throws Exception {
        context = StreamContexts.started(new RouteBuilder() {
            @Override
            public void configure() {
                from("gatehouse:passages").routeId("police-feed").process(e -> {
                    String id = e.getIn().getHeader(Streams.HEADER_EVENT_ID, String.class);
                    if (refused.contains(id)) {
                        throw new IllegalStateException("police registry answered 422 for " + id);
                    }
                    received.add(id + " " + e.getIn().getHeader(Streams.HEADER_COMMUNITY_ID) + " "
                            + e.getIn().getBody(String.class));
                });
            }
        });
        AuditTrails trails = AuditTrails.writingTo(audit);
        streams = new StreamAdmin(context, new OutboxRelay(consumers, trails, OutboxRelayTest.config(10, 3, 1000, 4000),
                clock), consumers, trails, clock);
        consumers.register(CONSUMER, Streams.PASSAGES, StartAt.OLDEST);
    }

    @AfterEach
    void stop() {
        context.stop();
    }

    /** An event the consumer gave up on. */
    private DeadLetter deadLetter(String eventId) {
        outbox.append(Streams.PASSAGES, eventId, "c1", "{\"id\":\"" + eventId + "\"}");
        var entry = consumers.after(Streams.PASSAGES, 0, 100).stream().filter(e -> e.eventId().equals(eventId))
                .findFirst().orElseThrow();
        return consumers.deadLetter(CONSUMER, entry, 10, "police registry down", clock.instant());
    }

    @Test
    void aReplayedLetterReachesItsRouteNowAndIsResolvedByTheCaller() {
        DeadLetter letter = deadLetter("p1");
        clock.advance(Duration.ofMinutes(5));
        DeadLetter replayed = streams.replay(admin, letter.id());
        assertEquals(List.of("p1 c1 {\"id\":\"p1\"}"), received, "payload and headers as the relay hands them");
        assertEquals(List.of("REPLAYED", "alice", clock.instant()), List.of(replayed.status(), replayed.resolvedBy(),
                replayed.resolvedAt()));
        AuditEntry entry = audit.last();
        assertEquals(List.of("alice", "stream.dead-letter.replay", "c1", "p1"), List.of(entry.actor(), entry.action(),
                entry.communityId(), entry.subjectId()));
        assertTrue(entry.detail().contains(CONSUMER) && entry.detail().endsWith("REPLAYED"), entry.detail());
        assertTrue(streams.deadLetters(null, false, 10).isEmpty(), "no open letter left");
        assertEquals(1, streams.deadLetters(CONSUMER, true, 10).size());
    }

    @Test
    void aReplayThatFailsAgainLeavesTheLetterOpenWithTheNewErrorAndSaysSo() {
        DeadLetter letter = deadLetter("p2");
        refused.add("p2");
        Refusal failed = assertThrows(Refusal.class, () -> streams.replay(admin, letter.id()));
        assertEquals(List.of(502, "REPLAY_FAILED"), List.of(failed.status(), failed.code()));
        assertTrue(failed.getMessage().contains("police registry answered 422 for p2"), failed.getMessage());
        DeadLetter still = streams.deadLetter(letter.id());
        assertEquals(List.of("OPEN", 11), List.of(still.status(), still.attempts()));
        assertTrue(still.error().contains("422"), still.error());
        assertTrue(audit.last().detail().contains("FAILED, stays open"), audit.last().detail());
        refused.clear();
        assertEquals("REPLAYED", streams.replay(admin, letter.id()).status(), "replayed once the route takes it");
    }

    @Test
    void aLetterIsResolvedOnceAndTheSecondAttemptSaysByWhomAndWhen() {
        DeadLetter letter = deadLetter("p3");
        DeadLetter skipped = streams.skip(admin, letter.id(), "  the partner deleted that record ");
        assertEquals(List.of("SKIPPED", "alice", "the partner deleted that record"), List.of(skipped.status(),
                skipped.resolvedBy(), skipped.resolution()));
        assertEquals(List.of("alice", "stream.dead-letter.skip", "p3"), List.of(audit.last().actor(),
                audit.last().action(), audit.last().subjectId()));
        assertTrue(audit.last().detail().endsWith("SKIPPED: the partner deleted that record"), audit.last().detail());

        Caller bob = new Caller("bob", Set.of(Roles.CITY_ADMIN), Scope.all());
        Refusal again = assertThrows(Refusal.class, () -> streams.replay(bob, letter.id()));
        assertEquals(List.of(409, "DEAD_LETTER_RESOLVED"), List.of(again.status(), again.code()));
        assertTrue(again.getMessage().contains("was already SKIPPED by alice at " + clock.instant()),
                again.getMessage());
        assertTrue(received.isEmpty(), "a skipped letter is never handed to the route");
        assertEquals(List.of("bob", "stream.dead-letter.replay.refused"), List.of(audit.last().actor(),
                audit.last().action()));
        Refusal skipTwice = assertThrows(Refusal.class, () -> streams.skip(bob, letter.id(), "again"));
        assertEquals(409, skipTwice.status());
        assertEquals("SKIPPED", streams.deadLetter(letter.id()).status());
        assertEquals("alice", streams.deadLetter(letter.id()).resolvedBy(), "the first resolution stands");

        DeadLetter another = deadLetter("p4");
        assertEquals(StreamAdmin.NO_REASON, streams.skip(admin, another.id(), " ").resolution());
    }

    @Test
    void aLetterWhoseRouteIsNotRunningIsRefusedAndStaysOpen() throws Exception {
        DeadLetter letter = deadLetter("p5");
        context.getRouteController().stopRoute("police-feed");
        context.removeRoute("police-feed");
        Refusal refusal = assertThrows(Refusal.class, () -> streams.replay(admin, letter.id()));
        assertEquals(List.of(409, "CONSUMER_NOT_RUNNING"), List.of(refusal.status(), refusal.code()));
        assertTrue(refusal.getMessage().startsWith("The route police-feed is not running"), refusal.getMessage());
        assertTrue(refusal.getMessage().contains("Put the route file back") && refusal.getMessage().contains(
                "skip the letter"), refusal.getMessage());
        assertTrue(refusal.message(Locale.SIMPLIFIED_CHINESE).contains("路由 police-feed 未运行"),
                refusal.message(Locale.SIMPLIFIED_CHINESE));
        assertEquals("OPEN", streams.deadLetter(letter.id()).status(), "nothing is lost");
        assertNull(streams.deadLetter(letter.id()).resolvedBy());
        assertEquals(List.of("alice", "stream.dead-letter.replay.refused"), List.of(audit.last().actor(),
                audit.last().action()));
        assertTrue(audit.last().detail().endsWith("CONSUMER_NOT_RUNNING"), audit.last().detail());
        // listed as not live, with its open letter
        var report = streams.consumers().get(0);
        assertEquals(List.of(CONSUMER, false, 1), List.of(report.id(), report.live(), report.openDeadLetters()));
    }

    @Test
    void anUnknownLetterIsNotFound() {
        assertThrows(NotFoundException.class, () -> streams.replay(admin, 404));
        assertThrows(NotFoundException.class, () -> streams.skip(admin, 404, "x"));
    }

    @Test
    void everyEnglishMessageHasAChineseOne() throws Exception {
        Properties en = load("messages.properties");
        Properties zh = load("messages_zh_CN.properties");
        assertEquals(en.keySet(), zh.keySet());
        for (String key : en.stringPropertyNames()) {
            assertTrue(!en.getProperty(key).contains("'"), "no apostrophe in a MessageFormat pattern: " + key);
        }
    }

    private static Properties load(String name) throws Exception {
        Properties p = new Properties();
        try (InputStream in = StreamAdmin.class.getResourceAsStream(name)) {
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return p;
    }
}

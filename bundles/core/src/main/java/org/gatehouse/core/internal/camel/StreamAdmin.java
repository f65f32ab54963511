package org.gatehouse.core.internal.camel;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.apache.camel.CamelContext;
import org.gatehouse.api.service.NotFoundException;
import org.gatehouse.api.service.OutboxRepository.OutboxEntry;
import org.gatehouse.api.service.StreamConsumers;
import org.gatehouse.api.service.StreamConsumers.ConsumerState;
import org.gatehouse.api.service.StreamConsumers.DeadLetter;
import org.gatehouse.api.stream.Streams;
import org.gatehouse.core.api.AuditTrail;
import org.gatehouse.core.api.AuditTrails;
import org.gatehouse.core.api.Caller;
import org.gatehouse.core.api.MessageBundle;
import org.gatehouse.core.api.Refusal;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an operator does with the streams' consumers (REST {@code /api/streams}, the shell): list them with where they
 * are, list their dead letters, hand a dead letter's event again to its consumer now (replay) or give up on it
 * (skip). Both are audited ({@code stream.dead-letter.replay}, {@code stream.dead-letter.skip}, their refusals with
 * {@code .refused}). A letter is resolved once; one whose consumer's route is not running stays open (nothing is
 * lost): its route file can be put back, or the letter skipped.
 */
@Component(service = StreamAdmin.class)
public class StreamAdmin {
    private static final Logger LOG = LoggerFactory.getLogger(StreamAdmin.class);
    public static final MessageBundle MESSAGES = MessageBundle.of(StreamAdmin.class);
    static final String NO_REASON = "no reason given";

    /**
     * One consumer: where it is ({@code position}, {@code lag} events behind), failed attempts at its next event and
     * when it is tried again, since when it has failed without a success, its last success and error, its open dead
     * letters, a note when it asked for events retention had removed; {@code live} while its route runs.
     */
    public record ConsumerReport(String id, String stream, boolean live, long position, long lag, int attempts,
                                 Instant nextAttemptAt, Instant lastSuccessAt, String lastError, Instant lastErrorAt,
                                 int openDeadLetters, Instant failingSince, String startNote) {
    }

    private final CamelContext camel;
    private final OutboxRelay relay;
    private final StreamConsumers consumers;
    private final AuditTrail audit;
    private final Clock clock;

    @Activate
    public StreamAdmin(@Reference(target = GatehouseCamelContext.TARGET) CamelContext camel,
                       @Reference OutboxRelay relay, @Reference StreamConsumers consumers,
                       @Reference AuditTrails trails) {
        this(camel, relay, consumers, trails, Clock.systemUTC());
    }

    public StreamAdmin(CamelContext camel, OutboxRelay relay, StreamConsumers consumers, AuditTrails trails,
                       Clock clock) {
        this.camel = camel;
        this.relay = relay;
        this.consumers = consumers;
        this.audit = trails.of("core");
        this.clock = clock;
    }

    /** Every consumer ever registered, by id (the store's failures reach the caller). */
    public List<ConsumerReport> consumers() {
        return reports(camel.getComponent(Streams.SCHEME, StreamComponent.class), consumers);
    }

    /** The consumers' reports, live ones marked: for the status and the REST API alike. */
    public static List<ConsumerReport> reports(StreamComponent streams, StreamConsumers store) {
        Set<String> live = streams.liveConsumerIds();
        List<ConsumerReport> out = new ArrayList<>();
        for (ConsumerState c : store.consumers()) {
            out.add(new ConsumerReport(c.consumerId(), c.stream(), live.contains(c.consumerId()), c.position(),
                    Math.max(0, store.newest(c.stream()) - c.position()), c.attempts(), c.nextAttemptAt(),
                    c.lastSuccessAt(), c.lastError(), c.lastErrorAt(),
                    store.deadLetters(c.consumerId(), true, 1000).size(), c.failingSince(), c.startNote()));
        }
        return out;
    }

    /** Dead letters, newest first: of one consumer (or all when null), the open ones unless {@code all}. */
    public List<DeadLetter> deadLetters(String consumerId, boolean all, int limit) {
        String consumer = consumerId == null || consumerId.isBlank() ? null : consumerId.trim();
        return consumers.deadLetters(consumer, !all, limit);
    }

    /** The letter, or 404. */
    public DeadLetter deadLetter(long id) {
        return consumers.deadLetter(id).orElseThrow(() -> new NotFoundException("dead letter", String.valueOf(id)));
    }

    /**
     * Hands the letter's event again to its consumer, now, on the caller's thread. Taken: the letter is
     * {@code REPLAYED} by the caller. Failed: it stays open with the new error, and the caller gets 502
     * {@code REPLAY_FAILED} with it. Refused (409): a letter already resolved, a consumer whose route is not running,
     * an event no longer stored.
     */
    public synchronized DeadLetter replay(Caller caller, long id) {
        DeadLetter letter = deadLetter(id);
        requireOpen(caller, letter, "replay");
        StreamConsumer route = live(letter.consumerId()).orElseThrow(() -> refused(caller, letter, "replay",
                MESSAGES.conflict("CONSUMER_NOT_RUNNING", "deadLetter.notRunning", String.valueOf(id), routeId(letter))));
        OutboxEntry event = consumers.deadLetterEvent(id).orElseThrow(() -> refused(caller, letter, "replay",
                MESSAGES.conflict("EVENT_GONE", "deadLetter.eventGone", String.valueOf(id))));
        // through the relay: shaped for this consumer (its person fields only), a 4xx a failure, the send audited
        Delivery delivery = relay.handOver(route, event, "replay of dead letter " + id + " by " + caller.name());
        Exception failure = delivery.failure();
        Instant now = clock.instant();
        if (failure != null) {
            String error = String.valueOf(failure.getMessage());
            DeadLetter still = consumers.replayFailed(id, error, now);
            audit.recordQuietly(caller.name(), "stream.dead-letter.replay", event.communityId(), event.eventId(),
                    describe(letter) + ": FAILED, stays open: " + error);
            LOG.warn("Replay of dead letter {} ({} event {}) by {} failed; it stays open: {}", id,
                    letter.consumerId(), letter.eventId(), caller.name(), error);
            throw MESSAGES.refusal(502, "REPLAY_FAILED", "deadLetter.replayFailed", String.valueOf(id), routeId(letter),
                    error, still.attempts());
        }
        DeadLetter replayed = consumers.resolve(id, DeadLetter.REPLAYED, caller.name(), now, null);
        audit.recordQuietly(caller.name(), "stream.dead-letter.replay", event.communityId(), event.eventId(),
                describe(letter) + ": REPLAYED");
        LOG.info("Dead letter {} ({} event {}) replayed by {}", id, letter.consumerId(), letter.eventId(),
                caller.name());
        return replayed;
    }

    /** Gives up on the letter: {@code SKIPPED} by the caller, with the reason. Refused (409) once resolved. */
    public synchronized DeadLetter skip(Caller caller, long id, String reason) {
        DeadLetter letter = deadLetter(id);
        requireOpen(caller, letter, "skip");
        String why = reason == null || reason.isBlank() ? NO_REASON : reason.strip();
        DeadLetter skipped = consumers.resolve(id, DeadLetter.SKIPPED, caller.name(), clock.instant(), why);
        audit.record(caller.name(), "stream.dead-letter.skip", null, letter.eventId(),
                describe(letter) + ": SKIPPED: " + why);
        LOG.info("Dead letter {} ({} event {}) skipped by {}: {}", id, letter.consumerId(), letter.eventId(),
                caller.name(), why);
        return skipped;
    }

    /** The running route of a consumer. */
    Optional<StreamConsumer> live(String consumerId) {
        return camel.getComponent(Streams.SCHEME, StreamComponent.class).consumer(consumerId);
    }

    private void requireOpen(Caller caller, DeadLetter letter, String what) {
        if (!letter.open()) {
            throw refused(caller, letter, what, MESSAGES.conflict("DEAD_LETTER_RESOLVED", "deadLetter.resolved",
                    String.valueOf(letter.id()), letter.status(), letter.resolvedBy(), String.valueOf(letter.resolvedAt())));
        }
    }

    private Refusal refused(Caller caller, DeadLetter letter, String what, Refusal refusal) {
        audit.refused(caller.name(), "stream.dead-letter." + what + ".refused", null, letter.eventId(),
                describe(letter) + ": " + refusal.code());
        return refusal;
    }

    /** The route id of a consumer ({@code <stream>/<route id>}). */
    static String routeId(DeadLetter letter) {
        String id = letter.consumerId();
        String prefix = letter.stream() + "/";
        return id.startsWith(prefix) ? id.substring(prefix.length()) : id;
    }

    private static String describe(DeadLetter letter) {
        return "dead letter " + letter.id() + " of consumer " + letter.consumerId() + ", event " + letter.eventId()
                + " (gatehouse:" + letter.stream() + " #" + letter.sequence() + ")";
    }
}

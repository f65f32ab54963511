package org.gatehouse.api.service;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.gatehouse.api.service.OutboxRepository.OutboxEntry;

/**
 * Each consumer of a stream (a module's route or a drop-in route file, by route id) has its own position in the
 * outbox: what it has handled, its failed attempts at the next event, when it is tried again, and its dead letters
 * (events it could not take after its attempts). A consumer that fails never blocks the others of its stream nor
 * makes them receive an event twice.
 */
public interface StreamConsumers {
    /**
     * The consumer's state; a consumer seen for the first time is registered at {@code start}: the newest event of
     * the stream ({@link StartAt#NOW}), before the oldest one retention keeps ({@link StartAt#OLDEST}), or before the
     * first event written at or after a time.
     */
    ConsumerState register(String consumerId, String stream, StartAt start);

    Optional<ConsumerState> consumer(String consumerId);

    /** Every consumer ever registered, by id. */
    List<ConsumerState> consumers();

    /** The stream's events after {@code position}, in order. */
    List<OutboxEntry> after(String stream, long position, int limit);

    /** The sequence of the stream's newest event (0 when it has none). */
    long newest(String stream);

    /** The consumer took the event at {@code sequence}: its position moves there, its attempts start again. */
    void delivered(String consumerId, long sequence, Instant at);

    /** The consumer failed at its next event; it is tried again at {@code nextAttemptAt}. Returns the attempts. */
    int failed(String consumerId, String error, Instant at, Instant nextAttemptAt);

    /** The consumer gave up on {@code entry}: it becomes an open dead letter and the consumer moves past it. */
    DeadLetter deadLetter(String consumerId, OutboxEntry entry, int attempts, String error, Instant at);

    /** Dead letters, newest first: of one consumer (or all when null), only the open ones if asked. */
    List<DeadLetter> deadLetters(String consumerId, boolean openOnly, int limit);

    /** Marks the stream's events up to {@code sequence} published (every live consumer is past them). */
    void markPublishedUpTo(String stream, long sequence);

    /** One dead letter, whatever its status. */
    Optional<DeadLetter> deadLetter(long id);

    /**
     * The event a dead letter names, as the outbox holds it (retention keeps the outbox rows of open dead letters;
     * empty for a letter whose event is gone, e.g. one resolved long ago).
     */
    Optional<OutboxEntry> deadLetterEvent(long id);

    /**
     * Resolves an open dead letter: {@code status} {@code REPLAYED} (its consumer took the event when it was handed
     * again) or {@code SKIPPED} (given up on), by whom, when and why ({@code note}, may be null). A letter that is
     * not open is refused ({@link ConflictException} saying by whom and when it was resolved); an unknown id is a
     * {@link NotFoundException}. Of two resolving the same letter at once, one wins.
     */
    DeadLetter resolve(long id, String status, String by, Instant at, String note);

    /** Handing an open dead letter's event again failed: it stays open with {@code error}, one attempt more. */
    DeadLetter replayFailed(long id, String error, Instant at);

    /** Where a new consumer starts. */
    record StartAt(String mode, Instant at) {
        public static final StartAt NOW = new StartAt("now", null);
        public static final StartAt OLDEST = new StartAt("oldest", null);

        public static StartAt at(Instant at) {
            return new StartAt("time", at);
        }

        /** {@code now}, {@code oldest} or an ISO-8601 instant; anything else is refused. */
        public static StartAt parse(String text) {
            if (text == null || text.isBlank() || "now".equalsIgnoreCase(text.trim())) {
                return NOW;
            }
            if ("oldest".equalsIgnoreCase(text.trim())) {
                return OLDEST;
            }
            try {
                return at(Instant.parse(text.trim()));
            } catch (java.time.format.DateTimeParseException e) {
                throw new IllegalArgumentException("startAt must be now, oldest or an ISO-8601 instant such as "
                        + "2026-12-01T00:00:00Z, not '" + text + "'");
            }
        }
    }

    /**
     * {@code failingSince}: when the consumer began failing without a success since (null while it is not failing);
     * {@code startNote}: set when it was registered to start before the oldest event retention kept, saying what it
     * asked for and what it got.
     */
    record ConsumerState(String consumerId, String stream, long position, int attempts, Instant nextAttemptAt,
                         Instant lastSuccessAt, String lastError, Instant lastErrorAt, Instant createdAt,
                         Instant failingSince, String startNote) {
        public ConsumerState(String consumerId, String stream, long position, int attempts, Instant nextAttemptAt,
                             Instant lastSuccessAt, String lastError, Instant lastErrorAt, Instant createdAt) {
            this(consumerId, stream, position, attempts, nextAttemptAt, lastSuccessAt, lastError, lastErrorAt,
                    createdAt, null, null);
        }
    }

    /** {@code status} {@code OPEN}, {@code REPLAYED} or {@code SKIPPED}; resolved ones say by whom, when, why. */
    record DeadLetter(long id, String consumerId, String stream, long sequence, String eventId, int attempts,
                      String error, Instant failedAt, String status, String resolvedBy, Instant resolvedAt,
                      String resolution) {
        public static final String OPEN = "OPEN";
        public static final String REPLAYED = "REPLAYED";
        public static final String SKIPPED = "SKIPPED";

        public DeadLetter(long id, String consumerId, String stream, long sequence, String eventId, int attempts,
                          String error, Instant failedAt, String status) {
            this(id, consumerId, stream, sequence, eventId, attempts, error, failedAt, status, null, null, null);
        }

        public boolean open() {
            return OPEN.equals(status);
        }
    }
}

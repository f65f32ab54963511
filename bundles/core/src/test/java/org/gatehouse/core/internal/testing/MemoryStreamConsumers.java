package org.gatehouse.core.internal.testing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.gatehouse.api.service.ConflictException;
import org.gatehouse.api.service.NotFoundException;
import org.gatehouse.api.service.OutboxRepository.OutboxEntry;
import org.gatehouse.api.service.StreamConsumers;

/** Consumers' positions and dead letters over a {@link MemoryOutbox}, failing with it when it is "down". */
public class MemoryStreamConsumers implements StreamConsumers {
    private final MemoryOutbox outbox;
    private final Map<String, ConsumerState> states = new TreeMap<>();
    private final List<DeadLetter> dead = new ArrayList<>();

    public MemoryStreamConsumers(MemoryOutbox outbox) {
        this.outbox = outbox;
    }

    private Stream<OutboxEntry> all(String stream) {
        return Stream.concat(outbox.pending(Integer.MAX_VALUE).stream(), outbox.published().stream())
                .filter(e -> e.stream().equals(stream)).sorted(Comparator.comparingLong(OutboxEntry::sequence));
    }

    @Override
    public synchronized ConsumerState register(String consumerId, String stream, StartAt start) {
        return states.computeIfAbsent(consumerId, id -> new ConsumerState(id, stream, switch (start.mode()) {
            case "oldest" -> 0L;
            case "time" -> all(stream).filter(e -> e.createdAt().isBefore(start.at()))
                    .mapToLong(OutboxEntry::sequence).max().orElse(0);
            default -> newest(stream);
        }, 0, null, null, null, null, Instant.now()));
    }

    @Override
    public synchronized Optional<ConsumerState> consumer(String consumerId) {
        outbox.pendingCount(); // fails while "down"
        return Optional.ofNullable(states.get(consumerId));
    }

    @Override
    public synchronized List<ConsumerState> consumers() {
        outbox.pendingCount();
        return List.copyOf(states.values());
    }

    @Override
    public synchronized List<OutboxEntry> after(String stream, long position, int limit) {
        return all(stream).filter(e -> e.sequence() > position).limit(limit).toList();
    }

    @Override
    public synchronized long newest(String stream) {
        return all(stream).mapToLong(OutboxEntry::sequence).max().orElse(0);
    }

    @Override
    public synchronized void delivered(String consumerId, long sequence, Instant at) {
        ConsumerState s = state(consumerId);
        states.put(consumerId, new ConsumerState(s.consumerId(), s.stream(), Math.max(sequence, s.position()), 0,
                null, at, s.lastError(), s.lastErrorAt(), s.createdAt(), null, s.startNote()));
    }

    @Override
    public synchronized int failed(String consumerId, String error, Instant at, Instant nextAttemptAt) {
        ConsumerState s = state(consumerId);
        states.put(consumerId, new ConsumerState(s.consumerId(), s.stream(), s.position(), s.attempts() + 1,
                nextAttemptAt, s.lastSuccessAt(), error, at, s.createdAt(),
                s.failingSince() == null ? at : s.failingSince(), s.startNote()));
        return s.attempts() + 1;
    }

    @Override
    public synchronized DeadLetter deadLetter(String consumerId, OutboxEntry entry, int attempts, String error,
                                              Instant at) {
        ConsumerState s = state(consumerId);
        DeadLetter letter = new DeadLetter(dead.size() + 1, consumerId, s.stream(), entry.sequence(), entry.eventId(),
                attempts, error, at, "OPEN");
        dead.add(letter);
        states.put(consumerId, new ConsumerState(s.consumerId(), s.stream(), Math.max(entry.sequence(), s.position()),
                0, null, s.lastSuccessAt(), error, at, s.createdAt(), s.failingSince() == null ? at : s.failingSince(),
                s.startNote()));
        return letter;
    }

    @Override
    public synchronized List<DeadLetter> deadLetters(String consumerId, boolean openOnly, int limit) {
        return dead.stream().filter(d -> consumerId == null || d.consumerId().equals(consumerId))
                .filter(d -> !openOnly || "OPEN".equals(d.status()))
                .sorted(Comparator.comparingLong(DeadLetter::id).reversed()).limit(limit).toList();
    }

    @Override
    public synchronized void markPublishedUpTo(String stream, long sequence) {
        for (OutboxEntry e : outbox.pending(Integer.MAX_VALUE)) {
            if (e.stream().equals(stream) && e.sequence() <= sequence) {
                outbox.markPublished(e.sequence());
            }
        }
    }

    @Override
    public synchronized Optional<DeadLetter> deadLetter(long id) {
        outbox.pendingCount();
        return dead.stream().filter(d -> d.id() == id).findFirst();
    }

    @Override
    public synchronized Optional<OutboxEntry> deadLetterEvent(long id) {
        return deadLetter(id).flatMap(d -> all(d.stream()).filter(e -> e.sequence() == d.sequence()).findFirst());
    }

    @Override
    public synchronized DeadLetter resolve(long id, String status, String by, Instant at, String note) {
        if (!DeadLetter.REPLAYED.equals(status) && !DeadLetter.SKIPPED.equals(status)) {
            throw new IllegalArgumentException("status must be REPLAYED or SKIPPED, not " + status);
        }
        DeadLetter d = open(id);
        return replace(new DeadLetter(d.id(), d.consumerId(), d.stream(), d.sequence(), d.eventId(), d.attempts(),
                d.error(), d.failedAt(), status, by, at, note));
    }

    @Override
    public synchronized DeadLetter replayFailed(long id, String error, Instant at) {
        DeadLetter d = open(id);
        return replace(new DeadLetter(d.id(), d.consumerId(), d.stream(), d.sequence(), d.eventId(),
                d.attempts() + 1, error, at, d.status()));
    }

    /** Sets a consumer's state as a test needs it (e.g. failing since a given time). */
    public synchronized void put(ConsumerState state) {
        states.put(state.consumerId(), state);
    }

    private DeadLetter open(long id) {
        DeadLetter d = deadLetter(id).orElseThrow(() -> new NotFoundException("dead letter", String.valueOf(id)));
        if (!d.open()) {
            throw new ConflictException("dead letter " + id + " was already " + d.status() + " by " + d.resolvedBy()
                    + " at " + d.resolvedAt());
        }
        return d;
    }

    private DeadLetter replace(DeadLetter letter) {
        dead.replaceAll(d -> d.id() == letter.id() ? letter : d);
        return letter;
    }

    private ConsumerState state(String consumerId) {
        outbox.pendingCount();
        ConsumerState s = states.get(consumerId);
        if (s == null) {
            throw new NotFoundException("stream consumer", consumerId);
        }
        return s;
    }
}

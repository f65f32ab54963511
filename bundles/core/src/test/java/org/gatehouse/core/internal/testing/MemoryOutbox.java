package org.gatehouse.core.internal.testing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

import org.gatehouse.api.service.OutboxRepository;
import org.gatehouse.api.service.StoreUnavailableException;

/** An outbox kept in memory that can be switched "down" like a database. */
public class MemoryOutbox implements OutboxRepository {
    private final Map<Long, OutboxEntry> pending = new TreeMap<>();
    private final List<OutboxEntry> published = new ArrayList<>();
    private final AtomicLong sequence = new AtomicLong();
    public volatile boolean down;

    @Override
    public synchronized void append(String stream, String eventId, String communityId, String payloadJson) {
        check();
        boolean known = pending.values().stream().anyMatch(e -> e.stream().equals(stream) && e.eventId().equals(eventId))
                || published.stream().anyMatch(e -> e.stream().equals(stream) && e.eventId().equals(eventId));
        if (!known) {
            long seq = sequence.incrementAndGet();
            pending.put(seq, new OutboxEntry(seq, stream, eventId, communityId, payloadJson, Instant.now(), 0));
        }
    }

    @Override
    public synchronized List<OutboxEntry> pending(int limit) {
        check();
        return pending.values().stream().limit(limit).toList();
    }

    @Override
    public synchronized void markPublished(long seq) {
        check();
        OutboxEntry e = pending.remove(seq);
        if (e != null) {
            published.add(e);
        }
    }


    @Override
    public synchronized long pendingCount() {
        check();
        return pending.size();
    }

    public synchronized List<OutboxEntry> published() {
        return List.copyOf(published);
    }

    private void check() {
        if (down) {
            throw new StoreUnavailableException("database down (test)", null);
        }
    }
}

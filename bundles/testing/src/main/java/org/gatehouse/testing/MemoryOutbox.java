package org.gatehouse.testing;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import org.gatehouse.api.service.OutboxRepository;

/** The outbox: entries in sequence order, published when marked. */
public class MemoryOutbox implements OutboxRepository {
    public final List<OutboxEntry> entries = new CopyOnWriteArrayList<>();
    public final AtomicLong seq = new AtomicLong();
    /** While set, every append fails (a database refusing the outbox row). */
    public volatile boolean failing;

    @Override
    public void append(String stream, String eventId, String communityId, String payloadJson) {
        if (failing) {
            throw new IllegalStateException("the outbox refuses " + stream + " " + eventId);
        }
        if (entries.stream().anyMatch(e -> e.stream().equals(stream) && e.eventId().equals(eventId))) {
            return;
        }
        entries.add(new OutboxEntry(seq.incrementAndGet(), stream, eventId, communityId, payloadJson, Instant.now(),
                0));
    }

    @Override
    public List<OutboxEntry> pending(int limit) {
        return entries.stream().limit(limit).toList();
    }

    @Override
    public void markPublished(long sequence) {
    }


    @Override
    public long pendingCount() {
        return entries.size();
    }
}

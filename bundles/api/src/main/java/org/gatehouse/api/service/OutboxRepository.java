package org.gatehouse.api.service;

import java.time.Instant;
import java.util.List;

/**
 * Events written in the store before they are published on a stream, so that none is lost while a
 * consumer or the broker is down. The core's relay delivers them to each consumer ({@link StreamConsumers}) and marks
 * them published once every live consumer took them.
 */
public interface OutboxRepository {
    /** Appends an event; an event id already present for the stream is ignored (idempotent). */
    void append(String stream, String eventId, String communityId, String payloadJson);

    /** The oldest entries not yet published, in order. */
    List<OutboxEntry> pending(int limit);

    void markPublished(long sequence);

    long pendingCount();

    record OutboxEntry(long sequence, String stream, String eventId, String communityId, String payloadJson,
                       Instant createdAt, int attempts) {
    }
}

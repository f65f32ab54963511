package org.gatehouse.gate.isapi.internal;

import java.time.Instant;

/** What one terminal's sync and event ingest did last (in memory, per node); the stream position is the store's. */
final class SyncState {
    private String lastEventId;
    private Instant lastAppliedAt;
    private String lastError;
    private Instant lastErrorAt;
    private Instant failingSince;
    private Instant lastResyncAt;
    private String lastResync;
    private Instant eventsPolledAt;
    private long passagesStored;

    synchronized void applied(String eventId, Instant at) {
        lastEventId = eventId;
        lastAppliedAt = at;
        failingSince = null;
    }

    synchronized void failed(String error, Instant at) {
        lastError = error;
        lastErrorAt = at;
        if (failingSince == null) {
            failingSince = at;
        }
    }

    synchronized void resynced(String summary, Instant at) {
        lastResync = summary;
        lastResyncAt = at;
        failingSince = null;
    }

    synchronized void polled(Instant at, int stored) {
        eventsPolledAt = at;
        passagesStored += stored;
    }

    synchronized Snapshot snapshot() {
        return new Snapshot(lastEventId, lastAppliedAt, lastError, lastErrorAt, failingSince, lastResync, lastResyncAt,
                eventsPolledAt, passagesStored);
    }

    record Snapshot(String lastEventId, Instant lastAppliedAt, String lastError, Instant lastErrorAt,
                    Instant failingSince, String lastResync, Instant lastResyncAt, Instant eventsPolledAt,
                    long passagesStored) {
    }
}

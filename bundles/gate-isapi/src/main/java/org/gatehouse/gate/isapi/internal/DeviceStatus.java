package org.gatehouse.gate.isapi.internal;

import java.time.Instant;

import org.gatehouse.api.model.Device;
import org.gatehouse.api.service.StreamConsumers;

/**
 * One ISAPI terminal's sync state as shown by {@code gatehouse:isapi-devices} and {@code GET /api/isapi/devices}:
 * its stream consumer's position and lag (events behind the newest), failed attempts, next attempt and open dead
 * letters; the last event applied, the last error, the last full resync and event poll.
 */
public record DeviceStatus(String deviceId, String name, String communityId, String baseUrl, int doorNo,
                           String consumerId, long position, long lag, int attempts, Instant nextAttemptAt,
                           int deadLetters, String lastEventId, Instant lastAppliedAt, String lastError,
                           Instant lastErrorAt, Instant failingSince, String lastResync, Instant lastResyncAt,
                           Instant eventsPolledAt, long passagesStored) {
    static DeviceStatus of(Device d, String baseUrl, int doorNo, String consumerId,
                           StreamConsumers.ConsumerState c, long newest, int deadLetters, SyncState.Snapshot s) {
        long position = c == null ? 0 : c.position();
        return new DeviceStatus(d.id(), d.name(), d.communityId(), baseUrl, doorNo, consumerId, position,
                c == null ? newest : Math.max(0, newest - position), c == null ? 0 : c.attempts(),
                c == null ? null : c.nextAttemptAt(), deadLetters, s.lastEventId(), s.lastAppliedAt(),
                c != null && c.lastError() != null ? c.lastError() : s.lastError(),
                c != null && c.lastErrorAt() != null ? c.lastErrorAt() : s.lastErrorAt(),
                c != null && c.failingSince() != null ? c.failingSince() : s.failingSince(), s.lastResync(),
                s.lastResyncAt(), s.eventsPolledAt(), s.passagesStored());
    }
}

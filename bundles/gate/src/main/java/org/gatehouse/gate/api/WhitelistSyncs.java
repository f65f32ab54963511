package org.gatehouse.gate.api;

import java.time.Instant;
import java.util.Optional;

/**
 * Published by a device adapter whose terminals keep their own whitelist (persons, faces) in sync with Gatehouse:
 * each such terminal's sync state, for the device list ({@code gatehouse:device-list}, {@code GET /api/gate/devices}).
 * Terminals that ask Gatehouse for every decision keep no list and have none.
 */
public interface WhitelistSyncs {
    /** The sync state of the terminal of {@code deviceId}, if this adapter keeps its list. */
    Optional<SyncState> syncState(String deviceId);

    /**
     * @param lag           changes of the whitelist the terminal has not taken yet (events behind the newest)
     * @param deadLetters   changes given up on (the terminal refused them too long; a full resync supersedes them)
     * @param failingSince  since when deliveries to the terminal fail; null while it takes them
     */
    record SyncState(long position, long lag, int deadLetters, Instant lastAppliedAt, String lastError,
                     Instant failingSince, Instant lastResyncAt) {
    }
}

package org.gatehouse.gate.internal;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Faces that fell in the verify band, waiting per device for a second factor: the scores of the search's candidates
 * and the 1:1 threshold. Taken (and so used up) by the next credential of the device inside the window; a newer face
 * at the same device replaces the older one.
 */
final class PendingFactors {
    record Pending(String passageId, Map<String, Float> candidateScores, float verifyThreshold, float bestScore,
                   Instant until) {
        /** The face's score against {@code subjectId}, or null when the search did not name them. */
        Float scoreOf(String subjectId) {
            return subjectId == null ? null : candidateScores.get(subjectId);
        }
    }

    private final Map<String, Pending> byDevice = new ConcurrentHashMap<>();

    void put(String deviceId, Pending pending) {
        if (byDevice.size() > 100_000) {
            byDevice.clear();
        }
        byDevice.put(deviceId, pending);
    }

    /** The device's pending face, removed; null when none or expired. */
    Pending take(String deviceId, Instant now) {
        Pending p = byDevice.remove(deviceId);
        return p == null || now.isAfter(p.until()) ? null : p;
    }
}

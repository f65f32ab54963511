package org.gatehouse.gate.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** A token bucket per device: {@code ratePerSecond} on average, {@code burst} at once. One device's flood leaves the
 * others alone. In memory, per node. */
final class DeviceThrottle {
    private static final class Bucket {
        double tokens;
        long lastNanos;
    }

    private final double ratePerNano;
    private final double burst;
    private final ConcurrentMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    DeviceThrottle(int ratePerSecond, int burst) {
        this.ratePerNano = Math.max(1, ratePerSecond) / 1e9;
        this.burst = Math.max(1, burst);
    }

    /** Takes one token of {@code deviceId}'s bucket at {@code nanos}; false when it is empty. */
    boolean tryAcquire(String deviceId, long nanos) {
        if (buckets.size() > 100_000) {
            buckets.clear();
        }
        Bucket b = buckets.computeIfAbsent(deviceId, k -> {
            Bucket fresh = new Bucket();
            fresh.tokens = burst;
            fresh.lastNanos = nanos;
            return fresh;
        });
        synchronized (b) {
            long elapsed = Math.max(0, nanos - b.lastNanos);
            b.tokens = Math.min(burst, b.tokens + elapsed * ratePerNano);
            b.lastNanos = nanos;
            if (b.tokens >= 1) {
                b.tokens -= 1;
                return true;
            }
            return false;
        }
    }
}

package org.gatehouse.core.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.gatehouse.core.api.AttemptThrottle.Lockout;
import org.gatehouse.core.api.AttemptThrottle.Settings;
import org.junit.jupiter.api.Test;

class AttemptThrottleTest {
    static final Instant T = Instant.parse("2026-05-01T08:00:00Z");
    final AttemptThrottle throttle = new AttemptThrottle(new Settings(5, Duration.ofMinutes(15), Duration.ofSeconds(60),
            Duration.ofMinutes(60), Duration.ofDays(1)));

    /** Fails until a lockout starts; returns it. */
    private Lockout failUntilLocked(String key, Instant at) {
        for (int i = 0; i < 100; i++) {
            Optional<Lockout> l = throttle.failure(key, at);
            if (l.isPresent()) {
                return l.get();
            }
        }
        throw new AssertionError("never locked");
    }

    @Test
    void theFifthFailureInTheWindowLocksTheKeyAndOnlyThatKey() {
        for (int i = 0; i < 4; i++) {
            assertTrue(throttle.failure("device:a", T.plusSeconds(i)).isEmpty());
            assertTrue(throttle.lockedUntil("device:a", T.plusSeconds(i)).isEmpty());
        }
        Lockout l = throttle.failure("device:a", T.plusSeconds(4)).orElseThrow();
        assertEquals(5, l.failures());
        assertEquals(1, l.level());
        assertEquals(Duration.ofSeconds(60), l.length());
        assertEquals(T.plusSeconds(64), throttle.lockedUntil("device:a", T.plusSeconds(5)).orElseThrow());
        assertTrue(throttle.lockedUntil("device:b", T.plusSeconds(5)).isEmpty(), "keys are independent");
        assertTrue(throttle.failure("device:a", T.plusSeconds(6)).isEmpty(), "not counted while locked");
        assertTrue(throttle.lockedUntil("device:a", T.plusSeconds(64)).isEmpty(), "over at its end");
    }

    @Test
    void failuresOlderThanTheWindowDoNotCount() {
        for (int i = 0; i < 20; i++) {
            // four failures every 16 minutes never reach five within 15 minutes
            Instant at = T.plus(Duration.ofMinutes(16L * (i / 4))).plusSeconds(i % 4);
            assertTrue(throttle.failure("k", at).isEmpty(), "failure " + i);
        }
    }

    @Test
    void eachLockoutInARowDoublesUpToTheCapAndAQuietDayStartsAgain() {
        Instant at = T;
        long[] expected = {60, 120, 240, 480, 960, 1920, 3600, 3600};
        for (long seconds : expected) {
            Lockout l = failUntilLocked("k", at);
            assertEquals(Duration.ofSeconds(seconds), l.length());
            at = l.until();
        }
        Lockout later = failUntilLocked("k", at.plus(Duration.ofDays(1)));
        assertEquals(1, later.level());
        assertEquals(Duration.ofSeconds(60), later.length());
    }

    @Test
    void aThousandGuessesGetFiveChecksPerLockout() {
        int checked = 0;
        Instant at = T;
        for (int i = 0; i < 1000; i++) {
            if (throttle.lockedUntil("k", at).isEmpty()) {
                checked++;
                throttle.failure("k", at);
            }
            at = at.plusSeconds(1);
        }
        // 1,000 seconds: lockouts of 60, 120, 240, 480 s leave room for 5 + 5 + 5 + 5 + a few checks
        assertEquals(25, checked);
    }

    @Test
    void attemptsInFlightCountSoConcurrentGuessesGetNoMoreThanTheLimit() {
        for (int i = 0; i < 5; i++) {
            assertTrue(throttle.begin("k", T), "attempt " + i);
        }
        assertFalse(throttle.begin("k", T), "five in flight: a sixth is not admitted before they end");
        throttle.end("k"); // one opened
        assertTrue(throttle.begin("k", T));
        for (int i = 0; i < 4; i++) {
            assertTrue(throttle.failure("k", T).isEmpty());
        }
        Lockout l = throttle.failure("k", T).orElseThrow();
        assertEquals(5, l.failures());
        assertFalse(throttle.begin("k", T.plusSeconds(59)), "locked");
        assertTrue(throttle.begin("k", T.plusSeconds(60)), "over");
    }

    @Test
    void badSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Settings(0, Duration.ofMinutes(1), Duration.ofSeconds(1),
                Duration.ofSeconds(1), Duration.ofDays(1)));
        assertThrows(IllegalArgumentException.class, () -> new Settings(1, Duration.ZERO, Duration.ofSeconds(1),
                Duration.ofSeconds(1), Duration.ofDays(1)));
        assertThrows(IllegalArgumentException.class, () -> new Settings(1, Duration.ofMinutes(1), Duration.ofSeconds(10),
                Duration.ofSeconds(1), Duration.ofDays(1)));
    }

    @Test
    void keysWithNothingToRememberArePruned() {
        for (int i = 0; i <= AttemptThrottle.PRUNE_ABOVE; i++) {
            throttle.failure("k" + i, T);
        }
        failUntilLocked("locked", T);
        throttle.failure("late", T.plus(Duration.ofDays(2)));
        assertEquals(1, throttle.keys(), "only the newest key is left");
    }
}

package org.gatehouse.core.api;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Throttles guessing: counts failed attempts per key (a gate terminal, a caller) and, after
 * {@link Settings#maxFailures} failures within {@link Settings#window}, locks the key out. While a key is locked the
 * caller must refuse its attempts without checking them (so even the right secret is refused). Each lockout that
 * follows another without a quiet period of {@link Settings#forgetAfter} is twice as long as the one before, up to
 * {@link Settings#maxLockout}; a success does not clear anything (someone holding one valid code could otherwise
 * reset the count between guesses).
 *
 * <p>Use: {@code begin(key, now)} before verifying — {@code false} means refuse without verifying; an admitted
 * attempt must then be ended exactly once (use {@code finally}): {@code failure(key, now)} for a wrong secret, which
 * returns the {@link Lockout} when that failure starts one (log, audit and alert it once), or {@code end(key)} when it
 * succeeded or could not be checked. Attempts in flight count against the limit, so concurrent attempts cannot
 * get more than {@code maxFailures} verified before the lockout. State is in memory, per node, and lost on restart. Used for pass codes at terminals, logins to the API,
 * and PIN / ID card checks.
 */
public final class AttemptThrottle {
    /** Above this many keys, keys with nothing left to remember are dropped. */
    static final int PRUNE_ABOVE = 1024;

    /**
     * @param maxFailures failures within {@code window} that start a lockout (at least 1)
     * @param firstLockout length of a first lockout; each further one in a row doubles, up to {@code maxLockout}
     * @param forgetAfter a key with no failure for this long starts again from {@code firstLockout}
     */
    public record Settings(int maxFailures, Duration window, Duration firstLockout, Duration maxLockout,
                           Duration forgetAfter) {
        public Settings {
            if (maxFailures < 1) {
                throw new IllegalArgumentException("maxFailures must be at least 1");
            }
            for (Duration d : new Duration[] {window, firstLockout, maxLockout, forgetAfter}) {
                if (d == null || d.isNegative() || d.isZero()) {
                    throw new IllegalArgumentException("durations must be positive");
                }
            }
            if (maxLockout.compareTo(firstLockout) < 0) {
                throw new IllegalArgumentException("maxLockout must not be shorter than firstLockout");
            }
        }
    }

    /** A lockout that has just started: {@code level} 1 for the first in a row, 2 for the next (twice as long)... */
    public record Lockout(String key, int failures, Instant since, Instant until, int level) {
        public Duration length() {
            return Duration.between(since, until);
        }
    }

    private static final class State {
        final Deque<Instant> failures = new ArrayDeque<>();
        int inFlight;
        Instant lockedUntil;
        Instant lastFailure;
        int level;
    }

    private final Settings settings;
    private final Map<String, State> states = new HashMap<>();

    public AttemptThrottle(Settings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    public Settings settings() {
        return settings;
    }

    /** Until when {@code key} is locked out, or empty when it may try now. */
    public synchronized Optional<Instant> lockedUntil(String key, Instant now) {
        State s = states.get(key);
        return s == null || s.lockedUntil == null || !now.isBefore(s.lockedUntil) ? Optional.empty()
                : Optional.of(s.lockedUntil);
    }

    /**
     * Admits an attempt of {@code key} now: {@code false} while it is locked out, or while its failures in the window
     * plus its attempts still in flight reach {@code maxFailures}. An admitted attempt must be ended by
     * {@link #failure} or {@link #end}.
     */
    public synchronized boolean begin(String key, Instant now) {
        Objects.requireNonNull(key, "key");
        if (states.size() > PRUNE_ABOVE) {
            prune(now);
        }
        State s = states.computeIfAbsent(key, k -> new State());
        if (s.lockedUntil != null && now.isBefore(s.lockedUntil)) {
            return false;
        }
        dropOld(s, now);
        if (s.failures.size() + s.inFlight >= settings.maxFailures()) {
            return false;
        }
        s.inFlight++;
        return true;
    }

    /** Ends an admitted attempt that succeeded or could not be checked: it counts for nothing. */
    public synchronized void end(String key) {
        State s = states.get(key);
        if (s != null && s.inFlight > 0) {
            s.inFlight--;
        }
    }

    /**
     * Records a failed attempt of {@code key} (ending it, if it was admitted); returns the lockout this failure
     * starts, if it does. A failure while the key is locked is not counted.
     */
    public synchronized Optional<Lockout> failure(String key, Instant now) {
        Objects.requireNonNull(key, "key");
        if (states.size() > PRUNE_ABOVE) {
            prune(now);
        }
        State s = states.computeIfAbsent(key, k -> new State());
        if (s.inFlight > 0) {
            s.inFlight--;
        }
        if (s.lockedUntil != null && now.isBefore(s.lockedUntil)) {
            return Optional.empty();
        }
        if (s.lastFailure != null && !now.isBefore(s.lastFailure.plus(settings.forgetAfter()))) {
            s.level = 0;
        }
        s.lastFailure = now;
        dropOld(s, now);
        s.failures.addLast(now);
        if (s.failures.size() < settings.maxFailures()) {
            return Optional.empty();
        }
        int failures = s.failures.size();
        s.failures.clear();
        s.level++;
        s.lockedUntil = now.plus(lockoutLength(s.level));
        return Optional.of(new Lockout(key, failures, now, s.lockedUntil, s.level));
    }

    private void dropOld(State s, Instant now) {
        Instant windowStart = now.minus(settings.window());
        while (!s.failures.isEmpty() && !s.failures.peekFirst().isAfter(windowStart)) {
            s.failures.pollFirst();
        }
    }

    /** How long the {@code level}-th lockout in a row lasts: the first doubled {@code level - 1} times, capped. */
    Duration lockoutLength(int level) {
        Duration length = settings.firstLockout();
        for (int i = 1; i < level && length.compareTo(settings.maxLockout()) < 0; i++) {
            length = length.multipliedBy(2);
        }
        return length.compareTo(settings.maxLockout()) > 0 ? settings.maxLockout() : length;
    }

    /** Forgets everything about {@code key} (an operator unlocking a terminal). */
    public synchronized void clear(String key) {
        states.remove(key);
    }

    /** How many keys are remembered now (for tests and the status). */
    public synchronized int keys() {
        return states.size();
    }

    /** Drops keys that are not locked and whose last failure is older than {@code forgetAfter}. */
    private void prune(Instant now) {
        for (Iterator<State> it = states.values().iterator(); it.hasNext(); ) {
            State s = it.next();
            boolean locked = s.lockedUntil != null && now.isBefore(s.lockedUntil);
            if (!locked && s.inFlight == 0 && (s.lastFailure == null || !now.isBefore(s.lastFailure.plus(settings.forgetAfter())))) {
                it.remove();
            }
        }
    }
}

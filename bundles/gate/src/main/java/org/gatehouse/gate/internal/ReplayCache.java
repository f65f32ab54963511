package org.gatehouse.gate.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

import org.gatehouse.gate.api.GateDecision;

/**
 * The answers given per (device, request id) for a while: a request id seen again from the same device gets the first
 * answer (also while the first is still being decided: it waits for it), and nothing is decided, opened or recorded
 * twice. A request that failed (an unusable frame) is forgotten, so a retry is decided anew. In memory, per node; the
 * passage id is derived from the same pair, so after a restart a replay still stores no second passage.
 */
final class ReplayCache {
    private record Entry(CompletableFuture<GateDecision> answer, Instant at) {
    }

    private static final int MAX_ENTRIES = 200_000;
    private final Duration ttl;
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>();

    ReplayCache(Duration ttl) {
        this.ttl = ttl;
    }

    /** The answer for {@code key}: the remembered one, or {@code decide}'s (remembered). A null key is not remembered. */
    GateDecision once(String key, Instant now, Supplier<GateDecision> decide) {
        if (key == null) {
            return decide.get();
        }
        CompletableFuture<GateDecision> mine = new CompletableFuture<>();
        CompletableFuture<GateDecision> existing;
        synchronized (entries) {
            prune(now);
            Entry e = entries.get(key);
            existing = e == null ? null : e.answer();
            if (existing == null) {
                entries.put(key, new Entry(mine, now));
            }
        }
        if (existing != null) {
            try {
                return existing.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
        }
        try {
            GateDecision d = decide.get();
            mine.complete(d);
            return d;
        } catch (RuntimeException e) {
            synchronized (entries) {
                entries.remove(key);
            }
            mine.completeExceptionally(e);
            throw e;
        }
    }

    private void prune(Instant now) {
        Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, Entry> e = it.next();
            if (entries.size() > MAX_ENTRIES || e.getValue().at().plus(ttl).isBefore(now)) {
                it.remove();
            } else {
                break;
            }
        }
    }
}

package org.gatehouse.gate.internal;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import org.gatehouse.recognition.api.StageTimes;
import org.gatehouse.recognition.api.StageTimes.Stage;
import org.osgi.service.component.annotations.Component;

/**
 * Where the time of the last {@value #CAPACITY} face decisions (captures) went, per {@link Stage}, on this node: a ring
 * of primitive longs, written once per decision under a short lock (no allocation); percentiles are computed only when
 * asked ({@code GET /api/gate/timings}, {@code gatehouse:gate-stats}). In memory, lost on restart. Decisions answered
 * with an error (no face, busy engine …) are not counted.
 */
@Component(service = GateTimings.class)
public class GateTimings {
    static final int CAPACITY = 10_000;
    private static final Stage[] STAGES = Stage.values();
    /** Per stage, then the server total in the last row; nanoseconds. */
    private final long[][] ring;
    private final int capacity;
    private long count;

    public GateTimings() {
        this(CAPACITY);
    }

    GateTimings(int capacity) {
        this.capacity = capacity;
        this.ring = new long[STAGES.length + 1][capacity];
    }

    public void record(StageTimes t) {
        synchronized (ring) {
            int i = (int) (count % capacity);
            for (Stage s : STAGES) {
                ring[s.ordinal()][i] = t.nanos(s);
            }
            ring[STAGES.length][i] = t.totalNanos();
            count++;
        }
    }

    public void reset() {
        synchronized (ring) {
            count = 0;
        }
    }

    /** Percentiles of one stage (or the total). All in milliseconds. */
    public record Summary(double mean, double p50, double p95, double p99, double max) {
    }

    /** @param decisions counted since the last reset; stages over the last min(decisions, capacity) */
    public record Snapshot(long decisions, int window, Map<String, Summary> stages, Summary total) {
    }

    public Snapshot snapshot() {
        long[][] copy = new long[STAGES.length + 1][];
        long n;
        synchronized (ring) {
            n = count;
            int w = (int) Math.min(n, capacity);
            for (int r = 0; r < copy.length; r++) {
                copy[r] = Arrays.copyOf(ring[r], w);
            }
        }
        Map<String, Summary> stages = new LinkedHashMap<>();
        for (Stage s : STAGES) {
            stages.put(s.name().toLowerCase(java.util.Locale.ROOT), summary(copy[s.ordinal()]));
        }
        return new Snapshot(n, copy[0].length, stages, summary(copy[STAGES.length]));
    }

    static Summary summary(long[] nanos) {
        if (nanos.length == 0) {
            return new Summary(0, 0, 0, 0, 0);
        }
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        double sum = 0;
        for (long v : sorted) {
            sum += v;
        }
        return new Summary(ms(sum / sorted.length), ms(percentile(sorted, 50)), ms(percentile(sorted, 95)),
                ms(percentile(sorted, 99)), ms(sorted[sorted.length - 1]));
    }

    /** Nearest rank: the smallest value with at least p % of the values at or below it. {@code sorted} not empty. */
    static long percentile(long[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static double ms(double nanos) {
        return Math.round(nanos / 1e4) / 100.0;
    }
}

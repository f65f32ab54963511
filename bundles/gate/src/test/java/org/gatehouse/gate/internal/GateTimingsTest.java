package org.gatehouse.gate.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.gatehouse.recognition.api.StageTimes;
import org.junit.jupiter.api.Test;

/** The percentile arithmetic and the ring of the decision timings (no clock is asserted: no timed test). */
class GateTimingsTest {
    @Test
    void nearestRankPercentiles() {
        long[] v = new long[100];
        for (int i = 0; i < 100; i++) {
            v[i] = i + 1;
        }
        assertEquals(50, GateTimings.percentile(v, 50));
        assertEquals(95, GateTimings.percentile(v, 95));
        assertEquals(99, GateTimings.percentile(v, 99));
        assertEquals(100, GateTimings.percentile(v, 100));
        assertEquals(7, GateTimings.percentile(new long[] {7}, 99));
        assertEquals(1000, GateTimings.percentile(new long[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 1000}, 95));
        assertEquals(1, GateTimings.percentile(new long[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 1000}, 10));
    }

    @Test
    void summaryInMilliseconds() {
        GateTimings.Summary s = GateTimings.summary(new long[] {3_000_000, 1_000_000, 2_000_000});
        assertEquals(2.0, s.mean());
        assertEquals(2.0, s.p50());
        assertEquals(3.0, s.p99());
        assertEquals(3.0, s.max());
    }

    @Test
    void ringKeepsTheLastWindowAndResetStartsAgain() {
        GateTimings timings = new GateTimings(4);
        for (int i = 0; i < 6; i++) {
            StageTimes t = new StageTimes();
            t.finish(StageTimes.Stage.ANSWER);
            timings.record(t);
        }
        GateTimings.Snapshot s = timings.snapshot();
        assertEquals(6, s.decisions());
        assertEquals(4, s.window());
        assertEquals(StageTimes.Stage.values().length, s.stages().size());
        timings.reset();
        assertEquals(0, timings.snapshot().window());
    }

    @Test
    void lapsAddUpToTheTotal() {
        StageTimes t = new StageTimes();
        StageTimes before = StageTimes.attach(t);
        try {
            StageTimes.lap(StageTimes.Stage.REQUEST);
            StageTimes.lap(StageTimes.Stage.SEARCH);
            StageTimes.lap(StageTimes.Stage.SEARCH);
        } finally {
            StageTimes.attach(before);
        }
        t.finish(StageTimes.Stage.ANSWER);
        long sum = 0;
        for (StageTimes.Stage stage : StageTimes.Stage.values()) {
            sum += t.nanos(stage);
        }
        assertEquals(t.totalNanos(), sum);
        assertEquals(0, t.nanos(StageTimes.Stage.DOOR));
    }
}

package org.gatehouse.gate.simulator.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PaceTest {
    @Test
    void periodFollowsTheRate() {
        assertEquals(400_000_000L, Pace.periodNanos(2.5));
        assertEquals(1_000_000_000L, Pace.periodNanos(1));
        assertEquals(2_000_000L, Pace.periodNanos(500));
        assertEquals(5_000_000_000L, Pace.periodNanos(0.2));
    }

    @Test
    void badRatesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Pace.periodNanos(0));
        assertThrows(IllegalArgumentException.class, () -> Pace.periodNanos(-1));
        assertThrows(IllegalArgumentException.class, () -> Pace.periodNanos(501));
        assertThrows(IllegalArgumentException.class, () -> Pace.periodNanos(Double.NaN));
    }

    @Test
    void boundsTakeWhicheverComesFirst() {
        assertEquals(100, Pace.plannedFrames(10, 100, 0));
        assertEquals(50, Pace.plannedFrames(10, 0, 5));
        assertEquals(50, Pace.plannedFrames(10, 100, 5));
        assertEquals(20, Pace.plannedFrames(10, 20, 5));
        assertEquals(2, Pace.plannedFrames(0.5, 0, 4));
        assertEquals(1, Pace.plannedFrames(0.1, 0, 1), "at least the first frame");
        assertEquals(-1, Pace.plannedFrames(10, 0, 0), "unbounded");
        assertThrows(IllegalArgumentException.class, () -> Pace.plannedFrames(10, -1, 0));
    }
}

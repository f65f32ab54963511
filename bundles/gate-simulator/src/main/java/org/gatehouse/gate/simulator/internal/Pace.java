package org.gatehouse.gate.simulator.internal;

/**
 * The rate arithmetic of a run: the period between frames and how many frames a bounded run sends. A run is bounded
 * by a count, a duration, both (whichever comes first) or neither (until stopped).
 */
public final class Pace {
    /** Highest rate a run accepts, frames per second. */
    public static final double MAX_RATE = 500;

    private Pace() {
    }

    /** Nanoseconds between two frames at {@code rate} frames per second. */
    public static long periodNanos(double rate) {
        if (!(rate > 0 && rate <= MAX_RATE)) {
            throw new IllegalArgumentException("rate must be above 0 and at most " + (int) MAX_RATE + " per second, not "
                    + rate);
        }
        return Math.max(1, Math.round(1_000_000_000.0 / rate));
    }

    /**
     * Frames a run sends: {@code count} when only it is given (&gt; 0), the frames that fit in {@code seconds} at
     * {@code rate} (the first frame goes at once) when only that is, the smaller of both, or -1 for unbounded.
     */
    public static long plannedFrames(double rate, long count, long seconds) {
        if (count < 0 || seconds < 0) {
            throw new IllegalArgumentException("count and seconds must not be negative");
        }
        long byTime = seconds > 0 ? Math.max(1, (long) Math.floor(rate * seconds + 1e-9)) : -1;
        if (count > 0 && byTime > 0) {
            return Math.min(count, byTime);
        }
        return count > 0 ? count : byTime;
    }
}

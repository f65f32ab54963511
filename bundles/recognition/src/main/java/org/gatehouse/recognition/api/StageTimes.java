package org.gatehouse.recognition.api;

/**
 * Where one request's time went, as laps of {@link System#nanoTime()}: each {@link #lap(Stage)} adds the time since
 * the previous lap to a stage. A caller that wants the split {@link #attach attaches} a holder to its thread; the
 * engine carries it to the inference worker that runs the job (the caller waits meanwhile, so the laps stay one
 * timeline). With no holder attached every lap is one thread-local read and nothing else.
 * <p>
 * Used by the gate's decision timings ({@code GET /api/gate/timings}); not thread-safe: one request, one thread at a
 * time.
 */
public final class StageTimes {
    /** The stages of a face decision, in the order they happen. */
    public enum Stage {
        /** Before the engine: the request's parts, device, rate limit, replay cache, screening before identity. */
        REQUEST,
        /** Waiting for a free inference worker. */
        QUEUE,
        /** JPEG decode (and the header checks before it). */
        DECODE,
        /** Face detection and the choice of the primary face. */
        DETECT,
        /** Landmarks, alignment, quality and liveness of the primary face. */
        ALIGN,
        /** The template (embedding network). */
        EMBED,
        /** 1:N gallery search and the operating bands. */
        SEARCH,
        /** From the identification to the door: liveness rule, whitelist and lease, building, screening after. */
        POLICY,
        /** The door command (the device's door adapter). */
        DOOR,
        /** Recording the passage (store or journal). */
        STORE,
        /** After the passage is recorded until the answer: alerts, the stranger warning's second template. */
        ANSWER
    }

    private static final Stage[] STAGES = Stage.values();
    private static final ThreadLocal<StageTimes> CURRENT = new ThreadLocal<>();

    private final long[] nanos = new long[STAGES.length];
    private final long start;
    private long last;
    private long end;

    /** Starts the clock now. */
    public StageTimes() {
        start = System.nanoTime();
        last = start;
    }

    /** The holder attached to this thread, or null. */
    public static StageTimes current() {
        return CURRENT.get();
    }

    /** Attaches {@code times} (may be null) to this thread; returns the one attached before. */
    public static StageTimes attach(StageTimes times) {
        StageTimes before = CURRENT.get();
        if (times == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(times);
        }
        return before;
    }

    /** Adds the time since the previous lap to {@code stage} of the holder attached to this thread, if any. */
    public static void lap(Stage stage) {
        StageTimes t = CURRENT.get();
        if (t != null) {
            t.lapNow(stage);
        }
    }

    /** Adds the time since the previous lap to {@code stage}. */
    public void lapNow(Stage stage) {
        long now = System.nanoTime();
        nanos[stage.ordinal()] += now - last;
        last = now;
    }

    /** Stops the clock: what follows the last lap counts to {@code stage}; the total is fixed. */
    public void finish(Stage stage) {
        lapNow(stage);
        end = last;
    }

    public long nanos(Stage stage) {
        return nanos[stage.ordinal()];
    }

    /** From the construction to {@link #finish} (or to the last lap). */
    public long totalNanos() {
        return (end == 0 ? last : end) - start;
    }
}

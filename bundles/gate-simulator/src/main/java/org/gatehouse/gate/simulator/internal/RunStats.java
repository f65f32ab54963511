package org.gatehouse.gate.simulator.internal;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.gatehouse.gate.api.GateDecision;
import org.gatehouse.gate.api.GateReason;

/**
 * What a run has seen: frames and credentials sent, verdicts (denials by their reason), second factors asked for,
 * errors by kind, what each kind of person got, and the decision time of the last {@value #WINDOW} decisions (for
 * p50/p95). Thread-safe.
 */
public final class RunStats {
    static final int WINDOW = 4096;

    /** Codes that say why a passage was refused, in {@link GateReason#code()}. */
    private static final Set<String> REFUSALS = Set.of("FACE_REJECTED", "FACE_MISMATCH", "CREDENTIAL_UNKNOWN",
            "CREDENTIAL_MISMATCH", "TOO_MANY_ATTEMPTS", "LEASE_ENDED", "NOT_YET_VALID", "NOT_REGISTERED",
            "OTHER_BUILDING", "SCREENING_FAILED", "STRANGER", "DOOR_FAILED");

    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong faces = new AtomicLong();
    private final AtomicLong allowed = new AtomicLong();
    private final AtomicLong denied = new AtomicLong();
    private final AtomicLong secondFactor = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final Map<String, LongAdder> deniedBy = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> errorsBy = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> outcomesByWho = new ConcurrentHashMap<>();
    private final long[] nanos = new long[WINDOW];
    private long decisions;

    void sent(Presentation p) {
        sent.incrementAndGet();
        if (p.means() == Presentation.Means.FACE) {
            faces.incrementAndGet();
        }
    }

    void decided(Presentation p, GateDecision decision, long elapsedNanos) {
        time(elapsedNanos);
        String outcome;
        if (decision.secondFactorRequested()) {
            secondFactor.incrementAndGet();
            outcome = "SECOND_FACTOR";
        } else if (decision.allowed()) {
            allowed.incrementAndGet();
            outcome = "ALLOW";
        } else {
            denied.incrementAndGet();
            deniedBy.computeIfAbsent(denialReason(decision), k -> new LongAdder()).increment();
            outcome = "DENY";
        }
        outcomesByWho.computeIfAbsent(p.who() + " " + outcome, k -> new LongAdder()).increment();
    }

    void failed(Presentation p, String kind, long elapsedNanos) {
        if (elapsedNanos >= 0) {
            time(elapsedNanos);
        }
        errors.incrementAndGet();
        errorsBy.computeIfAbsent(kind, k -> new LongAdder()).increment();
        if (p != null) {
            outcomesByWho.computeIfAbsent(p.who() + " ERROR", k -> new LongAdder()).increment();
        }
    }

    /** The reason a denial is counted under: the first refusal among its reasons (a failed check with its name). */
    static String denialReason(GateDecision decision) {
        for (GateReason reason : decision.reasons()) {
            if (REFUSALS.contains(reason.code()) || (reason.code().startsWith("PASS_")
                    && !reason.code().equals("PASS_VALID"))) {
                return reason.code().equals("SCREENING_FAILED") && !reason.ref().isEmpty()
                        ? reason.code() + ":" + reason.ref() : reason.code();
            }
        }
        for (int i = decision.reasons().size() - 1; i >= 0; i--) {
            String code = decision.reasons().get(i).code();
            if (!code.equals("POLICY_VERSION") && !code.startsWith("DOOR_")) {
                return code;
            }
        }
        return "UNSPECIFIED";
    }

    private synchronized void time(long elapsedNanos) {
        nanos[(int) (decisions++ % WINDOW)] = elapsedNanos;
    }

    /** A consistent-enough copy for display and tests. */
    public synchronized Snapshot snapshot() {
        long[] window = Arrays.copyOf(nanos, (int) Math.min(decisions, WINDOW));
        Arrays.sort(window);
        return new Snapshot(sent.get(), faces.get(), allowed.get(), denied.get(), secondFactor.get(), errors.get(),
                counts(deniedBy), counts(errorsBy), counts(outcomesByWho), percentileMillis(window, 0.50),
                percentileMillis(window, 0.95));
    }

    private static Map<String, Long> counts(Map<String, LongAdder> map) {
        Map<String, Long> copy = new TreeMap<>();
        map.forEach((k, v) -> copy.put(k, v.sum()));
        return copy;
    }

    /** Nearest-rank percentile in milliseconds; NaN when nothing was timed. */
    static double percentileMillis(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e6;
    }

    /**
     * @param sent          presentations sent (frames and credentials)
     * @param faces         of them frames
     * @param deniedBy      denials by {@link #denialReason}
     * @param errorsBy      errors by kind (exception or code)
     * @param outcomesByWho e.g. {@code STRANGER DENY} → count: what each kind of person got
     * @param p50Millis     median decision time of the last decisions
     * @param p95Millis     95th percentile of the same
     */
    public record Snapshot(long sent, long faces, long allowed, long denied, long secondFactor, long errors,
                           Map<String, Long> deniedBy, Map<String, Long> errorsBy, Map<String, Long> outcomesByWho,
                           double p50Millis, double p95Millis) {
        public long decided() {
            return allowed + denied + secondFactor;
        }
    }
}

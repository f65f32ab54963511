package org.gatehouse.gate.simulator.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.gatehouse.api.model.Device;
import org.gatehouse.gate.api.CaptureRequest;
import org.gatehouse.gate.api.CredentialRequest;
import org.gatehouse.gate.api.GateDecision;
import org.gatehouse.gate.api.GateDecisions;
import org.gatehouse.gate.api.PresentedKind;
import org.gatehouse.gate.api.Readings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of the simulator: a thread of its own sends one presentation per period ({@link Pace#periodNanos}) through
 * {@link GateDecisions} — a frame to {@code decideCapture}, a card or pass code to {@code decideCredential} — for the
 * plan's devices in turn, until its count or time is used up or it is stopped. A decision that takes longer than the
 * period delays the next one (one decision at a time; the achieved rate is in the status). Nothing a decision throws
 * ends the run: it is counted as an error by its kind.
 */
public final class SimulationRun {
    private static final Logger LOG = LoggerFactory.getLogger(SimulationRun.class);

    public enum State {
        RUNNING, FINISHED, STOPPED
    }

    private final int id;
    private final SimulationPlan plan;
    private final GateDecisions gate;
    private final Casting casting;
    private final Random random;
    private final FrameBuilder frames = new FrameBuilder();
    private final RunStats stats = new RunStats();
    private final ScheduledExecutorService thread;
    private final AtomicReference<State> state = new AtomicReference<>(State.RUNNING);
    private final Instant startedAt = Instant.now();
    private final long startNanos = System.nanoTime();
    private volatile Instant endedAt;
    private long ticks;

    SimulationRun(int id, SimulationPlan plan, GateDecisions gate) {
        this.id = id;
        this.plan = plan;
        this.gate = gate;
        this.random = new Random(plan.seed());
        this.casting = new Casting(plan.mix(), plan.faces(), plan.residentCards(), plan.passCodes(), random);
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "gatehouse-simulator-" + id);
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts sending; the first presentation goes at once. */
    SimulationRun start() {
        thread.scheduleAtFixedRate(this::tick, 0, Pace.periodNanos(plan.rate()), TimeUnit.NANOSECONDS);
        return this;
    }

    private void tick() {
        if (state.get() != State.RUNNING) {
            return;
        }
        long planned = plan.plannedFrames();
        boolean timeUp = plan.seconds() > 0
                && System.nanoTime() - startNanos >= TimeUnit.SECONDS.toNanos(plan.seconds());
        if ((planned > 0 && ticks >= planned) || timeUp) {
            end(State.FINISHED);
            return;
        }
        Device device = plan.devices().get((int) (ticks % plan.devices().size()));
        ticks++;
        Presentation p = null;
        long t0 = -1;
        try {
            p = casting.next();
            // the start time in it: run numbers start at 1 again after a restart, and the gate takes a request id it
            // has seen for a replay (same passage id, not stored again)
            String requestId = "sim-" + id + "-" + Long.toString(startedAt.toEpochMilli(), 36) + "-" + ticks;
            Readings readings = new Readings(p.temperature(), p.maskOn(), null);
            GateDecision decision;
            if (p.means() == Presentation.Means.FACE) {
                byte[] frame = frames.frame(p.face(), random);
                stats.sent(p);
                t0 = System.nanoTime();
                decision = gate.decideCapture(new CaptureRequest(device.id(), frame, readings, requestId));
            } else {
                PresentedKind kind = p.means() == Presentation.Means.CARD ? PresentedKind.CARD : PresentedKind.PASS_CODE;
                stats.sent(p);
                t0 = System.nanoTime();
                decision = gate.decideCredential(new CredentialRequest(device.id(), kind, p.credential(), null,
                        readings, requestId));
            }
            long elapsed = System.nanoTime() - t0;
            if (decision == null) {
                stats.failed(p, "NO_ANSWER", elapsed);
            } else {
                stats.decided(p, decision, elapsed);
            }
        } catch (RuntimeException e) {
            long elapsed = t0 < 0 ? -1 : System.nanoTime() - t0;
            stats.failed(p, errorKind(e), elapsed);
            LOG.debug("Simulator run {}: {} failed: {}", id, p == null ? "presentation" : p.means(), e.toString());
        }
        if (planned > 0 && ticks >= planned) {
            end(State.FINISHED);
        }
    }

    /** A stable name for an error: the exception's {@code code()} when it has one (gate and engine codes), else its class. */
    static String errorKind(RuntimeException e) {
        try {
            Object code = e.getClass().getMethod("code").invoke(e);
            if (code != null) {
                return code.toString();
            }
        } catch (ReflectiveOperationException | RuntimeException ignored) {
            // no code(): the class name says enough
        }
        return e.getClass().getSimpleName();
    }

    private void end(State how) {
        if (state.compareAndSet(State.RUNNING, how)) {
            endedAt = Instant.now();
            thread.shutdown();
            RunStats.Snapshot s = stats.snapshot();
            LOG.info("Simulator run {} {}: {} sent, {} allowed, {} denied, {} second factor, {} errors", id,
                    how.name().toLowerCase(java.util.Locale.ROOT), s.sent(), s.allowed(), s.denied(), s.secondFactor(),
                    s.errors());
        }
    }

    /** Stops the run: nothing more is sent (a decision under way finishes). */
    public void stop() {
        end(State.STOPPED);
    }

    /** Waits until the run has ended and its last decision is done; true if it did within the timeout. */
    public boolean awaitEnd(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (state.get() == State.RUNNING) {
            if (System.nanoTime() >= deadline) {
                return false;
            }
            Thread.sleep(5);
        }
        return thread.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    public int id() {
        return id;
    }

    public SimulationPlan plan() {
        return plan;
    }

    public State state() {
        return state.get();
    }

    public Instant startedAt() {
        return startedAt;
    }

    /** Null while running. */
    public Instant endedAt() {
        return endedAt;
    }

    public RunStats.Snapshot stats() {
        return stats.snapshot();
    }

    /** Seconds since the start (to the end once ended). */
    public double elapsedSeconds() {
        Instant end = endedAt == null ? Instant.now() : endedAt;
        return Duration.between(startedAt, end).toMillis() / 1000.0;
    }
}

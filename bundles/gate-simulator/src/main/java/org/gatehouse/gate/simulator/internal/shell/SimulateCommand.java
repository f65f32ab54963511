package org.gatehouse.gate.simulator.internal.shell;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.gatehouse.api.service.CommunityRepository;
import org.gatehouse.core.shell.ShellCaller;
import org.gatehouse.core.shell.ShellFiles;
import org.gatehouse.gate.simulator.internal.GateSimulator;
import org.gatehouse.gate.simulator.internal.Mix;
import org.gatehouse.gate.simulator.internal.RunStats;
import org.gatehouse.gate.simulator.internal.SimulationRun;

@Command(scope = "gatehouse", name = "simulate", description = "Plays simulated cameras of a community through the "
        + "gate's decision (residents' faces or cards, visitors' pass codes, strangers, temperatures, masks); "
        + "--status shows the run, --stop ends it")
@Service
public class SimulateCommand implements Action {
    @Reference
    GateSimulator simulator;

    @Reference
    CommunityRepository communities;

    @Reference
    Session session;

    @Option(name = "--community", description = "Community code or id (default: the configured one)")
    String community;

    @Option(name = "--device", description = "Device id or gate name (default: every device of the community, in turn)")
    String device;

    @Option(name = "--rate", description = "Presentations per second, all devices together")
    Double rate;

    @Option(name = "--count", description = "Stop after this many")
    long count;

    @Option(name = "--seconds", description = "Stop after this many seconds")
    long seconds;

    @Option(name = "--strangers", description = "Share of strangers, 0..1")
    Double strangers;

    @Option(name = "--visitors", description = "Share of visitors (pass codes), 0..1")
    Double visitors;

    @Option(name = "--fever", description = "Share with fever, 0..1")
    Double fever;

    @Option(name = "--no-mask", description = "Share without a mask, 0..1")
    Double noMask;

    @Option(name = "--folder", description = "Folder of JPEG face photos (residents; strangers in strangers/)")
    String folder;

    @Option(name = "--seed", description = "Seed of the random choices (same seed, same people)")
    Long seed;

    @Option(name = "--detach", description = "Return at once instead of following a bounded run's progress")
    boolean detach;

    @Option(name = "--status", description = "Show the running (or last) run")
    boolean status;

    @Option(name = "--stop", description = "Stop the running run")
    boolean stop;

    @Override
    public Object execute() throws Exception {
        PrintStream out = System.out;
        if (status || stop) {
            var run = stop ? simulator.stop() : simulator.current();
            if (run.isEmpty()) {
                out.println("No simulator run yet.");
            } else {
                print(out, run.get());
            }
            return null;
        }
        SimulationRun run;
        try {
            String communityId = community == null ? null
                    : communities.find(ShellCaller.of(session).scope(), community).id();
            Mix defaults = simulator.configuredMix();
            Mix mix = new Mix(strangers != null ? strangers : defaults.strangers(),
                    visitors != null ? visitors : defaults.visitors(), fever != null ? fever : defaults.fever(),
                    noMask != null ? noMask : defaults.noMask(), defaults.cards());
            run = simulator.start(new GateSimulator.RunRequest(communityId, device, rate, count, seconds, mix,
                    folder == null ? null : ShellFiles.resolve(session, folder), seed));
        } catch (RuntimeException e) { // a bad option, an unknown community or device, an unusable folder
            out.println("Not started: " + e.getMessage());
            return null;
        }
        var plan = run.plan();
        out.printf(Locale.ROOT, "Run %d started: %d device(s), %s/s, %s, %s%n", run.id(), plan.devices().size(),
                plan.rate(), plan.bounded() ? plan.plannedFrames() + " presentations" : "until stopped",
                plan.faces().isEmpty() ? "cards and pass codes only (no photo folder)"
                        : plan.faces().residents().size() + " resident and " + plan.faces().strangers().size()
                        + " stranger photos");
        if (!plan.faces().skipped().isEmpty()) {
            out.println("Skipped " + plan.faces().skipped().size() + " unreadable photo(s): "
                    + String.join("; ", plan.faces().skipped().subList(0, Math.min(5, plan.faces().skipped().size()))));
        }
        if (detach || !plan.bounded()) {
            out.println("gatehouse:simulate --status shows it, --stop ends it.");
            return null;
        }
        try {
            while (run.state() == SimulationRun.State.RUNNING) {
                Thread.sleep(1000);
                var s = run.stats();
                out.printf(Locale.ROOT, "  %d/%d sent, %d allowed, %d denied, %d second factor, %d errors%n", s.sent(),
                        plan.plannedFrames(), s.allowed(), s.denied(), s.secondFactor(), s.errors());
            }
        } catch (InterruptedException e) {
            out.println("Detached; the run goes on (gatehouse:simulate --status, --stop).");
            return null;
        }
        print(out, run);
        return null;
    }

    static void print(PrintStream out, SimulationRun run) {
        RunStats.Snapshot s = run.stats();
        double elapsed = run.elapsedSeconds();
        out.printf(Locale.ROOT, "Run %d  %s  community %s, %d device(s), %s/s planned, %.1f/s achieved over %.1f s%n",
                run.id(), run.state(), run.plan().communityId(), run.plan().devices().size(), run.plan().rate(),
                elapsed > 0 ? s.sent() / elapsed : 0.0, elapsed);
        out.printf(Locale.ROOT, "  sent %d%s (%d frames), allowed %d, denied %d, second factor %d, errors %d%n",
                s.sent(), run.plan().bounded() ? " of " + run.plan().plannedFrames() : "", s.faces(), s.allowed(),
                s.denied(), s.secondFactor(), s.errors());
        out.printf(Locale.ROOT, "  decision time p50 %s ms, p95 %s ms%n", millis(s.p50Millis()), millis(s.p95Millis()));
        section(out, "denied by reason", s.deniedBy());
        section(out, "errors", s.errorsBy());
        section(out, "by who", s.outcomesByWho());
    }

    private static void section(PrintStream out, String title, Map<String, Long> counts) {
        if (counts.isEmpty()) {
            return;
        }
        out.println("  " + title + ":");
        counts.forEach((k, v) -> out.printf(Locale.ROOT, "    %-32s %d%n", k, v));
    }

    private static String millis(double ms) {
        return Double.isNaN(ms) ? "-" : String.format(Locale.ROOT, "%.1f", ms);
    }
}

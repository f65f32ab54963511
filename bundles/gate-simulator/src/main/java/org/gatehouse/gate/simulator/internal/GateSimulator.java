package org.gatehouse.gate.simulator.internal;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.gatehouse.api.model.Community;
import org.gatehouse.api.model.Device;
import org.gatehouse.api.service.CommunityRepository;
import org.gatehouse.api.service.DeviceRepository;
import org.gatehouse.api.service.Scope;
import org.gatehouse.gate.api.GateDecisions;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts, stops and reports simulator runs, one at a time. With {@code enabled = true} it starts an unbounded run
 * from its configuration once the community and its devices are there (the demo seeds them a few seconds after start:
 * it looks again every {@value #RETRY_SECONDS} s, at most {@value #MAX_ATTEMPTS} times). A run from the shell replaces
 * nothing: stop the running one first.
 */
@Component(service = GateSimulator.class, immediate = true, configurationPid = SimulatorConfig.PID)
@Designate(ocd = SimulatorConfig.class)
public class GateSimulator {
    private static final Logger LOG = LoggerFactory.getLogger(GateSimulator.class);
    static final long RETRY_SECONDS = 10;
    static final int MAX_ATTEMPTS = 60;

    private final GateDecisions gate;
    private final CommunityRepository communities;
    private final DeviceRepository devices;
    private final SimulatorConfig config;
    private final AtomicInteger ids = new AtomicInteger();
    private final ScheduledExecutorService starter = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "gatehouse-simulator-start");
        t.setDaemon(true);
        return t;
    });
    private SimulationRun current;

    /** What to run; null or blank fields take the configuration's value. */
    public record RunRequest(String community, String device, Double rate, long count, long seconds, Mix mix,
                             Path folder, Long seed) {
    }

    @Activate
    public GateSimulator(@Reference GateDecisions gate, @Reference CommunityRepository communities,
                         @Reference DeviceRepository devices, SimulatorConfig config) {
        this.gate = gate;
        this.communities = communities;
        this.devices = devices;
        this.config = config;
        if (config.enabled()) {
            starter.execute(() -> startConfigured(1));
        }
    }

    @Deactivate
    void deactivate() {
        starter.shutdownNow();
        stop();
    }

    private void startConfigured(int attempt) {
        try {
            SimulationRun run = start(new RunRequest(null, null, null, 0, 0, null, null, null));
            LOG.info("Simulator enabled: run {} plays community {} at {}/s on {} device(s){} (gatehouse:simulate"
                    + " --status)", run.id(), config.community(), run.plan().rate(), run.plan().devices().size(),
                    run.plan().faces().isEmpty() ? ", cards and pass codes only (no folder)" : "");
        } catch (RuntimeException e) {
            if (attempt >= MAX_ATTEMPTS) {
                LOG.warn("Simulator enabled but not started after {} attempts: {}", attempt, e.getMessage());
                return;
            }
            LOG.debug("Simulator not started yet ({}), next try in {} s", e.getMessage(), RETRY_SECONDS);
            starter.schedule(() -> startConfigured(attempt + 1), RETRY_SECONDS, TimeUnit.SECONDS);
        }
    }

    /** Starts a run; {@link SimulatorException} when one is running or the request cannot be played. */
    public synchronized SimulationRun start(RunRequest request) {
        if (current != null && current.state() == SimulationRun.State.RUNNING) {
            throw new SimulatorException("Run " + current.id() + " is running; stop it first (gatehouse:simulate --stop)");
        }
        SimulationRun run = new SimulationRun(ids.incrementAndGet(), plan(request), gate);
        current = run;
        return run.start();
    }

    /** Stops the running run, if any; the run (running or last) afterwards. */
    public synchronized Optional<SimulationRun> stop() {
        if (current != null) {
            current.stop();
        }
        return Optional.ofNullable(current);
    }

    /** The running run, or the last one. */
    public synchronized Optional<SimulationRun> current() {
        return Optional.ofNullable(current);
    }

    SimulationPlan plan(RunRequest r) {
        String communityArg = blank(r.community()) ? config.community() : r.community();
        Community community;
        try {
            community = communities.find(Scope.all(), communityArg);
        } catch (RuntimeException e) {
            throw new SimulatorException("No community " + communityArg + " (" + e.getMessage() + ")");
        }
        List<Device> all = devices.devices(Scope.of(community.id()), community.id());
        String deviceArg = blank(r.device()) ? config.device() : r.device();
        List<Device> chosen = blank(deviceArg) ? all : all.stream()
                .filter(d -> d.id().equals(deviceArg) || d.gate().equals(deviceArg)).toList();
        if (chosen.isEmpty()) {
            throw new SimulatorException(blank(deviceArg)
                    ? "Community " + community.code() + " has no device to simulate; register one first"
                    : "No device " + deviceArg + " in community " + community.code() + " (devices: "
                    + String.join(", ", all.stream().map(Device::gate).toList()) + ")");
        }
        Mix mix = r.mix() != null ? r.mix() : configuredMix(config);
        Path folder = r.folder() != null ? r.folder() : blank(config.folder()) ? null : Paths.get(config.folder());
        long seed = r.seed() != null ? r.seed() : config.seed() != 0 ? config.seed() : ThreadLocalRandom.current().nextLong();
        return new SimulationPlan(community.id(), chosen, r.rate() != null ? r.rate() : config.rate(), r.count(),
                r.seconds(), mix, FaceFolder.load(folder), list(config.residentCards()), list(config.passCodes()), seed);
    }

    static Mix configuredMix(SimulatorConfig c) {
        return new Mix(c.strangers(), c.visitors(), c.fever(), c.noMask(), c.cards());
    }

    /** The configured mix, the defaults of a run from the shell. */
    public Mix configuredMix() {
        return configuredMix(config);
    }

    private static List<String> list(String csv) {
        return csv == null ? List.of() : Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}

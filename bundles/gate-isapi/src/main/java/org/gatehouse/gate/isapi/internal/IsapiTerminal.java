package org.gatehouse.gate.isapi.internal;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.gatehouse.api.model.Device;
import org.gatehouse.api.service.CommunityRepository;
import org.gatehouse.api.service.DeviceRepository;
import org.gatehouse.api.service.FaceTemplateRepository;
import org.gatehouse.api.service.HouseholdRepository;
import org.gatehouse.api.service.PassageRecorder;
import org.gatehouse.api.service.Scope;
import org.gatehouse.api.service.StreamConsumers;
import org.gatehouse.api.stream.Streams;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One configured ISAPI terminal (one factory configuration). It brings two routes into the platform's CamelContext:
 * <ul>
 *   <li>{@code gatehouse-isapi-sync-<device>} reads {@code gatehouse:credential-changes} as <b>its own stream
 *   consumer</b> ({@code credential-changes/gatehouse-isapi-sync-<device>}: its own position, back-off and dead
 *   letters in the store, starting at the oldest kept event the first time), so one terminal offline holds up no
 *   other and catches up from its position when it answers again;</li>
 *   <li>{@code gatehouse-isapi-population-<device>} reads {@code gatehouse:population-changes} the same way (from
 *   the events written after it first started): a lease shortened or extended, a move-in or a move-out reconciles
 *   that resident at once;</li>
 *   <li>{@code gatehouse-isapi-heal-<device>}, a timer ({@code healSeconds}): when events were given up on (dead
 *   letters of those consumers) and the terminal answers again, a full resync and the letters resolved by it
 *   ({@link DeadLetterHeal});</li>
 *   <li>{@code gatehouse-isapi-events-<device>}, a timer that polls the terminal's access events into passages.</li>
 * </ul>
 */
@Component(service = {IsapiTerminal.class, RoutesBuilder.class}, configurationPid = IsapiTerminal.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = TerminalConfig.class, factory = true)
public class IsapiTerminal extends RouteBuilder {
    static final String PID = "org.gatehouse.gate.isapi.terminal";
    static final String SYNC_ROUTE = "gatehouse-isapi-sync-";
    static final String EVENTS_ROUTE = "gatehouse-isapi-events-";
    static final String POPULATION_ROUTE = "gatehouse-isapi-population-";
    static final String HEAL_ROUTE = "gatehouse-isapi-heal-";
    private static final Logger LOG = LoggerFactory.getLogger(IsapiTerminal.class);

    private final TerminalConfig config;
    private final Device device;
    private final IsapiClient client;
    private final TerminalSync sync;
    private final EventIngest ingest;
    private final StreamConsumers consumers;
    private final SyncState state = new SyncState();
    private final DeadLetterHeal healer;

    @Activate
    public IsapiTerminal(TerminalConfig config, @Reference DeviceRepository devices,
                         @Reference HouseholdRepository households, @Reference CommunityRepository communities,
                         @Reference PassageRecorder recorder, @Reference StreamConsumers consumers,
                         @Reference FaceTemplateRepository templates) {
        this.config = config;
        this.consumers = consumers;
        this.device = devices.device(Scope.all(), config.deviceId()).orElseThrow(() ->
                new IllegalArgumentException("ISAPI terminal: no device " + config.deviceId()));
        this.client = new IsapiClient(URI.create(config.baseUrl()), config.user(), password(config),
                Duration.ofMillis(config.timeoutMillis()), ZoneId.of(config.timeZone()));
        Population population = new StorePopulation(households, communities, templates);
        this.sync = new TerminalSync(device, config.doorNo(), client, population, Clock.systemUTC(), state,
                config.pushFaces());
        this.healer = new DeadLetterHeal(this::openDeadLetters, sync::resync, consumers, Clock.systemUTC());
        this.ingest = new EventIngest(device, client, recorder, population, Clock.systemUTC(),
                Duration.ofMinutes(config.lookbackMinutes()), Duration.ofMinutes(2), state);
    }

    /** The password from {@code passwordFile} (first line) when set, else {@code password}; never logged. */
    static char[] password(TerminalConfig config) {
        if (config.passwordFile() != null && !config.passwordFile().isBlank()) {
            try {
                List<String> lines = Files.readAllLines(Path.of(config.passwordFile()), StandardCharsets.UTF_8);
                return (lines.isEmpty() ? "" : lines.get(0).strip()).toCharArray();
            } catch (IOException e) {
                throw new IllegalArgumentException("ISAPI terminal " + config.deviceId()
                        + ": cannot read passwordFile " + config.passwordFile());
            }
        }
        return config.password() == null ? new char[0] : config.password().toCharArray();
    }

    @Override
    public void configure() {
        from(Streams.uri(Streams.CREDENTIAL_CHANGES) + "?startAt=oldest").routeId(SYNC_ROUTE + device.id())
                .routeDescription("ISAPI terminal " + device.name() + ": whitelist sync")
                .process(exchange -> sync.apply(exchange.getIn().getBody(String.class)));
        // a lease changed, a move-in or move-out: the same reconcile of that resident, from its own position
        from(Streams.uri(Streams.POPULATION_CHANGES)).routeId(POPULATION_ROUTE + device.id())
                .routeDescription("ISAPI terminal " + device.name() + ": lease and residence changes")
                .process(exchange -> sync.apply(exchange.getIn().getBody(String.class)));
        if (config.healSeconds() > 0) {
            long period = config.healSeconds() * 1000L;
            from("timer:" + HEAL_ROUTE + device.id() + "?delay=" + period + "&period=" + period)
                    .routeId(HEAL_ROUTE + device.id())
                    .routeDescription("ISAPI terminal " + device.name() + ": full resync after given-up events")
                    .process(exchange -> heal());
        }
        if (config.pollSeconds() > 0) {
            long period = config.pollSeconds() * 1000L;
            from("timer:" + EVENTS_ROUTE + device.id() + "?delay=" + period + "&period=" + period)
                    .routeId(EVENTS_ROUTE + device.id())
                    .routeDescription("ISAPI terminal " + device.name() + ": access events into passages")
                    .process(exchange -> ingest.poll());
        }
    }

    Device device() {
        return device;
    }

    String baseUrl() {
        return config.baseUrl();
    }

    boolean pushesFaces() {
        return config.pushFaces();
    }

    int doorNo() {
        return config.doorNo();
    }

    IsapiClient client() {
        return client;
    }

    String resync() {
        return sync.resync();
    }

    int pollEvents() {
        return ingest.poll();
    }

    private List<StreamConsumers.DeadLetter> openDeadLetters() {
        List<StreamConsumers.DeadLetter> open = new java.util.ArrayList<>(
                consumers.deadLetters(consumerId(Streams.CREDENTIAL_CHANGES, SYNC_ROUTE), true, 1000));
        open.addAll(consumers.deadLetters(consumerId(Streams.POPULATION_CHANGES, POPULATION_ROUTE), true, 1000));
        return open;
    }

    private String consumerId(String stream, String route) {
        return stream + "/" + route + device.id();
    }

    /** One heal round: quiet while the terminal is still down (the sync state says so), one INFO line when healed. */
    void heal() {
        try {
            int resolved = healer.round();
            if (resolved > 0) {
                LOG.info("ISAPI terminal {}: full resync done, {} given-up whitelist events resolved by it",
                        device.name(), resolved);
            }
        } catch (IsapiException e) {
            LOG.debug("ISAPI terminal {} still not answering; its given-up events wait: {}", device.name(),
                    e.getMessage());
        }
    }

    /** The device's sync state, with its stream consumer's position and lag from the store. */
    DeviceStatus status() {
        String consumerId = consumerId(Streams.CREDENTIAL_CHANGES, SYNC_ROUTE);
        Optional<StreamConsumers.ConsumerState> consumer = consumers.consumer(consumerId);
        long newest = consumers.newest(Streams.CREDENTIAL_CHANGES);
        int deadLetters = consumers.deadLetters(consumerId, true, 1000).size();
        return DeviceStatus.of(device, config.baseUrl(), config.doorNo(), consumerId, consumer.orElse(null), newest,
                deadLetters, state.snapshot());
    }
}

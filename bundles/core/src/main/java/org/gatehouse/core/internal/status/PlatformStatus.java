package org.gatehouse.core.internal.status;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.gatehouse.api.service.OutboxRepository;
import org.gatehouse.api.service.StreamConsumers;
import org.gatehouse.api.service.PassageRecorder;
import org.gatehouse.api.service.StoreHealth;
import org.gatehouse.api.stream.Streams;
import org.gatehouse.core.internal.camel.GatehouseCamelContext;
import org.gatehouse.core.internal.camel.RouteFileInstaller;
import org.gatehouse.core.internal.camel.StreamAdmin;
import org.gatehouse.core.internal.camel.StreamAdmin.ConsumerReport;
import org.gatehouse.core.internal.camel.StreamComponent;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/** What {@code /api/health} and {@code gatehouse:status} report: store, Camel, routes, streams, backlog. */
@Component(service = PlatformStatus.class)
public class PlatformStatus {
    public record StoreReport(boolean up, String database, String url, int schemaVersion, long latencyMillis,
                              String detail) {
    }

    public record RouteReport(String id, String status, String from, String description) {
    }

    public record CamelReport(String name, String status, String version, List<RouteReport> routes) {
    }

    /**
     * {@code status}: UP (store and Camel up, every installed module ready), DEGRADED (up and ready, but something
     * needs a person: {@code degradedBy} says what, e.g. a stream consumer failing for too long), STARTING (up, but a
     * module is still coming: {@code waitingFor} says which) or DOWN. {@code outboxPending} is -1 when the store
     * cannot say.
     */
    public record Report(String status, StoreReport store, CamelReport camel, Map<String, Integer> streamConsumers,
                         long outboxPending, int passagesJournalled, List<String> waitingFor,
                         List<RouteFileInstaller.Problem> routeFileProblems, List<ConsumerReport> consumers,
                         List<String> degradedBy) {
        public boolean up() {
            return "UP".equals(status);
        }

        /** UP or DEGRADED: the platform serves (health answers 200). */
        public boolean serving() {
            return up() || "DEGRADED".equals(status);
        }
    }

    private final CamelContext camel;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile StoreHealth storeHealth;

    /** Modules' own parts of {@code gatehouse:status} ({@link org.gatehouse.core.api.StatusSection}). */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = org.osgi.service.component.annotations.ReferencePolicyOption.GREEDY)
    private volatile List<org.gatehouse.core.api.StatusSection> sections = List.of();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile OutboxRepository outbox;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile PassageRecorder recorder;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile StreamConsumers streamConsumers;

    /** Route files in deploy/ that could not be loaded (shown with the file, line and column). */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile RouteFileInstaller routeFiles;

    /** Says when a stream consumer is stuck (absent: none is taken to be). */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile StuckConsumerWatch stuckWatch;

    private final Readiness readiness;

    @Activate
    public PlatformStatus(@Reference(target = GatehouseCamelContext.TARGET) CamelContext camel,
                          @Reference Readiness readiness) {
        this.camel = camel;
        this.readiness = readiness;
    }

    /** A module's section as rendered now: its title and lines, or the error that kept it from answering. */
    public record SectionReport(String title, List<String> lines) {
    }

    /** The modules' sections ({@link org.gatehouse.core.api.StatusSection}), in their order. */
    public List<SectionReport> sections(java.util.Locale locale) {
        List<SectionReport> out = new ArrayList<>();
        List<org.gatehouse.core.api.StatusSection> all = new ArrayList<>(sections);
        all.sort(java.util.Comparator.comparingInt(org.gatehouse.core.api.StatusSection::order));
        for (org.gatehouse.core.api.StatusSection section : all) {
            String title;
            try {
                title = section.title(locale);
            } catch (RuntimeException e) {
                title = section.getClass().getSimpleName();
            }
            try {
                out.add(new SectionReport(title, List.copyOf(section.lines(locale))));
            } catch (RuntimeException e) {
                out.add(new SectionReport(title, List.of("could not be read: " + e)));
            }
        }
        return out;
    }

    public Report report() {
        StoreReport store = store();
        List<RouteReport> routes = new ArrayList<>();
        for (Route route : camel.getRoutes()) {
            routes.add(new RouteReport(route.getRouteId(),
                    String.valueOf(camel.getRouteController().getRouteStatus(route.getRouteId())),
                    route.getEndpoint().getEndpointUri(), route.getDescription()));
        }
        routes.sort(java.util.Comparator.comparing(RouteReport::id));
        CamelReport camelReport = new CamelReport(camel.getName(), String.valueOf(camel.getStatus()),
                camel.getVersion(), routes);
        StreamComponent streams = camel.getComponent(Streams.SCHEME, StreamComponent.class);
        long pending = -1;
        OutboxRepository o = outbox;
        if (o != null && store.up()) {
            try {
                pending = o.pendingCount();
            } catch (RuntimeException e) {
                pending = -1;
            }
        }
        PassageRecorder r = recorder;
        boolean up = store.up() && camel.getStatus().isStarted();
        Readiness.Report ready = readiness.check();
        List<ConsumerReport> consumers = consumers(streams, store.up());
        List<String> degradedBy = degradedBy(consumers, stuckWatch, java.time.Instant.now());
        String status = !up ? "DOWN" : !ready.ready() ? "STARTING" : degradedBy.isEmpty() ? "UP" : "DEGRADED";
        RouteFileInstaller files = routeFiles;
        return new Report(status, store, camelReport, streams.consumerCounts(), pending,
                r == null ? 0 : r.journalled(), ready.waitingFor(), files == null ? List.of() : files.problems(),
                consumers, degradedBy);
    }

    /** What makes the platform DEGRADED: each stuck consumer, named, with since when and its last error. */
    static List<String> degradedBy(List<ConsumerReport> consumers, StuckConsumerWatch watch, java.time.Instant now) {
        List<String> reasons = new ArrayList<>();
        if (watch == null) {
            return reasons;
        }
        for (ConsumerReport c : consumers) {
            if (watch.stuck(c.live(), c.failingSince(), now)) {
                reasons.add("stream consumer " + c.id() + " has failed without a success since " + c.failingSince()
                        + " (more than " + watch.stuckAfter().toMinutes() + " minutes): " + c.lastError());
            }
        }
        return List.copyOf(reasons);
    }

    private List<ConsumerReport> consumers(StreamComponent streams, boolean storeUp) {
        StreamConsumers store = streamConsumers;
        if (store == null || !storeUp) {
            return List.of();
        }
        try {
            return StreamAdmin.reports(streams, store);
        } catch (RuntimeException storeDown) {
            return List.of();
        }
    }

    private StoreReport store() {
        StoreHealth health = storeHealth;
        if (health == null) {
            return new StoreReport(false, "", "", 0, 0, "store bundle not running");
        }
        try {
            StoreHealth.Status s = health.status();
            return new StoreReport(s.up(), s.database(), s.url(), s.schemaVersion(), s.latencyMillis(), s.detail());
        } catch (RuntimeException e) {
            return new StoreReport(false, "", "", 0, 0, String.valueOf(e.getMessage()));
        }
    }
}

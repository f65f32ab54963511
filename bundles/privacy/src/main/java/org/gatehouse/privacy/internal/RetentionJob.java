package org.gatehouse.privacy.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.gatehouse.core.api.AuditTrail;
import org.gatehouse.core.api.AuditTrails;
import org.gatehouse.api.service.RetentionRepository;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes personal data past its retention time, per data type, on a schedule (and on demand); keeps the
 * last reports in memory and appends every run to the audit log ({@code retention.purge}).
 */
@Component(service = {RetentionJob.class, RoutesBuilder.class}, configurationPid = PrivacyConfig.PID)
@Designate(ocd = PrivacyConfig.class)
public class RetentionJob extends RouteBuilder {
    private static final Logger LOG = LoggerFactory.getLogger(RetentionJob.class);

    /** One data type in a run; {@code deleted} -1 and {@code error} set when it failed, -1 alone when kept. */
    public record Item(String dataType, int days, Instant before, int deleted, String error) {
    }

    public record Report(Instant startedAt, Instant finishedAt, String actor, List<Item> items) {
        public int total() {
            return items.stream().mapToInt(i -> Math.max(0, i.deleted())).sum();
        }
    }

    private final RetentionRepository retention;
    private final PrivacyConfig config;
    private final Clock clock;
    private final AuditTrail audit;
    private final Deque<Report> reports = new ArrayDeque<>();

    @Activate
    public RetentionJob(@Reference RetentionRepository retention, PrivacyConfig config, @Reference AuditTrails trails) {
        this(retention, config, Clock.systemUTC(), trails);
    }

    public RetentionJob(RetentionRepository retention, PrivacyConfig config, Clock clock, AuditTrails trails) {
        this.audit = trails.of("privacy");
        this.retention = retention;
        this.config = config;
        this.clock = clock;
    }

    @Override
    public void configure() {
        if (!(config.retentionPeriodHours() > 0)) {
            return;
        }
        from("timer:gatehouse-privacy-retention?delay=" + Math.max(0, config.retentionFirstDelayMinutes()) * 60_000L
                + "&period=" + config.retentionPeriodHours() * 3_600_000L).routeId("gatehouse-privacy-retention")
                .routeDescription("Deletes personal data past its retention time")
                .process(exchange -> {
                    try {
                        run("system:retention");
                    } catch (RuntimeException e) {
                        LOG.warn("Retention run failed: {}", e.toString());
                    }
                });
    }


    /** The configured retention in days per data type (≤ 0 = kept). */
    public Map<String, Integer> days() {
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put("passages", config.passagesDays());
        m.put("visitors", config.visitorsDays());
        m.put("visitLog", config.visitLogDays());
        m.put("alerts", config.alertsDays());
        m.put("publishedOutbox", config.publishedOutboxDays());
        return m;
    }

    /** Runs now; one data type failing does not stop the others. One run at a time. */
    public synchronized Report run(String actor) {
        Instant start = clock.instant();
        List<Item> items = new ArrayList<>();
        items.add(purge("passages", config.passagesDays(), start, retention::purgePassages));
        items.add(purge("visitors", config.visitorsDays(), start, retention::purgeVisitors));
        items.add(purge("visitLog", config.visitLogDays(), start, retention::purgeVisitLog));
        items.add(purge("alerts", config.alertsDays(), start, retention::purgeAlerts));
        items.add(purge("publishedOutbox", config.publishedOutboxDays(), start, retention::purgePublishedOutbox));
        Report report = new Report(start, clock.instant(), actor, List.copyOf(items));
        synchronized (reports) {
            reports.addFirst(report);
            while (reports.size() > Math.max(1, config.reportsKept())) {
                reports.removeLast();
            }
        }
        StringBuilder detail = new StringBuilder();
        for (Item i : items) {
            detail.append(i.dataType()).append('=').append(i.error() != null ? "error" : i.deleted() < 0 ? "kept"
                    : String.valueOf(i.deleted())).append(' ');
        }
        audit.record(actor, "retention.purge", null, null, detail.toString().trim());
        LOG.info("Retention run by {}: {}", actor, detail.toString().trim());
        return report;
    }

    private static Item purge(String type, int days, Instant now, ToIntFunction<Instant> purge) {
        if (days <= 0) {
            return new Item(type, days, null, -1, null);
        }
        Instant before = now.minus(Duration.ofDays(days));
        try {
            return new Item(type, days, before, purge.applyAsInt(before), null);
        } catch (RuntimeException e) {
            LOG.warn("Retention of {} failed: {}", type, e.toString());
            return new Item(type, days, before, -1, e.toString());
        }
    }

    /** Newest first. */
    public List<Report> reports() {
        synchronized (reports) {
            return List.copyOf(reports);
        }
    }
}

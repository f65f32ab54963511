package org.gatehouse.privacy.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.gatehouse.api.model.Alert;
import org.gatehouse.api.model.AlertSeverity;
import org.gatehouse.api.model.AlertStatus;
import org.gatehouse.api.model.AlertType;
import org.gatehouse.api.model.Community;
import org.gatehouse.api.service.AlertRepository;
import org.gatehouse.api.service.CommunityRepository;
import org.gatehouse.api.service.FaceTemplateRepository;
import org.gatehouse.api.service.Scope;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the number of stored face templates against the filing threshold: WARNING at the configured percent,
 * CRITICAL at 100 %, raised as a {@code FACE_TEMPLATE_QUOTA} alert at most once a day (sooner only when the
 * severity rises).
 */
@Component(service = {TemplateQuota.class, RoutesBuilder.class}, configurationPid = PrivacyConfig.PID)
public class TemplateQuota extends RouteBuilder {
    private static final Logger LOG = LoggerFactory.getLogger(TemplateQuota.class);

    public record Status(long count, long threshold, double percent, boolean warning, boolean critical,
                         Instant checkedAt, String alertId) {
    }

    private final FaceTemplateRepository templates;
    private final AlertRepository alerts;
    private final CommunityRepository communities;
    private final PrivacyConfig config;
    private final Clock clock;
    private Instant lastAlertAt;
    private AlertSeverity lastSeverity;

    @Activate
    public TemplateQuota(@Reference FaceTemplateRepository templates, @Reference AlertRepository alerts,
                         @Reference CommunityRepository communities, PrivacyConfig config) {
        this(templates, alerts, communities, config, Clock.systemUTC());
    }

    public TemplateQuota(FaceTemplateRepository templates, AlertRepository alerts, CommunityRepository communities,
                         PrivacyConfig config, Clock clock) {
        this.templates = templates;
        this.alerts = alerts;
        this.communities = communities;
        this.config = config;
        this.clock = clock;
    }

    @Override
    public void configure() {
        if (!(config.templateCheckMinutes() > 0)) {
            return;
        }
        from("timer:gatehouse-privacy-template-count?delay=120000&period=" + config.templateCheckMinutes() * 60_000L)
                .routeId("gatehouse-privacy-template-count")
                .routeDescription("Counts stored face templates against the filing threshold")
                .process(exchange -> {
                    try {
                        check();
                    } catch (RuntimeException e) {
                        LOG.warn("Template count failed: {}", e.toString());
                    }
                });
    }

    public synchronized Status check() {
        Instant now = clock.instant();
        long count = templates.count(Scope.all());
        long threshold = Math.max(1, config.templateThreshold());
        double percent = count * 100.0 / threshold;
        boolean critical = count >= threshold;
        boolean warning = percent >= config.templateWarnPercent();
        String alertId = null;
        AlertSeverity severity = critical ? AlertSeverity.CRITICAL : warning ? AlertSeverity.WARNING : null;
        if (severity != null) {
            boolean rose = lastSeverity == null || severity.compareTo(lastSeverity) > 0;
            boolean dayPassed = lastAlertAt == null || !now.isBefore(lastAlertAt.plus(Duration.ofDays(1)));
            if (rose || dayPassed) {
                alertId = raise(severity, count, threshold, percent, now);
                if (alertId != null) {
                    lastAlertAt = now;
                    lastSeverity = severity;
                }
            }
        }
        return new Status(count, threshold, Math.round(percent * 100) / 100.0, warning, critical, now, alertId);
    }

    private String raise(AlertSeverity severity, long count, long threshold, double percent, Instant now) {
        String community = alertCommunity();
        if (community == null) {
            LOG.warn("{} face templates ({} % of {}): no community to raise the alert in", count, percent, threshold);
            return null;
        }
        String message = String.format("人脸模板数 %d，已达备案阈值 %d 的 %.1f%% / %d face templates stored, %.1f%% of the "
                + "filing threshold %d", count, threshold, percent, count, percent, threshold);
        Alert a = alerts.raise(new Alert(UUID.randomUUID().toString(), community, AlertType.FACE_TEMPLATE_QUOTA,
                severity, AlertStatus.OPEN, "face-templates", message, now, List.of()));
        LOG.warn("Face template quota {}: {}", severity, message);
        return a.id();
    }

    private String alertCommunity() {
        String configured = config.alertCommunity();
        if (configured != null && !configured.isBlank()) {
            return communities.find(Scope.all(), configured.trim()).id();
        }
        return communities.communities(Scope.all()).stream().map(Community::id).sorted().findFirst().orElse(null);
    }
}

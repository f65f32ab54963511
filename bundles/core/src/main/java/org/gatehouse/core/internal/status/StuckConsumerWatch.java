package org.gatehouse.core.internal.status;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.gatehouse.api.model.Acknowledgement;
import org.gatehouse.api.model.Alert;
import org.gatehouse.api.model.AlertSeverity;
import org.gatehouse.api.model.AlertStatus;
import org.gatehouse.api.model.AlertType;
import org.gatehouse.api.model.Community;
import org.gatehouse.api.service.AlertRepository;
import org.gatehouse.api.service.CommunityRepository;
import org.gatehouse.api.service.Scope;
import org.gatehouse.api.service.StreamConsumers;
import org.gatehouse.api.service.StreamConsumers.ConsumerState;
import org.gatehouse.api.stream.Streams;
import org.gatehouse.core.internal.camel.StreamComponent;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the streams' live consumers: one that has failed without a success for longer than {@code
 * stuckAfterMinutes} is stuck. Each stuck period raises one {@link AlertType#STREAM_CONSUMER_STUCK} alert (subject: the
 * consumer id), closed when the consumer takes an event again or its route stops; while any is stuck, the health is
 * {@code DEGRADED} naming it ({@link PlatformStatus}).
 */
@Component(service = {StuckConsumerWatch.class, org.apache.camel.RoutesBuilder.class},
        configurationPid = "org.gatehouse.core.streams")
@Designate(ocd = StuckConsumerWatch.Config.class)
public class StuckConsumerWatch extends RouteBuilder {
    private static final Logger LOG = LoggerFactory.getLogger(StuckConsumerWatch.class);
    static final String ROUTE_ID = "gatehouse-stuck-consumer-watch";
    static final String BY = "gatehouse";

    @ObjectClassDefinition(name = "Gatehouse stream consumers watch",
            description = "Alerts when a consumer of a gatehouse: stream fails for too long")
    public @interface Config {
        @AttributeDefinition(description = "Minutes a live consumer may fail without a success before it is stuck "
                + "(alert, health DEGRADED)", min = "1", max = "10080")
        int stuckAfterMinutes() default 15;

        @AttributeDefinition(description = "Seconds between two checks", min = "5", max = "3600")
        int checkSeconds() default 60;

        @AttributeDefinition(description = "Community (code or id) the alert is raised in; blank = the first "
                + "community by id")
        String alertCommunity() default "";
    }

    /** A stuck consumer: since when it fails, its last error. */
    public record Stuck(String consumerId, Instant failingSince, String lastError) {
    }

    private final StreamConsumers consumers;
    private final AlertRepository alerts;
    private final CommunityRepository communities;
    private final Config config;
    private final Clock clock;
    /** Consumer id -> the alert raised for its stuck period (null until the open ones were read once). */
    private Map<String, String> raised;

    @Activate
    public StuckConsumerWatch(@Reference StreamConsumers consumers, @Reference AlertRepository alerts,
                              @Reference CommunityRepository communities, Config config) {
        this(consumers, alerts, communities, config, Clock.systemUTC());
    }

    StuckConsumerWatch(StreamConsumers consumers, AlertRepository alerts, CommunityRepository communities,
                       Config config, Clock clock) {
        this.consumers = consumers;
        this.alerts = alerts;
        this.communities = communities;
        this.config = config;
        this.clock = clock;
    }

    @Override
    public void configure() {
        from("timer:gatehouse-stuck-consumers?delay=30000&period=" + config.checkSeconds() * 1000L)
                .routeId(ROUTE_ID)
                .routeDescription("Alerts on stream consumers failing for longer than " + config.stuckAfterMinutes()
                        + " minutes")
                .process(exchange -> {
                    try {
                        check(exchange.getContext());
                    } catch (RuntimeException e) {
                        LOG.debug("Stuck consumer check failed (store down?): {}", e.toString());
                    }
                });
    }

    public Duration stuckAfter() {
        return Duration.ofMinutes(config.stuckAfterMinutes());
    }

    /** Whether a consumer is stuck now: live, and failing without a success for longer than allowed. */
    public boolean stuck(boolean live, Instant failingSince, Instant now) {
        return live && failingSince != null && Duration.between(failingSince, now).compareTo(stuckAfter()) > 0;
    }

    /** One check: raises an alert for each consumer newly stuck, closes those of consumers no longer stuck. */
    public synchronized List<Stuck> check(CamelContext context) {
        Instant now = clock.instant();
        Set<String> live = context.getComponent(Streams.SCHEME, StreamComponent.class).liveConsumerIds();
        List<Stuck> stuck = new ArrayList<>();
        for (ConsumerState c : consumers.consumers()) {
            if (stuck(live.contains(c.consumerId()), c.failingSince(), now)) {
                stuck.add(new Stuck(c.consumerId(), c.failingSince(), c.lastError()));
            }
        }
        if (raised == null) {
            raised = openAlerts();
        }
        for (Stuck s : stuck) {
            if (!raised.containsKey(s.consumerId())) {
                String id = raise(s, now);
                if (id != null) {
                    raised.put(s.consumerId(), id);
                }
            }
        }
        for (String consumer : List.copyOf(raised.keySet())) {
            if (stuck.stream().noneMatch(s -> s.consumerId().equals(consumer))) {
                close(consumer, raised.get(consumer), live.contains(consumer), now);
                raised.remove(consumer); // only once closed: a store that fails here closes it on a later check
            }
        }
        return stuck;
    }

    private Map<String, String> openAlerts() {
        Map<String, String> open = new HashMap<>();
        for (AlertStatus status : List.of(AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED)) {
            for (Alert a : alerts.alerts(Scope.all(), null, status, 1000)) {
                if (a.type() == AlertType.STREAM_CONSUMER_STUCK && a.subjectId() != null) {
                    open.putIfAbsent(a.subjectId(), a.id());
                }
            }
        }
        return open;
    }

    private String raise(Stuck s, Instant now) {
        String community = alertCommunity();
        long minutes = Duration.between(s.failingSince(), now).toMinutes();
        String message = String.format("数据流消费者 %s 自 %s 起持续失败（%d 分钟）/ Stream consumer %s has failed "
                        + "without a success since %s (%d minutes): %s", s.consumerId(), s.failingSince(), minutes,
                s.consumerId(), s.failingSince(), minutes, s.lastError());
        LOG.warn("Stream consumer {} is stuck: failing since {} ({} minutes): {}", s.consumerId(), s.failingSince(),
                minutes, s.lastError());
        if (community == null) {
            LOG.warn("No community to raise the stuck-consumer alert in: {}", message);
            return null;
        }
        return alerts.raise(new Alert(UUID.randomUUID().toString(), community, AlertType.STREAM_CONSUMER_STUCK,
                AlertSeverity.WARNING, AlertStatus.OPEN, s.consumerId(), message.length() > 2000
                        ? message.substring(0, 2000) : message, now, List.of())).id();
    }

    private void close(String consumer, String alertId, boolean live, Instant now) {
        String note = live ? "the consumer takes events again" : "the consumer's route is not running";
        try {
            alerts.acknowledge(Scope.all(), alertId, new Acknowledgement(BY, now, note), AlertStatus.CLOSED);
            LOG.info("Stream consumer {} is no longer stuck ({}); alert {} closed", consumer, note, alertId);
        } catch (org.gatehouse.api.service.NotFoundException gone) {
            LOG.debug("Alert {} of consumer {} is gone", alertId, consumer);
        }
    }

    private String alertCommunity() {
        String configured = config.alertCommunity();
        if (configured != null && !configured.isBlank()) {
            return communities.find(Scope.all(), configured.trim()).id();
        }
        return communities.communities(Scope.all()).stream().map(Community::id).sorted().findFirst().orElse(null);
    }
}

package org.gatehouse.integration.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.gatehouse.api.model.WelfareCase;
import org.gatehouse.api.model.WelfareCase.Escalation;
import org.gatehouse.api.service.Scope;
import org.gatehouse.api.service.WelfareCaseRepository;
import org.gatehouse.api.stream.Streams;
import org.gatehouse.integration.internal.FeedSink.TargetRefusedException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Welfare alerts to the phones of the people the welfare module told: route {@code gatehouse-integration-notifications}
 * reads the {@code alerts} stream; for an alert of a notified type it reads the case ({@link WelfareCase#escalations()})
 * and sends to each contact told by that event — the first contacts for the alert itself, contact {@code N} for the
 * escalation event {@code <alert id>#escalation-<N>} — on the contact's channel: {@code mqtt:<topic>} through the mqtt
 * target named {@code notifyMqttTarget}, {@code webhook:<target>} through that webhook target. A channel that cannot
 * be reached fails the event (tried again; contacts already reached are not sent again while the bundle runs); a
 * channel of another kind or naming no running target is logged and skipped.
 */
@Component(service = RoutesBuilder.class, configurationPid = IntegrationConfig.PID)
@Designate(ocd = IntegrationConfig.class)
public class WelfareNotifications extends RouteBuilder {
    private static final Logger LOG = LoggerFactory.getLogger(WelfareNotifications.class);
    static final String ROUTE_ID = "gatehouse-integration-notifications";
    static final String FEED = "notifications";
    private final TargetBoard board;
    private final WelfareCaseRepository cases;
    private final IntegrationConfig config;
    private final Clock clock;
    /** Notifications sent, by notification id: a retried event does not notify a contact twice. */
    private final Set<String> sent = ConcurrentHashMap.newKeySet();

    @Activate
    public WelfareNotifications(@Reference TargetBoard board, @Reference WelfareCaseRepository cases,
                                IntegrationConfig config) {
        this(board, cases, config, Clock.systemUTC());
    }

    public WelfareNotifications(TargetBoard board, WelfareCaseRepository cases, IntegrationConfig config,
                                Clock clock) {
        this.board = board;
        this.cases = cases;
        this.config = config;
        this.clock = clock;
    }

    @Override
    public void configure() {
        errorHandler(defaultErrorHandler().logExhausted(false));
        from(Streams.uri(Streams.ALERTS) + "?startAt=" + config.notifyStartAt()).routeId(ROUTE_ID)
                .routeDescription("Welfare alerts and escalations to the contacts' channels (mqtt, webhook)")
                .process(this::notifyContacts);
    }

    /** Returns how many contacts were sent to; throws when a channel could not be reached. */
    int notifyContacts(Exchange exchange) throws Exception {
        JsonNode alert = EventFields.JSON.readTree(exchange.getIn().getBody(String.class));
        if (!Arrays.asList(config.notifyTypes()).contains(alert.path("type").asText())) {
            return 0;
        }
        String eventId = exchange.getIn().getHeader(Streams.HEADER_EVENT_ID, alert.path("id").asText(), String.class);
        int hash = eventId.indexOf("#escalation-");
        String alertId = hash < 0 ? eventId : eventId.substring(0, hash);
        Optional<WelfareCase> found = cases.welfareCase(Scope.all(), alertId);
        if (found.isEmpty()) {
            LOG.warn("Alert {} has no welfare case: nobody to notify", eventId);
            return 0;
        }
        WelfareCase c = found.get();
        List<Escalation> told = new ArrayList<>();
        for (Escalation e : c.escalations()) {
            boolean initial = !e.at().isAfter(c.raisedAt().plus(Duration.ofSeconds(1)));
            if (hash < 0 ? initial : eventId.endsWith("#escalation-" + e.level())) {
                told.add(e);
            }
        }
        int n = 0;
        Exception failure = null;
        for (Escalation e : told) {
            String id = alertId + "/contact-" + e.level();
            if (sent.contains(id)) {
                continue;
            }
            try {
                if (send(exchange, id, eventId, alert, e)) {
                    sent.add(id);
                    n++;
                }
            } catch (TargetRefusedException refused) {
                sent.add(id); // refused for good: recorded in that target's status, not tried again
            } catch (Exception ex) {
                failure = failure == null ? ex : failure;
            }
        }
        if (failure != null) {
            throw failure;
        }
        return n;
    }

    private boolean send(Exchange exchange, String id, String eventId, JsonNode alert, Escalation e)
            throws Exception {
        String channel = e.channel();
        int colon = channel.indexOf(':');
        String kind = colon < 0 ? channel : channel.substring(0, colon);
        String address = colon < 0 ? "" : channel.substring(colon + 1);
        String targetName = switch (kind) {
            case "mqtt" -> config.notifyMqttTarget();
            case "webhook" -> address;
            default -> null;
        };
        if (targetName == null || targetName.isBlank() || address.isBlank()) {
            LOG.warn("Welfare alert {}: channel '{}' of {} {} is not served (mqtt:<topic> needs notifyMqttTarget; "
                    + "webhook:<target>)", eventId, channel, e.role(), e.name());
            return false;
        }
        Optional<FeedSink> sink = board.sink(targetName);
        Optional<TargetSpec> spec = board.spec(targetName);
        TargetSpec.Kind expected = "mqtt".equals(kind) ? TargetSpec.Kind.MQTT : TargetSpec.Kind.WEBHOOK;
        if (sink.isEmpty() || spec.isEmpty() || spec.get().kind() != expected) {
            LOG.error("Welfare alert {}: channel '{}' of {} {} names no running {} target '{}'", eventId, channel,
                    e.role(), e.name(), expected.name().toLowerCase(java.util.Locale.ROOT), targetName);
            return false;
        }
        ObjectNode body = EventFields.JSON.createObjectNode();
        body.put("id", id).put("alertId", alert.path("id").asText()).put("eventId", eventId)
                .put("communityId", alert.path("communityId").asText()).put("type", alert.path("type").asText())
                .put("severity", alert.path("severity").asText()).put("message", alert.path("message").asText())
                .put("raisedAt", alert.path("raisedAt").asText()).put("level", e.level()).put("role", e.role())
                .put("name", e.name()).put("channel", channel);
        Outgoing out = new Outgoing(FEED, id, alert.path("communityId").asText(), body);
        TargetStatus status = board.status(targetName).orElseThrow();
        long started = System.nanoTime();
        try {
            if (expected == TargetSpec.Kind.MQTT) {
                sink.get().notify(address, out);
            } else {
                sink.get().send(out);
            }
            status.succeeded(clock.instant());
            return true;
        } catch (TargetRefusedException refused) {
            status.refused(clock.instant(), refused.getMessage());
            LOG.warn("Welfare alert {}: {} refused the notification of {} {}: {}", eventId, targetName, e.role(),
                    e.name(), refused.getMessage());
            throw refused;
        } catch (Exception ex) {
            status.failed(clock.instant(), String.valueOf(ex.getMessage()));
            throw ex;
        } finally {
            SentTo.report(exchange, sink.get(), started);
        }
    }
}

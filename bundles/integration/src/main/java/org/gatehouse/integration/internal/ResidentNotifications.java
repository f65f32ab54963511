package org.gatehouse.integration.internal;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.gatehouse.api.model.Alert;
import org.gatehouse.api.model.AlertType;
import org.gatehouse.api.model.Household;
import org.gatehouse.api.model.Resident;
import org.gatehouse.api.service.HouseholdRepository;
import org.gatehouse.api.service.Scope;
import org.gatehouse.api.stream.Streams;
import org.gatehouse.integration.internal.FeedSink.TargetRefusedException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A visitor waiting at the gate, told to the phones of the host household's residents (for the one-click open): route
 * {@code gatehouse-integration-resident-notifications} reads the {@code alerts} stream and, for each
 * {@code VISITOR_WAITING} and {@code VISITOR_WAITING_CLOSED} event, posts one signed notification per resident the
 * event names to the webhook target {@code residentNotifyTarget} (id {@code <event id>/<resident id>}, the receiver's
 * idempotency key). A resident is told only while they live in that household of that community (read again at
 * delivery). Other alert types are ignored. Not configured: the bundle says so once (INFO) and adds no route.
 * <p>
 * A malformed event, an unknown household, an event naming nobody: logged and taken (the stream goes on). The target
 * not reached (a 5xx, a timeout, not running yet): the event fails and is tried again with back-off; residents already
 * reached are not sent again while the bundle runs. The target refusing (4xx): recorded in its status, not tried again.
 */
@Component(service = RoutesBuilder.class, configurationPid = IntegrationConfig.PID)
public class ResidentNotifications extends RouteBuilder {
    private static final Logger LOG = LoggerFactory.getLogger(ResidentNotifications.class);
    static final String ROUTE_ID = "gatehouse-integration-resident-notifications";
    static final String FEED = "resident-notifications";
    private final TargetBoard board;
    private final HouseholdRepository households;
    private final IntegrationConfig config;
    private final Clock clock;
    private final AtomicBoolean saidUnconfigured = new AtomicBoolean();
    /** Notifications delivered (or refused for good), by notification id: a retried event tells nobody twice. */
    private final Set<String> sent = ConcurrentHashMap.newKeySet();

    @Activate
    public ResidentNotifications(@Reference TargetBoard board, @Reference HouseholdRepository households,
                                 IntegrationConfig config) {
        this(board, households, config, Clock.systemUTC());
    }

    public ResidentNotifications(TargetBoard board, HouseholdRepository households, IntegrationConfig config,
                                 Clock clock) {
        this.board = board;
        this.households = households;
        this.config = config;
        this.clock = clock;
    }

    private String target() {
        return config.residentNotifyTarget() == null ? "" : config.residentNotifyTarget().trim();
    }

    @Override
    public void configure() {
        if (target().isEmpty()) {
            if (saidUnconfigured.compareAndSet(false, true)) {
                LOG.info("Residents are not told of visitors waiting at the gate: residentNotifyTarget is not set in "
                        + "{}.cfg", IntegrationConfig.PID);
            }
            return;
        }
        errorHandler(defaultErrorHandler().logExhausted(false));
        from(Streams.uri(Streams.ALERTS) + "?startAt=" + config.notifyStartAt()).routeId(ROUTE_ID)
                .routeDescription("Visitors waiting at the gate to the host household's residents (webhook "
                        + target() + ")")
                .process(this::notifyResidents);
    }

    /** Returns how many residents were sent to now; throws when the target could not be reached. */
    int notifyResidents(Exchange exchange) throws Exception {
        String headerId = exchange.getIn().getHeader(Streams.HEADER_EVENT_ID, String.class);
        JsonNode tree;
        try {
            tree = EventFields.JSON.readTree(exchange.getIn().getBody(String.class));
        } catch (Exception e) {
            LOG.warn("Alert event {} is not JSON, skipped: {}", headerId, e.getMessage());
            return 0;
        }
        String type = tree == null ? "" : tree.path("type").asText();
        if (!AlertType.VISITOR_WAITING.name().equals(type) && !AlertType.VISITOR_WAITING_CLOSED.name().equals(type)) {
            return 0;
        }
        Alert alert;
        try {
            alert = EventFields.JSON.treeToValue(tree, Alert.class);
        } catch (Exception e) {
            LOG.warn("{} event {} is malformed, nobody told: {}", type, headerId, e.getMessage());
            return 0;
        }
        String eventId = headerId == null || headerId.isBlank() ? alert.id() : headerId;
        Alert.Visit visit = alert.visit();
        if (visit == null) {
            LOG.warn("{} event {} names no visit, nobody told", type, eventId);
            return 0;
        }
        Optional<Household> household = households.household(Scope.all(), visit.householdId())
                .filter(h -> h.communityId().equals(alert.communityId()));
        if (household.isEmpty()) {
            LOG.warn("{} event {}: household {} is not a household of community {}, nobody told", type, eventId,
                    visit.householdId(), alert.communityId());
            return 0;
        }
        if (visit.residentIds().isEmpty()) {
            LOG.info("{} event {}: household {} has nobody living there to tell", type, eventId, visit.householdId());
            return 0;
        }
        FeedSink sink = board.sink(target()).filter(s -> board.spec(target())
                .map(spec -> spec.kind() == TargetSpec.Kind.WEBHOOK).orElse(false)).orElse(null);
        if (sink == null) {
            // not running (yet, or misconfigured: its status says why): the event waits and is tried again
            throw new IllegalStateException("residentNotifyTarget '" + target() + "' is no running webhook target");
        }
        int n = 0;
        Exception failure = null;
        for (String residentId : new LinkedHashSet<>(visit.residentIds())) {
            if (!livesThere(residentId, alert.communityId(), visit.householdId())) {
                LOG.warn("{} event {}: resident {} does not live in household {} of community {}, not told", type,
                        eventId, residentId, visit.householdId(), alert.communityId());
                continue;
            }
            String id = eventId + "/" + residentId;
            if (sent.contains(id)) {
                continue;
            }
            try {
                send(exchange, sink, id, eventId, alert, residentId);
                sent.add(id);
                n++;
            } catch (TargetRefusedException refused) {
                sent.add(id); // refused for good: recorded in the target's status, not tried again
            } catch (Exception e) {
                failure = failure == null ? e : failure;
            }
        }
        if (failure != null) {
            throw failure;
        }
        return n;
    }

    private boolean livesThere(String residentId, String communityId, String householdId) {
        if (residentId == null || residentId.isBlank()) {
            return false;
        }
        Optional<Resident> r = households.resident(Scope.of(communityId), residentId);
        return r.isPresent() && r.get().communityId().equals(communityId) && r.get().householdId().equals(householdId);
    }

    private void send(Exchange exchange, FeedSink sink, String id, String eventId, Alert alert, String residentId)
            throws Exception {
        Alert.Visit visit = alert.visit();
        ObjectNode body = EventFields.JSON.createObjectNode();
        body.put("id", id).put("eventId", eventId).put("type", alert.type().name())
                .put("communityId", alert.communityId()).put("residentId", residentId)
                .put("householdId", visit.householdId()).put("visitorId", visit.visitorId())
                .put("visitorName", visit.visitorName()).put("purpose", visit.purpose())
                .put("flat", flatLabel(visit.flat())).put("gate", visit.gate()).put("deviceId", visit.deviceId())
                .put("expectedFrom", String.valueOf(visit.expectedFrom()))
                .put("expectedUntil", String.valueOf(visit.expectedUntil()))
                .put("status", visit.status() == null ? null : visit.status().name())
                .put("raisedAt", alert.raisedAt().toString());
        ObjectNode actions = body.putObject("actions");
        if (alert.type() == AlertType.VISITOR_WAITING) {
            String visitor = "/api/visitors/" + encode(visit.visitorId());
            action(actions, "approve", visitor + "/approve");
            action(actions, "reject", visitor + "/reject");
            if (visit.deviceId() != null && !visit.deviceId().isBlank()) {
                action(actions, "open", "/api/gates/" + encode(visit.deviceId()) + "/open?householdId="
                        + encode(visit.householdId()));
            }
        }
        Outgoing out = new Outgoing(FEED, id, alert.communityId(), body);
        TargetStatus status = board.status(target()).orElse(null);
        long started = System.nanoTime();
        try {
            sink.send(out);
            if (status != null) {
                status.succeeded(clock.instant());
            }
        } catch (TargetRefusedException refused) {
            if (status != null) {
                status.refused(clock.instant(), refused.getMessage());
            }
            LOG.warn("{} event {}: {} refused the notification of resident {}: {}", alert.type(), eventId, target(),
                    residentId, refused.getMessage());
            throw refused;
        } catch (Exception e) {
            if (status != null) {
                status.failed(clock.instant(), String.valueOf(e.getMessage()));
            }
            throw e;
        } finally {
            SentTo.report(exchange, sink, started);
        }
    }

    private static void action(ObjectNode actions, String name, String path) {
        actions.putObject(name).put("method", "POST").put("path", path);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** {@code <building name or code> <number>}, e.g. {@code 3号楼 1203}; empty without a flat. */
    static String flatLabel(org.gatehouse.api.model.PopulationChange.Flat flat) {
        if (flat == null) {
            return "";
        }
        String building = flat.buildingName() != null && !flat.buildingName().isBlank() ? flat.buildingName()
                : flat.buildingCode();
        String number = flat.number() == null ? "" : flat.number();
        return building == null || building.isBlank() ? number : (building + " " + number).trim();
    }
}

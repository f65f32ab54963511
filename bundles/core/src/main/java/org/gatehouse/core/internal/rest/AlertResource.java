package org.gatehouse.core.internal.rest;

import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.gatehouse.api.model.Acknowledgement;
import org.gatehouse.api.model.Alert;
import org.gatehouse.api.model.AlertStatus;
import org.gatehouse.api.model.AlertType;
import org.gatehouse.api.service.AlertRepository;
import org.gatehouse.api.service.AuditLog;
import org.gatehouse.api.service.NotFoundException;
import org.gatehouse.core.api.AuditTrail;
import org.gatehouse.core.api.RestResource;
import org.gatehouse.core.api.RestRoutes;
import org.gatehouse.core.api.Roles;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * The alerts inbox of the caller's communities: strangers, screening failures, devices offline, code guessing, the
 * gallery's filing line, stuck stream consumers (and welfare alerts, which are acknowledged through
 * {@code /welfare/cases} with what the visit found). Acknowledging records who, when and a note, and is audited.
 */
@Component(service = RestResource.class)
public class AlertResource implements RestResource {
    /** Alert types that have their own desk (the welfare module's cases, with an outcome of the visit). */
    static final Set<AlertType> WELFARE = Set.of(AlertType.WELFARE_INACTIVITY, AlertType.IDLE_UNIT,
            AlertType.SUBLEASE_SIGNAL);

    /** An acknowledgement: what was done (required), and whether that ends the alert. */
    public record Ack(String note, Boolean close) {
    }

    private final AlertRepository alerts;
    private final Clock clock;
    private final AuditTrail audit = new AuditTrail("core");

    @Activate
    public AlertResource(@Reference AlertRepository alerts) {
        this(alerts, Clock.systemUTC());
    }

    AlertResource(AlertRepository alerts, Clock clock) {
        this.alerts = alerts;
        this.clock = clock;
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void bindAuditLog(AuditLog log) {
        audit.set(log);
    }

    void unbindAuditLog(AuditLog log) {
        audit.unset(log);
    }

    @Override
    public String tag() {
        return "alerts";
    }

    @Override
    public void routes(RestRoutes routes) {
        routes.get("/alerts", Roles.STAFF, "Alerts of the caller's communities, newest first (?communityId, ?status "
                + "OPEN|ACKNOWLEDGED|CLOSED, ?type e.g. STRANGER, ?limit)", Alert[].class, r -> {
                    AlertStatus status = parse(AlertStatus.class, r.query("status").orElse(null), "status");
                    AlertType type = parse(AlertType.class, r.query("type").orElse(null), "type");
                    int limit = r.queryInt("limit", 100, 1, 1000);
                    String community = r.query("communityId").filter(c -> !c.isBlank()).orElse(null);
                    List<Alert> found = alerts.alerts(r.caller().scope(), community, status,
                            type == null ? limit : 1000);
                    return found.stream().filter(a -> type == null || a.type() == type).limit(limit).toList();
                });
        routes.post("/alerts/{id}/acknowledge", Roles.STAFF, "Acknowledge an alert with a note of what was done "
                + "(required, at most 500 characters); close=true ends it. Welfare alerts: /welfare/cases/{id}/"
                + "acknowledge", Ack.class, Alert.class, r -> {
                    Ack body = r.body(Ack.class);
                    String note = body.note() == null ? "" : body.note().strip();
                    if (note.isEmpty()) {
                        throw new IllegalArgumentException("note is required: say what was done");
                    }
                    if (note.length() > 500) {
                        throw new IllegalArgumentException("note must be at most 500 characters");
                    }
                    Alert alert = alerts.alert(r.caller().scope(), r.path("id"))
                            .orElseThrow(() -> new NotFoundException("alert", r.path("id")));
                    if (WELFARE.contains(alert.type())) {
                        throw new ApiException(409, "WELFARE_CASE", "A welfare alert is acknowledged with the outcome "
                                + "of the visit: POST /welfare/cases/" + alert.id() + "/acknowledge");
                    }
                    if (alert.status() == AlertStatus.CLOSED) {
                        throw new ApiException(409, "ALERT_CLOSED", "The alert is closed already");
                    }
                    AlertStatus next = Boolean.TRUE.equals(body.close()) ? AlertStatus.CLOSED : AlertStatus.ACKNOWLEDGED;
                    audit.record(r.caller().name(), "alert.acknowledge", alert.communityId(), alert.id(),
                            alert.type() + " → " + next);
                    return alerts.acknowledge(r.caller().scope(), alert.id(),
                            new Acknowledgement(r.caller().name(), clock.instant(), note), next);
                });
    }

    static <E extends Enum<E>> E parse(Class<E> type, String value, String name) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Enum.valueOf(type, value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + " must be one of " + java.util.Arrays.toString(type.getEnumConstants()));
        }
    }
}

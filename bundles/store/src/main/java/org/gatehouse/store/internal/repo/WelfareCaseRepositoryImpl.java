package org.gatehouse.store.internal.repo;

import static org.gatehouse.store.internal.repo.RepositoryQueries.*;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.core.type.TypeReference;

import org.apache.cayenne.ObjectContext;
import org.apache.cayenne.exp.Expression;
import org.apache.cayenne.exp.ExpressionFactory;
import org.apache.cayenne.query.Ordering;
import org.apache.cayenne.query.SortOrder;
import org.gatehouse.api.model.Acknowledgement;
import org.gatehouse.api.model.Alert;
import org.gatehouse.api.model.AlertStatus;
import org.gatehouse.api.model.AlertType;
import org.gatehouse.api.model.Validation;
import org.gatehouse.api.model.WelfareCase;
import org.gatehouse.api.model.WelfareCase.Escalation;
import org.gatehouse.api.model.WelfareOutcome;
import org.gatehouse.api.service.ConflictException;
import org.gatehouse.api.service.NotFoundException;
import org.gatehouse.api.service.Scope;
import org.gatehouse.api.service.WelfareCaseRepository;
import org.gatehouse.api.stream.Streams;
import org.gatehouse.store.internal.CayenneStore;
import org.gatehouse.store.internal.Json;
import org.gatehouse.store.internal.model.AlertRow;
import org.gatehouse.store.internal.model.WelfareCaseRow;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Welfare cases: a row of {@code alert} (and its alerts outbox entry) plus one of {@code welfare_case}. */
@Component(service = WelfareCaseRepository.class)
public class WelfareCaseRepositoryImpl implements WelfareCaseRepository {
    static final Set<String> KINDS = Set.of(AlertType.WELFARE_INACTIVITY.name(), AlertType.IDLE_UNIT.name(),
            AlertType.SUBLEASE_SIGNAL.name());
    private static final TypeReference<List<Escalation>> ESCALATIONS = new TypeReference<>() {
    };
    private static final TypeReference<List<String>> LINES = new TypeReference<>() {
    };
    private static final TypeReference<List<Acknowledgement>> ACKS = new TypeReference<>() {
    };

    private final CayenneStore store;

    @Activate
    public WelfareCaseRepositoryImpl(@Reference CayenneStore store) {
        this.store = store;
    }

    @Override
    public WelfareCase open(Alert alert, WelfareCase details) {
        Validation.require(alert, "alert");
        Validation.require(details, "details");
        if (!KINDS.contains(alert.type().name()) || !alert.id().equals(details.alertId())
                || !alert.communityId().equals(details.communityId()) || alert.type() != details.kind()) {
            throw new IllegalArgumentException("the case must name its alert (id, community, a welfare type)");
        }
        Alert stored = new Alert(alert.id(), alert.communityId(), alert.type(), alert.severity(), alert.status(),
                alert.subjectId(), truncate(alert.message(), 2000), micros(alert.raisedAt()), List.of());
        return store.write(context -> {
            Optional<WelfareCase> existing = load(context, stored.id(), Scope.all());
            if (existing.isPresent()) {
                return existing.get();
            }
            requireCommunity(context, Scope.all(), stored.communityId());
            AlertRow alertRow = context.newObject(AlertRow.class);
            alertRow.set("id", stored.id()).set("communityId", stored.communityId())
                    .set("type", stored.type().name()).set("severity", stored.severity().name())
                    .set("status", stored.status().name()).set("subjectId", stored.subjectId())
                    .set("message", stored.message()).set("raisedAt", stored.raisedAt())
                    .set("acknowledgements", "[]");
            // the alert first (the case row refers to it), in the same transaction
            context.commitChanges();
            WelfareCaseRow row = context.newObject(WelfareCaseRow.class);
            row.set("id", stored.id()).set("communityId", stored.communityId()).set("kind", stored.type().name())
                    .set("subjectId", details.subjectId()).set("householdId", details.householdId())
                    .set("since", micros(details.since())).set("dueAt", micros(details.dueAt()))
                    .set("escalations", Json.write(details.escalations().stream().map(WelfareCaseRepositoryImpl::atMicros)
                            .toList()))
                    .set("evidence", Json.write(details.evidence())).set("purpose", truncate(details.purpose(), 1000));
            context.commitChanges();
            OutboxWriter.append(store, Streams.ALERTS, stored.id(), stored.communityId(), Json.write(stored));
            return welfareCase(alertRow, row);
        });
    }

    @Override
    public Optional<WelfareCase> welfareCase(Scope scope, String id) {
        return store.read(context -> load(context, id, scope));
    }

    @Override
    public List<WelfareCase> cases(Scope scope, String communityId, AlertStatus status, AlertType kind, int limit) {
        int max = limit(limit);
        if (kind != null && !KINDS.contains(kind.name())) {
            return List.of();
        }
        Expression where = and(inScope(scope, "communityId"),
                communityId == null ? null : eq("communityId", communityId),
                status == null ? null : eq("status", status.name()),
                kind == null ? ExpressionFactory.inExp("type", KINDS) : eq("type", kind.name()));
        return store.read(context -> {
            List<AlertRow> alerts = select(AlertRow.class, where)
                    .orderBy(new Ordering("raisedAt", SortOrder.DESCENDING), new Ordering("id", SortOrder.ASCENDING))
                    .limit(max).select(context);
            if (alerts.isEmpty()) {
                return List.of();
            }
            Map<String, WelfareCaseRow> rows = new HashMap<>();
            for (WelfareCaseRow row : select(WelfareCaseRow.class,
                    ExpressionFactory.inExp("id", alerts.stream().map(a -> a.str("id")).toList())).select(context)) {
                rows.put(row.str("id"), row);
            }
            List<WelfareCase> cases = new ArrayList<>();
            for (AlertRow a : alerts) {
                WelfareCaseRow row = rows.get(a.str("id"));
                if (row != null) {
                    cases.add(welfareCase(a, row));
                }
            }
            return cases;
        });
    }

    @Override
    public Optional<WelfareCase> escalate(Scope scope, String id, int fromLevel, Escalation escalation) {
        Validation.require(escalation, "escalation");
        Escalation e = atMicros(escalation);
        return store.write(context -> {
            AlertRow alert = require(context, AlertRow.class, id, scope, "welfare case");
            WelfareCaseRow row = requireCase(context, id);
            List<Escalation> escalations = new ArrayList<>(Json.read(row.str("escalations"), ESCALATIONS));
            int level = escalations.isEmpty() ? -1 : escalations.get(escalations.size() - 1).level();
            if (!AlertStatus.OPEN.name().equals(alert.str("status")) || level != fromLevel) {
                return Optional.empty();
            }
            escalations.add(e);
            row.set("escalations", Json.write(escalations));
            context.commitChanges();
            WelfareCase updated = welfareCase(alert, row);
            Alert event = new Alert(updated.alertId(), updated.communityId(), updated.kind(),
                    AlertRepositoryImpl.alert(alert).severity(), AlertStatus.OPEN, alert.str("subjectId"),
                    truncate("Escalated to " + e.role() + " " + e.name() + " (" + e.channel() + ") / "
                            + alert.str("message"), 2000), e.at(), List.of());
            OutboxWriter.append(store, Streams.ALERTS, id + "#escalation-" + e.level(), updated.communityId(),
                    Json.write(event));
            return Optional.of(updated);
        });
    }

    @Override
    public WelfareCase acknowledge(Scope scope, String id, String by, Instant at, WelfareOutcome outcome,
                                   String finding) {
        Validation.requireText(by, "by");
        Validation.require(at, "at");
        Validation.require(outcome, "outcome");
        Instant when = micros(at);
        String text = finding == null ? "" : finding.strip();
        return store.write(context -> {
            AlertRow alert = require(context, AlertRow.class, id, scope, "welfare case");
            WelfareCaseRow row = requireCase(context, id);
            requireNotClosed(alert, row);
            List<Acknowledgement> acks = new ArrayList<>(Json.read(alert.str("acknowledgements"), ACKS));
            acks.add(new Acknowledgement(by, when, truncate(outcome.name() + (text.isEmpty() ? "" : ": " + text),
                    2000)));
            alert.set("acknowledgements", Json.write(acks)).set("status", AlertStatus.ACKNOWLEDGED.name());
            row.set("outcome", outcome.name()).set("finding", truncate(text, 2000)).set("visitedBy", by)
                    .set("visitedAt", when);
            context.commitChanges();
            return welfareCase(alert, row);
        });
    }

    @Override
    public WelfareCase close(Scope scope, String id, String by, Instant at, String reason) {
        Validation.requireText(by, "by");
        Validation.require(at, "at");
        return store.write(context -> {
            AlertRow alert = require(context, AlertRow.class, id, scope, "welfare case");
            WelfareCaseRow row = requireCase(context, id);
            requireNotClosed(alert, row);
            alert.set("status", AlertStatus.CLOSED.name());
            row.set("closedBy", by).set("closedAt", micros(at))
                    .set("closeReason", truncate(reason == null ? "" : reason.strip(), 2000));
            context.commitChanges();
            return welfareCase(alert, row);
        });
    }

    private static void requireNotClosed(AlertRow alert, WelfareCaseRow row) {
        if (AlertStatus.CLOSED.name().equals(alert.str("status"))) {
            throw new ConflictException("welfare case '" + alert.str("id") + "' was closed by " + row.str("closedBy")
                    + " at " + row.instant("closedAt"));
        }
    }

    private static Optional<WelfareCase> load(ObjectContext context, String id, Scope scope) {
        Optional<AlertRow> alert = find(context, AlertRow.class, id, scope);
        if (alert.isEmpty()) {
            return Optional.empty();
        }
        WelfareCaseRow row = select(WelfareCaseRow.class, eq("id", id)).selectOne(context);
        return row == null ? Optional.empty() : Optional.of(welfareCase(alert.get(), row));
    }

    private static WelfareCaseRow requireCase(ObjectContext context, String id) {
        WelfareCaseRow row = select(WelfareCaseRow.class, eq("id", id)).selectOne(context);
        if (row == null) {
            throw new NotFoundException("welfare case", id);
        }
        return row;
    }

    private static Escalation atMicros(Escalation e) {
        return new Escalation(e.level(), e.role(), e.name(), e.channel(), micros(e.at()));
    }

    static WelfareCase welfareCase(AlertRow alert, WelfareCaseRow row) {
        String outcome = row.str("outcome");
        return new WelfareCase(alert.str("id"), alert.str("communityId"),
                enumValue(AlertType.class, alert.str("type")), enumValue(AlertStatus.class, alert.str("status")),
                row.str("subjectId"), row.str("householdId"), row.instant("since"), row.instant("dueAt"),
                alert.instant("raisedAt"), alert.str("message"), Json.read(row.str("escalations"), ESCALATIONS),
                outcome == null ? null : WelfareOutcome.valueOf(outcome), row.str("finding"), row.str("visitedBy"),
                row.instant("visitedAt"), row.str("closedBy"), row.instant("closedAt"), row.str("closeReason"),
                Json.read(row.str("evidence"), LINES), row.str("purpose"));
    }
}

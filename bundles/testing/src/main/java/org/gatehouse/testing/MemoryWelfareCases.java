package org.gatehouse.testing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.gatehouse.api.model.Alert;
import org.gatehouse.api.model.AlertStatus;
import org.gatehouse.api.model.AlertType;
import org.gatehouse.api.model.WelfareCase;
import org.gatehouse.api.model.WelfareCase.Escalation;
import org.gatehouse.api.model.WelfareOutcome;
import org.gatehouse.api.service.ConflictException;
import org.gatehouse.api.service.NotFoundException;
import org.gatehouse.api.service.Scope;
import org.gatehouse.api.service.WelfareCaseRepository;

/**
 * Welfare cases as the store keeps them: opened once per id, escalated only from the level the caller saw and only
 * while open, closed ones refuse acknowledgement and closing. {@link #published} lists the alerts-stream event ids
 * the store would append (the alert's id when opened, {@code <id>#escalation-<level>} per escalation).
 */
public class MemoryWelfareCases implements WelfareCaseRepository {
    public final Map<String, WelfareCase> cases = new ConcurrentHashMap<>();
    public final List<String> published = new CopyOnWriteArrayList<>();
    private final MemoryCommunities communities;

    public MemoryWelfareCases(MemoryCommunities communities) {
        this.communities = communities;
    }

    @Override
    public synchronized WelfareCase open(Alert alert, WelfareCase details) {
        WelfareCase existing = cases.get(alert.id());
        if (existing != null) {
            return existing;
        }
        if (!alert.id().equals(details.alertId()) || alert.type() != details.kind()) {
            throw new IllegalArgumentException("the case must name its alert");
        }
        communities.community(Scope.all(), alert.communityId())
                .orElseThrow(() -> new NotFoundException("community", alert.communityId()));
        WelfareCase stored = with(details, alert.status(), alert.raisedAt(), alert.message());
        cases.put(stored.alertId(), stored);
        published.add(stored.alertId());
        return stored;
    }

    @Override
    public Optional<WelfareCase> welfareCase(Scope scope, String id) {
        return Optional.ofNullable(id == null ? null : cases.get(id)).filter(c -> scope.allows(c.communityId()));
    }

    @Override
    public List<WelfareCase> cases(Scope scope, String communityId, AlertStatus status, AlertType kind, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
        return cases.values().stream().filter(c -> scope.allows(c.communityId()))
                .filter(c -> communityId == null || c.communityId().equals(communityId))
                .filter(c -> status == null || c.status() == status).filter(c -> kind == null || c.kind() == kind)
                .sorted(Comparator.comparing(WelfareCase::raisedAt).reversed().thenComparing(WelfareCase::alertId))
                .limit(limit).toList();
    }

    @Override
    public synchronized Optional<WelfareCase> escalate(Scope scope, String id, int fromLevel, Escalation escalation) {
        WelfareCase c = require(scope, id);
        if (c.status() != AlertStatus.OPEN || c.escalationLevel() != fromLevel) {
            return Optional.empty();
        }
        List<Escalation> list = new ArrayList<>(c.escalations());
        list.add(escalation);
        WelfareCase updated = new WelfareCase(c.alertId(), c.communityId(), c.kind(), c.status(), c.subjectId(),
                c.householdId(), c.since(), c.dueAt(), c.raisedAt(), c.message(), list, c.outcome(), c.finding(),
                c.visitedBy(), c.visitedAt(), c.closedBy(), c.closedAt(), c.closeReason(), c.evidence(), c.purpose());
        cases.put(id, updated);
        published.add(id + "#escalation-" + escalation.level());
        return Optional.of(updated);
    }

    @Override
    public synchronized WelfareCase acknowledge(Scope scope, String id, String by, Instant at, WelfareOutcome outcome,
                                                String finding) {
        WelfareCase c = requireOpen(scope, id);
        WelfareCase updated = new WelfareCase(c.alertId(), c.communityId(), c.kind(), AlertStatus.ACKNOWLEDGED,
                c.subjectId(), c.householdId(), c.since(), c.dueAt(), c.raisedAt(), c.message(), c.escalations(),
                outcome, finding == null ? "" : finding.strip(), by, at, null, null, null, c.evidence(), c.purpose());
        cases.put(id, updated);
        return updated;
    }

    @Override
    public synchronized WelfareCase close(Scope scope, String id, String by, Instant at, String reason) {
        WelfareCase c = requireOpen(scope, id);
        WelfareCase updated = new WelfareCase(c.alertId(), c.communityId(), c.kind(), AlertStatus.CLOSED,
                c.subjectId(), c.householdId(), c.since(), c.dueAt(), c.raisedAt(), c.message(), c.escalations(),
                c.outcome(), c.finding(), c.visitedBy(), c.visitedAt(), by, at, reason == null ? "" : reason.strip(),
                c.evidence(), c.purpose());
        cases.put(id, updated);
        return updated;
    }

    private WelfareCase require(Scope scope, String id) {
        return welfareCase(scope, id).orElseThrow(() -> new NotFoundException("welfare case", id));
    }

    private WelfareCase requireOpen(Scope scope, String id) {
        WelfareCase c = require(scope, id);
        if (c.status() == AlertStatus.CLOSED) {
            throw new ConflictException("welfare case '" + id + "' was closed by " + c.closedBy() + " at "
                    + c.closedAt());
        }
        return c;
    }

    private static WelfareCase with(WelfareCase d, AlertStatus status, Instant raisedAt, String message) {
        return new WelfareCase(d.alertId(), d.communityId(), d.kind(), status, d.subjectId(), d.householdId(),
                d.since(), d.dueAt(), raisedAt, message, d.escalations(), d.outcome(), d.finding(), d.visitedBy(),
                d.visitedAt(), d.closedBy(), d.closedAt(), d.closeReason(), d.evidence(), d.purpose());
    }
}

package org.gatehouse.store.internal.repo;

import static org.gatehouse.store.internal.repo.RepositoryQueries.*;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.core.type.TypeReference;

import org.apache.cayenne.exp.Expression;
import org.apache.cayenne.exp.ExpressionFactory;
import org.apache.cayenne.query.Ordering;
import org.apache.cayenne.query.SortOrder;
import org.gatehouse.api.model.AccessDecision;
import org.gatehouse.api.model.CredentialKind;
import org.gatehouse.api.model.DecisionReason;
import org.gatehouse.api.model.Direction;
import org.gatehouse.api.model.PassageEvent;
import org.gatehouse.api.model.SubjectType;
import org.gatehouse.api.model.Validation;
import org.gatehouse.api.model.Verdict;
import org.gatehouse.api.service.ConflictException;
import org.gatehouse.api.service.PassageRepository;
import org.gatehouse.api.service.Scope;
import org.gatehouse.api.stream.Streams;
import org.gatehouse.store.internal.CayenneStore;
import org.gatehouse.store.internal.Json;
import org.gatehouse.store.internal.model.PassageRow;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

@Component(service = PassageRepository.class)
public class PassageRepositoryImpl implements PassageRepository {
    private static final TypeReference<List<DecisionReason>> REASONS = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, Double>> SCORES = new TypeReference<>() {
    };

    private final CayenneStore store;

    @Activate
    public PassageRepositoryImpl(@Reference CayenneStore store) {
        this.store = store;
    }

    @Override
    public boolean record(PassageEvent event) {
        Validation.require(event, "event");
        PassageEvent stored = new PassageEvent(event.id(), event.communityId(), event.deviceId(),
                micros(event.occurredAt()), event.direction(), event.subjectType(), event.subjectId(),
                event.credentialKind(), event.decision());
        try {
            return store.write(context -> {
                if (select(PassageRow.class, eq("id", stored.id())).selectFirst(context) != null) {
                    return false;
                }
                PassageRow row = context.newObject(PassageRow.class);
                row.set("id", stored.id()).set("communityId", stored.communityId()).set("deviceId", stored.deviceId())
                        .set("occurredAt", stored.occurredAt()).set("direction", stored.direction().name())
                        .set("subjectType", stored.subjectType().name()).set("subjectId", stored.subjectId())
                        .set("credentialKind", name(stored.credentialKind()))
                        .set("verdict", stored.decision().verdict().name())
                        .set("reasons", Json.write(stored.decision().reasons()))
                        .set("scores", Json.write(stored.decision().scores()));
                context.commitChanges();
                OutboxWriter.append(store, Streams.PASSAGES, stored.id(), stored.communityId(), Json.write(stored));
                return true;
            });
        } catch (ConflictException e) {
            // the same id was stored concurrently between our check and our insert
            if (passage(Scope.all(), stored.id()).isPresent()) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public List<Boolean> recordAll(List<PassageEvent> events) {
        if (events.size() <= 1) {
            return events.stream().map(this::record).toList();
        }
        List<PassageEvent> stored = new ArrayList<>(events.size());
        for (PassageEvent event : events) {
            Validation.require(event, "event");
            stored.add(new PassageEvent(event.id(), event.communityId(), event.deviceId(), micros(event.occurredAt()),
                    event.direction(), event.subjectType(), event.subjectId(), event.credentialKind(),
                    event.decision()));
        }
        try {
            return store.write(context -> {
                Set<String> ids = new HashSet<>();
                for (PassageEvent e : stored) {
                    ids.add(e.id());
                }
                Set<String> existing = new HashSet<>();
                for (PassageRow row : select(PassageRow.class, ExpressionFactory.inExp("id", ids)).select(context)) {
                    existing.add(row.str("id"));
                }
                List<Boolean> written = new ArrayList<>(stored.size());
                List<PassageEvent> added = new ArrayList<>();
                for (PassageEvent e : stored) {
                    if (!existing.add(e.id())) {
                        written.add(false);
                        continue;
                    }
                    PassageRow row = context.newObject(PassageRow.class);
                    row.set("id", e.id()).set("communityId", e.communityId()).set("deviceId", e.deviceId())
                            .set("occurredAt", e.occurredAt()).set("direction", e.direction().name())
                            .set("subjectType", e.subjectType().name()).set("subjectId", e.subjectId())
                            .set("credentialKind", name(e.credentialKind()))
                            .set("verdict", e.decision().verdict().name())
                            .set("reasons", Json.write(e.decision().reasons()))
                            .set("scores", Json.write(e.decision().scores()));
                    added.add(e);
                    written.add(true);
                }
                context.commitChanges();
                for (PassageEvent e : added) {
                    OutboxWriter.append(store, Streams.PASSAGES, e.id(), e.communityId(), Json.write(e));
                }
                return written;
            });
        } catch (ConflictException e) {
            // one of them was stored concurrently (e.g. from the journal): one by one, each decides for itself
            return events.stream().map(this::record).toList();
        }
    }

    @Override
    public List<PassageEvent> passages(Scope scope, String communityId, Instant from, Instant to, int limit) {
        return newestFirst(scope, communityId, null, from, to, limit);
    }

    @Override
    public List<PassageEvent> passagesOf(Scope scope, String communityId, String subjectId, Instant from, Instant to,
                                         int limit) {
        Validation.requireText(subjectId, "subjectId");
        return newestFirst(scope, communityId, subjectId, from, to, limit);
    }

    /** Passages in the scope, of a community and a subject when given, in [from, to), newest first. */
    private List<PassageEvent> newestFirst(Scope scope, String communityId, String subjectId, Instant from, Instant to,
                                           int limit) {
        int max = limit(limit);
        Expression where = and(inScope(scope, "communityId"),
                subjectId == null ? null : eq("subjectId", subjectId),
                communityId == null ? null : eq("communityId", communityId),
                from == null ? null : ExpressionFactory.greaterOrEqualExp("occurredAt", micros(from)),
                to == null ? null : ExpressionFactory.lessExp("occurredAt", micros(to)));
        return store.read(context -> select(PassageRow.class, where)
                .orderBy(new Ordering("occurredAt", SortOrder.DESCENDING), new Ordering("id", SortOrder.ASCENDING))
                .limit(max).select(context).stream().map(PassageRepositoryImpl::passage).toList());
    }

    @Override
    public Optional<PassageEvent> passage(Scope scope, String id) {
        return store.read(context -> find(context, PassageRow.class, id, scope).map(PassageRepositoryImpl::passage));
    }

    /** Counted from three columns of the window's rows, read by the index on (community, time), bucketed here. */
    @Override
    public List<Count> counts(Scope scope, String communityId, Instant from, Instant to, java.time.ZoneId zone,
                              java.time.temporal.ChronoUnit unit) {
        if (unit != java.time.temporal.ChronoUnit.HOURS && unit != java.time.temporal.ChronoUnit.DAYS) {
            throw new IllegalArgumentException("unit must be HOURS or DAYS");
        }
        Validation.requireText(communityId, "communityId");
        scope.check(communityId);
        Map<Instant, long[]> tally = new java.util.TreeMap<>();
        store.query(c -> Jdbc.query(c, "select occurred_at, direction, verdict from passage where community_id = ?"
                        + " and occurred_at >= ? and occurred_at < ?", Integer.MAX_VALUE, rs -> {
                    Instant period = Jdbc.instant(rs, "occurred_at").atZone(zone).truncatedTo(unit).toInstant();
                    long[] n = tally.computeIfAbsent(period, k -> new long[3]);
                    n[Verdict.DENY.name().equals(rs.getString("verdict")) ? 2
                            : Direction.OUT.name().equals(rs.getString("direction")) ? 1 : 0]++;
                    return Boolean.TRUE;
                }, communityId, Jdbc.at(from == null ? Instant.EPOCH : from),
                Jdbc.at(to == null ? Instant.parse("9999-12-31T00:00:00Z") : to)));
        List<Count> counts = new ArrayList<>();
        tally.forEach((period, n) -> counts.add(new Count(period, n[0], n[1], n[2])));
        return counts;
    }

    @Override
    public long count(Scope scope) {
        Expression where = inScope(scope, "communityId");
        return store.read(context -> select(PassageRow.class, where).selectCount(context));
    }

    static PassageEvent passage(PassageRow row) {
        AccessDecision decision = new AccessDecision(enumValue(Verdict.class, row.str("verdict")),
                Json.read(row.str("reasons"), REASONS), Json.read(row.str("scores"), SCORES));
        return new PassageEvent(row.str("id"), row.str("communityId"), row.str("deviceId"), row.instant("occurredAt"),
                enumValue(Direction.class, row.str("direction")), enumValue(SubjectType.class, row.str("subjectType")),
                row.str("subjectId"), enumValue(CredentialKind.class, row.str("credentialKind")), decision);
    }
}

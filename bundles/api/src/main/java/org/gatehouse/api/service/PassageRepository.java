package org.gatehouse.api.service;

import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.gatehouse.api.model.Direction;
import org.gatehouse.api.model.PassageEvent;
import org.gatehouse.api.model.Verdict;

/**
 * The durable passage log. {@link #record} writes the passage and its entry in the outbox of the
 * {@code passages} stream in one transaction; a passage whose id is already stored is not written twice.
 */
public interface PassageRepository {
    /** @return true if written now, false if it was already stored (same id). */
    boolean record(PassageEvent event);

    /**
     * Records several passages in one transaction (one commit for all: what a busy gate's concurrent reports
     * are grouped into), each with its outbox entry; all are written or none.
     *
     * @return for each event, in order, true if written now, false if its id was stored already (or earlier in
     *         the list)
     */
    default List<Boolean> recordAll(List<PassageEvent> events) {
        return events.stream().map(this::record).toList();
    }

    List<PassageEvent> passages(Scope scope, String communityId, Instant from, Instant to, int limit);

    Optional<PassageEvent> passage(Scope scope, String id);

    /**
     * The passages of one subject (a resident's or visitor's id) in a community in {@code [from, to)} (either null =
     * open), newest first, at most {@code limit}. The store answers from its index on the subject; this default
     * filters {@link #passages} and so sees only the newest 10,000 passages of the window.
     */
    default List<PassageEvent> passagesOf(Scope scope, String communityId, String subjectId, Instant from, Instant to,
                                          int limit) {
        return passages(scope, communityId, from, to, 10_000).stream()
                .filter(p -> subjectId != null && subjectId.equals(p.subjectId())).limit(Math.max(0, limit)).toList();
    }

    long count(Scope scope);

    /** How many passages one period (an hour or a day) had: let in, let out, and denied. */
    record Count(Instant period, long in, long out, long denied) {
    }

    /**
     * The passages of a community in {@code [from, to)} counted per hour or per day ({@code unit} HOURS or DAYS) of
     * {@code zone}, oldest period first, periods with none left out: let in (a device of way IN or BOTH), let out, and
     * denied. The store counts in the database; this default counts the newest 10,000 passages of the window.
     */
    default List<Count> counts(Scope scope, String communityId, Instant from, Instant to, ZoneId zone, ChronoUnit unit) {
        if (unit != ChronoUnit.HOURS && unit != ChronoUnit.DAYS) {
            throw new IllegalArgumentException("unit must be HOURS or DAYS");
        }
        scope.check(communityId);
        Map<Instant, long[]> tally = new TreeMap<>();
        for (PassageEvent p : passages(scope, communityId, from, to, 10_000)) {
            Instant period = p.occurredAt().atZone(zone).truncatedTo(unit).toInstant();
            long[] c = tally.computeIfAbsent(period, k -> new long[3]);
            c[p.decision().verdict() == Verdict.DENY ? 2 : p.direction() == Direction.OUT ? 1 : 0]++;
        }
        List<Count> counts = new ArrayList<>();
        tally.forEach((period, c) -> counts.add(new Count(period, c[0], c[1], c[2])));
        return counts;
    }
}

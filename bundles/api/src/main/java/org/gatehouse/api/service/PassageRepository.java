package org.gatehouse.api.service;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.gatehouse.api.model.PassageEvent;

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
}

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

    List<PassageEvent> passages(Scope scope, String communityId, Instant from, Instant to, int limit);

    Optional<PassageEvent> passage(Scope scope, String id);

    long count(Scope scope);
}

package org.gatehouse.testing;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.gatehouse.api.model.PassageEvent;
import org.gatehouse.api.service.PassageRepository;
import org.gatehouse.api.service.Scope;

/** The passage log: stored once per id, read newest first in the caller's scope, like the store. */
public class MemoryPassages implements PassageRepository {
    public final Map<String, PassageEvent> passages = new ConcurrentHashMap<>();
    private static final Comparator<PassageEvent> NEWEST_FIRST = Comparator.comparing(PassageEvent::occurredAt)
            .reversed().thenComparing(PassageEvent::id);

    @Override
    public boolean record(PassageEvent event) {
        return passages.putIfAbsent(event.id(), event) == null;
    }

    @Override
    public List<PassageEvent> passages(Scope scope, String communityId, Instant from, Instant to, int limit) {
        return passages.values().stream().filter(p -> scope.allows(p.communityId()))
                .filter(p -> communityId == null || communityId.equals(p.communityId()))
                .filter(p -> from == null || !p.occurredAt().isBefore(from))
                .filter(p -> to == null || p.occurredAt().isBefore(to))
                .sorted(NEWEST_FIRST).limit(Math.min(limit, 10_000)).toList();
    }

    @Override
    public List<PassageEvent> passagesOf(Scope scope, String communityId, String subjectId, Instant from, Instant to,
                                         int limit) {
        return passages(scope, communityId, from, to, Integer.MAX_VALUE).stream()
                .filter(p -> subjectId.equals(p.subjectId())).limit(limit).toList();
    }

    @Override
    public Optional<PassageEvent> passage(Scope scope, String id) {
        return Optional.ofNullable(passages.get(id)).filter(p -> scope.allows(p.communityId()));
    }

    @Override
    public long count(Scope scope) {
        return passages.values().stream().filter(p -> scope.allows(p.communityId())).count();
    }
}

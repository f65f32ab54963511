package org.gatehouse.welfare.internal;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import org.gatehouse.api.model.PassageEvent;
import org.gatehouse.api.model.SubjectType;
import org.gatehouse.api.model.Verdict;
import org.gatehouse.api.service.PassageRepository;
import org.gatehouse.api.service.Scope;

/**
 * Which passages say a resident is there. Any door, in or out, counts when the gate let the resident through
 * ({@link #counts}). A one-click open (reason {@code REMOTE_OPEN}: the resident opened the door for someone from the
 * app) shows the resident is active — it counts for the inactivity watch — but not that the resident passed: it does
 * not count as being seen in person ({@link #inPerson}) for idle flats and sublease signs.
 */
final class Presence {
    static final String REMOTE_OPEN = "REMOTE_OPEN";
    private static final int PAGE = 200;
    private static final int MAX_PAGES = 50;

    private Presence() {
    }

    static boolean counts(PassageEvent p) {
        return p.decision().verdict() == Verdict.ALLOW && p.subjectType() == SubjectType.RESIDENT
                && p.subjectId() != null;
    }

    static boolean remoteOpen(PassageEvent p) {
        return p.decision().reasons().stream().anyMatch(r -> REMOTE_OPEN.equals(r.code()));
    }

    static boolean inPerson(PassageEvent p) {
        return counts(p) && !remoteOpen(p);
    }

    /** The newest passage of {@code subjectId} at or before {@code asOf} that {@code which} accepts. */
    static Optional<PassageEvent> last(PassageRepository passages, String communityId, String subjectId, Instant asOf,
                                       Predicate<PassageEvent> which) {
        Instant to = asOf.plus(1, ChronoUnit.MICROS);
        for (int page = 0; page < MAX_PAGES; page++) {
            List<PassageEvent> batch = passages.passagesOf(Scope.all(), communityId, subjectId, null, to, PAGE);
            Optional<PassageEvent> found = batch.stream().filter(which).findFirst();
            if (found.isPresent() || batch.size() < PAGE) {
                return found;
            }
            Instant oldest = batch.get(batch.size() - 1).occurredAt();
            if (!oldest.isBefore(to)) {
                return Optional.empty();
            }
            to = oldest;
        }
        return Optional.empty();
    }

    /**
     * The first passage of {@code subjectId} after {@code since} (exclusive) and at or before {@code until} (null =
     * whatever is stored, also beyond the clock) that {@code which} accepts, if any.
     */
    static Optional<PassageEvent> after(PassageRepository passages, String communityId, String subjectId,
                                        Instant since, Instant until, Predicate<PassageEvent> which) {
        Instant from = since.plus(1, ChronoUnit.MICROS);
        Instant to = until == null ? null : until.plus(1, ChronoUnit.MICROS);
        List<PassageEvent> batch = passages.passagesOf(Scope.all(), communityId, subjectId, from, to, 10_000);
        PassageEvent first = null;
        for (PassageEvent p : batch) {
            if (which.test(p)) {
                first = p;
            }
        }
        return Optional.ofNullable(first);
    }

    /** Passages of {@code subjectId} in {@code (from, asOf]}. */
    static List<PassageEvent> between(PassageRepository passages, String communityId, String subjectId, Instant from,
                                      Instant asOf) {
        return passages.passagesOf(Scope.all(), communityId, subjectId, from, asOf.plus(1, ChronoUnit.MICROS),
                10_000);
    }
}

package org.gatehouse.api.service;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.gatehouse.api.model.Alert;
import org.gatehouse.api.model.AlertStatus;
import org.gatehouse.api.model.AlertType;
import org.gatehouse.api.model.WelfareCase;
import org.gatehouse.api.model.WelfareOutcome;

/**
 * Welfare alerts and cases: an {@link Alert} (the {@code alert} table and the {@code alerts} stream, as every alert)
 * plus the welfare module's part ({@link WelfareCase}). Ids are chosen by the caller, one per episode.
 */
public interface WelfareCaseRepository {
    /**
     * Raises {@code alert} (appended to the alerts outbox) and stores {@code details} with it in one transaction. An
     * alert id already stored returns the stored case unchanged, whatever its status: an episode is opened once.
     */
    WelfareCase open(Alert alert, WelfareCase details);

    Optional<WelfareCase> welfareCase(Scope scope, String id);

    /** Newest first; {@code communityId}, {@code status}, {@code kind} null = any. */
    List<WelfareCase> cases(Scope scope, String communityId, AlertStatus status, AlertType kind, int limit);

    /** The welfare cases about one person (a resident's inactivity alerts), newest first: for a subject access export. */
    default List<WelfareCase> casesAbout(Scope scope, String communityId, String subjectId) {
        return cases(scope, communityId, null, AlertType.WELFARE_INACTIVITY, 10_000).stream()
                .filter(w -> subjectId.equals(w.subjectId())).toList();
    }

    /**
     * Records the next contact told, if the case is still {@code OPEN} and its last escalation level is
     * {@code fromLevel} (so two runs never both escalate); the escalation is also appended to the alerts outbox
     * (event id {@code <alert id>#escalation-<level>}). Empty when the case moved on meanwhile.
     */
    Optional<WelfareCase> escalate(Scope scope, String id, int fromLevel, WelfareCase.Escalation escalation);

    /**
     * Who went, when, what they found: the case becomes {@code ACKNOWLEDGED} (no further escalation) and the alert
     * keeps an acknowledgement. A closed case is a {@link ConflictException}; an unknown id {@link NotFoundException}.
     */
    WelfareCase acknowledge(Scope scope, String id, String by, Instant at, WelfareOutcome outcome, String finding);

    /**
     * Closes an open or acknowledged case, by whom ({@code passage} when a passage of the person closed it), when and
     * why. A closed case is a {@link ConflictException}; an unknown id {@link NotFoundException}.
     */
    WelfareCase close(Scope scope, String id, String by, Instant at, String reason);
}

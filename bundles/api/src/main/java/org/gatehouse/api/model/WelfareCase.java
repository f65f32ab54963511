package org.gatehouse.api.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The welfare module's part of an {@link Alert} of type {@link AlertType#WELFARE_INACTIVITY},
 * {@link AlertType#IDLE_UNIT} or {@link AlertType#SUBLEASE_SIGNAL}: the alert row carries id, community, type,
 * status, message and when it was raised (and the alerts stream); this carries what the welfare module adds.
 *
 * @param alertId         the alert's id, also the case's id (deterministic per episode, so a re-run opens nothing twice)
 * @param kind            the alert's type
 * @param status          the alert's status (OPEN, ACKNOWLEDGED, CLOSED)
 * @param subjectId       a resident id (inactivity) or a household id (idle flat, sublease signs)
 * @param householdId     the household concerned
 * @param since           the start of the episode: the last passage that counted, or the start of the record
 * @param dueAt           when the rule said the alert or case is due (after quiet hours)
 * @param raisedAt        when it was raised (the time the detectors were run as of)
 * @param message         the alert's message
 * @param escalations     who was told, in order: the first ones when raised, then one more per escalation
 * @param outcome         set by the acknowledgement
 * @param evidence        what the detector saw, one line each
 * @param purpose         the purpose statement of the analysis that opened the case
 */
public record WelfareCase(String alertId, String communityId, AlertType kind, AlertStatus status, String subjectId,
                          String householdId, Instant since, Instant dueAt, Instant raisedAt, String message,
                          List<Escalation> escalations, WelfareOutcome outcome, String finding, String visitedBy,
                          Instant visitedAt, String closedBy, Instant closedAt, String closeReason,
                          List<String> evidence, String purpose) {
    public WelfareCase {
        Validation.requireText(alertId, "alertId");
        Validation.requireText(communityId, "communityId");
        Validation.require(kind, "kind");
        Validation.require(status, "status");
        Validation.requireText(subjectId, "subjectId");
        Validation.require(raisedAt, "raisedAt");
        message = Objects.requireNonNullElse(message, "");
        escalations = escalations == null ? List.of() : List.copyOf(escalations);
        evidence = evidence == null ? List.of() : List.copyOf(evidence);
        purpose = Objects.requireNonNullElse(purpose, "");
    }

    /** How far the alert has escalated: the index of the last contact told (-1 when nobody was). */
    public int escalationLevel() {
        return escalations.isEmpty() ? -1 : escalations.get(escalations.size() - 1).level();
    }

    /** A contact told about the alert: its place in the community's list, role, name, channel address, when. */
    public record Escalation(int level, String role, String name, String channel, Instant at) {
        public Escalation {
            Validation.requireText(role, "role");
            Validation.requireText(name, "name");
            Validation.require(at, "at");
            channel = Objects.requireNonNullElse(channel, "");
        }
    }
}

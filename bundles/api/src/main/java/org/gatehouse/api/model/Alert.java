package org.gatehouse.api.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Something a person must look at. {@code subjectId} names what it is about (resident, flat, device, visitor).
 * {@code visit} is set only for {@link AlertType#VISITOR_WAITING} and {@link AlertType#VISITOR_WAITING_CLOSED} (null
 * for every other type).
 */
public record Alert(String id, String communityId, AlertType type, AlertSeverity severity, AlertStatus status,
                    String subjectId, String message, Instant raisedAt, List<Acknowledgement> acknowledgements,
                    Visit visit) {
    public Alert {
        Validation.requireText(id, "id");
        Validation.requireText(communityId, "communityId");
        Validation.require(type, "type");
        Validation.require(severity, "severity");
        Validation.require(status, "status");
        Validation.require(raisedAt, "raisedAt");
        message = Objects.requireNonNullElse(message, "");
        acknowledgements = acknowledgements == null ? List.of() : List.copyOf(acknowledgements);
    }

    /** An alert about no visit (every type but the visitor ones). */
    public Alert(String id, String communityId, AlertType type, AlertSeverity severity, AlertStatus status,
                 String subjectId, String message, Instant raisedAt, List<Acknowledgement> acknowledgements) {
        this(id, communityId, type, severity, status, subjectId, message, raisedAt, acknowledgements, null);
    }

    /**
     * A visitor waiting for the host household, as registered: the visitor, the household and its flat (in words, as
     * in population changes), the visitor's name and purpose, how they were registered ({@code gate}, {@code office}),
     * the door they wait at when a gate terminal registered them ({@code deviceId}, {@code gate}; else null), the
     * expected window, where the visit stands ({@code WAITING_APPROVAL}, or the decision that ended the wait) and the
     * residents of the household to tell (not removed, inside their lease when the event was written).
     */
    public record Visit(String visitorId, String householdId, String unitId, PopulationChange.Flat flat,
                        String visitorName, String purpose, String registeredVia, String deviceId, String gate,
                        Instant expectedFrom, Instant expectedUntil, VisitorStatus status, List<String> residentIds) {
        public Visit {
            Validation.requireText(visitorId, "visitorId");
            Validation.requireText(householdId, "householdId");
            residentIds = residentIds == null ? List.of() : List.copyOf(residentIds);
        }
    }
}

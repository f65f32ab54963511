package org.gatehouse.api.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** Something a person must look at. {@code subjectId} names what it is about (resident, flat, device). */
public record Alert(String id, String communityId, AlertType type, AlertSeverity severity, AlertStatus status,
                    String subjectId, String message, Instant raisedAt, List<Acknowledgement> acknowledgements) {
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
}

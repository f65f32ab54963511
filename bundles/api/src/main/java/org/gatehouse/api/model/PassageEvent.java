package org.gatehouse.api.model;

import java.time.Instant;

/**
 * One passage (通行记录) at a device. {@code id} is stable and chosen by whoever recorded it, so a
 * passage re-sent after a failure is stored once.
 */
public record PassageEvent(String id, String communityId, String deviceId, Instant occurredAt, Direction direction,
                           SubjectType subjectType, String subjectId, CredentialKind credentialKind,
                           AccessDecision decision) {
    public PassageEvent {
        Validation.requireText(id, "id");
        Validation.requireText(communityId, "communityId");
        Validation.requireText(deviceId, "deviceId");
        Validation.require(occurredAt, "occurredAt");
        Validation.require(direction, "direction");
        Validation.require(subjectType, "subjectType");
        Validation.require(decision, "decision");
    }
}

package org.gatehouse.api.model;

import java.time.Instant;
import java.util.Objects;

/** A change of the registered population, published on the {@code population-changes} stream. */
public record PopulationChange(String id, String communityId, PopulationChangeType type, String residentId,
                               String householdId, String unitId, Instant occurredAt, String detail) {
    public PopulationChange {
        Validation.requireText(id, "id");
        Validation.requireText(communityId, "communityId");
        Validation.require(type, "type");
        Validation.require(occurredAt, "occurredAt");
        detail = Objects.requireNonNullElse(detail, "");
    }
}

package org.gatehouse.api.model;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Set;

/**
 * A registered person of a household. Access is valid from {@code validFrom} (inclusive) to
 * {@code validUntil} (exclusive; null = open-ended) — a tenant's lease end closes access.
 */
public record Resident(String id, String communityId, String householdId, String name, ResidentRole role,
                       LocalDate birthDate, String phone, Instant validFrom, Instant validUntil,
                       Set<CareFlag> careFlags) {
    public Resident {
        Validation.require(id, "id");
        Validation.require(communityId, "communityId");
        Validation.require(householdId, "householdId");
        Validation.requireText(name, "name");
        Validation.require(role, "role");
        careFlags = careFlags == null ? Set.of() : Set.copyOf(careFlags);
        if (validFrom != null && validUntil != null && !validUntil.isAfter(validFrom)) {
            throw new IllegalArgumentException("validUntil must be after validFrom");
        }
    }

    /** Whether the validity window (lease) covers {@code at}. */
    public boolean isValidAt(Instant at) {
        return (validFrom == null || !at.isBefore(validFrom)) && (validUntil == null || at.isBefore(validUntil));
    }
}

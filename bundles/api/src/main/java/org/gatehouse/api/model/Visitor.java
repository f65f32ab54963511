package org.gatehouse.api.model;

import java.time.Instant;

/**
 * A visitor registered for a host flat. {@code idCardHash} is a keyed hash of the ID card number,
 * never the number. {@code registeredVia} says who registered: office, resident (app) or gate.
 */
public record Visitor(String id, String communityId, String hostHouseholdId, String name, String phone,
                      String idCardHash, String purpose, Instant expectedFrom, Instant expectedUntil,
                      VisitorStatus status, String registeredBy, String registeredVia, String decidedBy,
                      Instant decidedAt, Instant createdAt) {
    public Visitor {
        Validation.requireText(id, "id");
        Validation.requireText(communityId, "communityId");
        Validation.requireText(hostHouseholdId, "hostHouseholdId");
        Validation.requireText(name, "name");
        Validation.require(expectedFrom, "expectedFrom");
        Validation.require(expectedUntil, "expectedUntil");
        if (!expectedUntil.isAfter(expectedFrom)) {
            throw new IllegalArgumentException("expectedUntil must be after expectedFrom");
        }
        Validation.require(status, "status");
        Validation.requireText(registeredBy, "registeredBy");
        Validation.requireText(registeredVia, "registeredVia");
    }
}

package org.gatehouse.api.model;

import java.time.Instant;
import java.util.Set;

/** A temporary pass (临时通行码) for a visitor: a code valid in a window, for some gates, a few times. */
public record VisitorPass(String id, String communityId, String visitorName, String hostHouseholdId, String code,
                          Instant validFrom, Instant validUntil, int maxUses, int uses, Set<String> gates,
                          Instant revokedAt) {
    public VisitorPass {
        Validation.requireText(id, "id");
        Validation.requireText(communityId, "communityId");
        Validation.requireText(visitorName, "visitorName");
        Validation.requireText(hostHouseholdId, "hostHouseholdId");
        Validation.requireText(code, "code");
        Validation.require(validFrom, "validFrom");
        Validation.require(validUntil, "validUntil");
        if (!validUntil.isAfter(validFrom)) {
            throw new IllegalArgumentException("validUntil must be after validFrom");
        }
        if (maxUses < 1 || uses < 0) {
            throw new IllegalArgumentException("maxUses must be at least 1 and uses not negative");
        }
        gates = gates == null ? Set.of() : Set.copyOf(gates);
    }

    /** Whether the pass opens {@code gate} at {@code at}: in its window, uses left, not revoked, gate allowed. */
    public boolean opens(String gate, Instant at) {
        return revokedAt == null && !at.isBefore(validFrom) && at.isBefore(validUntil) && uses < maxUses
                && (gates.isEmpty() || gates.contains(gate));
    }
}

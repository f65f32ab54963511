package org.gatehouse.api.model;

import java.time.Instant;
import java.util.Set;

/**
 * A temporary pass (临时通行码) for a visitor: a code valid in a window, for some gates, a few times.
 * {@code gates} are gate names ({@link Device#gate()}); empty = no list of gates. {@code buildingId}, when set,
 * limits the pass to the doors of that building and the community's compound gates (devices without a
 * building) — a resident's pass is limited to the host's building; null = no building limit.
 */
public record VisitorPass(String id, String communityId, String visitorName, String hostHouseholdId, String code,
                          Instant validFrom, Instant validUntil, int maxUses, int uses, Set<String> gates,
                          Instant revokedAt, String buildingId) {
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
        buildingId = buildingId == null || buildingId.isBlank() ? null : buildingId;
    }

    /** A pass without a building limit. */
    public VisitorPass(String id, String communityId, String visitorName, String hostHouseholdId, String code,
                       Instant validFrom, Instant validUntil, int maxUses, int uses, Set<String> gates,
                       Instant revokedAt) {
        this(id, communityId, visitorName, hostHouseholdId, code, validFrom, validUntil, maxUses, uses, gates,
                revokedAt, null);
    }

    /**
     * Whether the pass opens the gate named {@code gate} at {@code at}: in its window, uses left, not revoked,
     * gate allowed. A building-limited pass never opens by a gate name alone (the name does not say which
     * building the door is in): use {@link #opens(Device, Instant)}.
     */
    public boolean opens(String gate, Instant at) {
        return buildingId == null && usable(gate, at);
    }

    /**
     * Whether the pass opens the gate of {@code device} at {@code at}: as {@link #opens(String, Instant)} for the
     * device's gate, and, for a building-limited pass, the device is in the same community and is a compound gate
     * or a door of that building.
     */
    public boolean opens(Device device, Instant at) {
        return device != null && communityId.equals(device.communityId()) && usable(device.gate(), at)
                && allowsBuildingOf(device);
    }

    /** Whether the building limit (if any) lets the pass open {@code device}'s door: compound gate or same building. */
    public boolean allowsBuildingOf(Device device) {
        return buildingId == null || device.buildingId() == null || buildingId.equals(device.buildingId());
    }

    private boolean usable(String gate, Instant at) {
        return revokedAt == null && !at.isBefore(validFrom) && at.isBefore(validUntil) && uses < maxUses
                && (gates.isEmpty() || gates.contains(gate));
    }
}

package org.gatehouse.gate.internal;

import java.util.Optional;

import org.gatehouse.api.model.Household;
import org.gatehouse.api.model.Resident;
import org.gatehouse.api.model.SubjectType;
import org.gatehouse.api.model.Unit;
import org.gatehouse.api.service.Scope;
import org.gatehouse.api.service.StoreUnavailableException;
import org.gatehouse.gate.api.GateReason;
import org.gatehouse.visitor.api.PassCheck;
import org.gatehouse.visitor.api.VisitorPasses;
import org.gatehouse.whitelist.api.AccessCheck;
import org.gatehouse.whitelist.api.Whitelist;

/**
 * The gate's policy, once someone is named: a resident passes the community gates (a device with no building) and the
 * unit doors of their own building, inside the lease window; a visitor passes where the pass allows
 * ({@link VisitorPasses#checkAtDevice}); a visitor's face alone is not a pass. While the store is down the last known
 * answers and the whitelist's offline copy stand in (the attempt is marked offline).
 */
final class Policy {
    private final GateDecisionsImpl.Services s;
    private final LastKnown lastKnown;

    Policy(GateDecisionsImpl.Services services, LastKnown lastKnown) {
        this.s = services;
        this.lastKnown = lastKnown;
    }

    /** A face accepted as {@code subjectId}: a resident (lease, building), a visitor (needs a pass) or nobody now. */
    void subject(Attempt a, String subjectId) {
        Scope scope = Scope.of(a.device.communityId());
        AccessCheck check;
        try {
            check = s.whitelist().check(scope, subjectId, a.now);
        } catch (StoreUnavailableException down) {
            check = lastKnown.check(subjectId, a.now).orElseThrow(() -> down);
            a.offline();
        }
        if (check.offline()) {
            a.offline(); // the whitelist answered from its in-memory copy
        }
        if (check.reason() == AccessCheck.Reason.NOT_REGISTERED && !a.offline
                && s.visitors().visitor(scope, subjectId).isPresent()) {
            a.subjectType = SubjectType.VISITOR;
            a.subjectId = subjectId;
            a.reasons.add(GateReason.of("VISITOR_NEEDS_PASS", "subject=" + subjectId));
            a.deny();
            return;
        }
        resident(a, subjectId, check);
    }

    /**
     * A visitor pass presented at the device, checked without using it ({@link VisitorPasses#peekAtDevice}): the use
     * is spent by {@link #usePass} once the passage will open.
     */
    void pass(Attempt a, String code) {
        PassCheck check = s.passes().peekAtDevice(Scope.of(a.device.communityId()), a.device.id(), code, a.now);
        a.subjectType = SubjectType.VISITOR;
        if (check.opens()) {
            a.subjectId = check.passId();
            a.reasons.add(new GateReason("PASS_VALID", GateDecisionsImpl.num(check.usesLeft()), null,
                    "pass=" + check.passId()));
        } else {
            a.subjectType = check.passId() == null ? SubjectType.UNKNOWN : SubjectType.VISITOR;
            a.subjectId = check.passId();
            a.reasons.add(GateReason.of("PASS_" + check.reason().name(),
                    check.passId() == null ? "" : "pass=" + check.passId()));
            a.deny();
        }
    }

    /**
     * Spends the use of the pass {@link #pass} found valid, now that nothing else denies the passage
     * ({@link VisitorPasses#checkAtDevice}, atomic): the reason says the uses left after it; a pass used up or revoked
     * meanwhile denies.
     */
    void usePass(Attempt a, String code) {
        PassCheck used = s.passes().checkAtDevice(Scope.of(a.device.communityId()), a.device.id(), code, a.now);
        int valid = -1;
        for (int i = 0; i < a.reasons.size(); i++) {
            if (a.reasons.get(i).code().equals("PASS_VALID")) {
                valid = i;
            }
        }
        if (used.opens()) {
            GateReason reason = new GateReason("PASS_VALID", GateDecisionsImpl.num(used.usesLeft()), null,
                    "pass=" + used.passId());
            if (valid >= 0) {
                a.reasons.set(valid, reason);
            } else {
                a.reasons.add(reason);
            }
            return;
        }
        a.reasons.add(GateReason.of("PASS_" + used.reason().name(), used.passId() == null ? "" : "pass=" + used.passId()));
        a.deny();
    }

    /**
     * The resident's lease (from the whitelist's check) and building: community gates and the unit doors of their own
     * building only. While the store is down the resident and building come from what the gate last saw of them, else
     * from the whitelist's offline copy.
     */
    void resident(Attempt a, String residentId, AccessCheck check) {
        Scope scope = Scope.of(a.device.communityId());
        a.subjectId = residentId;
        Optional<Lease> resident;
        String home;
        try {
            Optional<Resident> found = check.reason() == AccessCheck.Reason.NOT_REGISTERED ? Optional.empty()
                    : s.households().resident(scope, residentId);
            home = found.isEmpty() ? null : buildingOf(scope, found.get());
            String building = home;
            found.ifPresent(r -> lastKnown.remember(r, building));
            resident = found.map(r -> new Lease(r.validFrom(), r.validUntil()));
        } catch (StoreUnavailableException down) {
            LastKnown.Person known = lastKnown.person(residentId);
            if (known != null) {
                resident = Optional.of(new Lease(known.resident().validFrom(), known.resident().validUntil()));
                home = known.buildingId();
            } else {
                Whitelist.OfflineResident copy = s.whitelist().offlineResident(scope, residentId)
                        .orElseThrow(() -> down);
                resident = Optional.of(new Lease(copy.validFrom(), copy.validUntil()));
                home = copy.buildingId();
            }
            a.offline();
        }
        if (resident.isEmpty()) {
            lastKnown.forget(residentId);
            a.subjectType = SubjectType.UNKNOWN;
            a.reasons.add(GateReason.of("NOT_REGISTERED", "subject=" + residentId));
            a.deny();
            return;
        }
        a.subjectType = SubjectType.RESIDENT;
        Lease r = resident.get();
        switch (check.reason()) {
            case VALID -> a.reasons.add(GateReason.of("LEASE_VALID", "subject=" + residentId
                    + (r.validUntil() == null ? "" : ";until=" + r.validUntil())));
            case LEASE_ENDED -> {
                a.reasons.add(GateReason.of("LEASE_ENDED", "subject=" + residentId
                        + (r.validUntil() == null ? "" : ";until=" + r.validUntil())));
                a.deny();
            }
            case NOT_YET_VALID -> {
                a.reasons.add(GateReason.of("NOT_YET_VALID", "subject=" + residentId
                        + (r.validFrom() == null ? "" : ";from=" + r.validFrom())));
                a.deny();
            }
            default -> {
                a.reasons.add(GateReason.of(check.reason().name(), "subject=" + residentId));
                a.deny();
            }
        }
        if (!check.allowed() && check.reason() == AccessCheck.Reason.VALID) {
            a.deny(); // never trust a VALID that says not allowed
        }
        String deviceBuilding = a.device.buildingId();
        if (deviceBuilding == null) {
            a.reasons.add(GateReason.of("COMMUNITY_GATE", "gate=" + a.device.id()));
            return;
        }
        if (deviceBuilding.equals(home)) {
            a.reasons.add(GateReason.of("OWN_BUILDING", "building=" + home));
        } else {
            a.reasons.add(GateReason.of("OTHER_BUILDING", "building=" + deviceBuilding
                    + (home == null ? "" : ";home=" + home)));
            a.deny();
        }
    }

    /** A resident's lease window as the decision explains it. */
    private record Lease(java.time.Instant validFrom, java.time.Instant validUntil) {
    }

    private String buildingOf(Scope scope, Resident r) {
        Optional<Household> household = s.households().household(scope, r.householdId());
        Optional<Unit> unit = household.flatMap(h -> s.communities().unit(scope, h.unitId()));
        return unit.map(Unit::buildingId).orElse(null);
    }
}

package org.gatehouse.visitor.internal;

import static org.gatehouse.visitor.internal.Messages.MESSAGES;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.gatehouse.api.model.Resident;
import org.gatehouse.api.model.Visitor;
import org.gatehouse.api.service.HouseholdRepository;
import org.gatehouse.api.service.Scope;
import org.gatehouse.core.api.AuditTrail;
import org.gatehouse.core.api.Caller;

/**
 * Whether a resident caller lives in a household now, checked as the gate checks a resident: not removed (moved
 * out), of that household, inside the lease. A household role in a login outlives the move-out and the lease, so
 * everything a resident does that lets someone through a door asks this — the one-click open and the host's actions
 * (registering a visitor, approving or rejecting one, issuing a pass, enrolling a visitor's face). One implementation,
 * so the gate rule and the host rule cannot drift apart. Taking access away (revoking a pass, closing a visit) does
 * not ask: a former resident withdrawing their own invitation lets nobody in.
 */
final class Residency {
    /**
     * Why a caller does not live there: the stable code ({@code NOT_REGISTERED}, {@code LEASE_ENDED},
     * {@code NOT_YET_VALID}), the last part of the message key (the one-click open and the host have their own texts)
     * and the detail for the log and the audit.
     */
    record NotLiving(String code, String reason, String detail) {
        /** The message key under {@code prefix}, e.g. {@code open.leaseEnded}. */
        String key(String prefix) {
            return prefix + "." + reason;
        }
    }

    private final HouseholdRepository households;
    private final Clock clock;

    Residency(HouseholdRepository households, Clock clock) {
        this.households = households;
        this.clock = clock;
    }

    /** The resident ids a caller names by roles {@code resident:<id>}; empty when it names none. */
    static Set<String> residentIdsOf(Caller c) {
        return CallerRoles.suffixes(c, RemoteOpen.RESIDENT_ID_PREFIX);
    }

    /**
     * Empty when the caller lives in household {@code hid} at {@code now}: one of its named residents (or, when it
     * names none, any resident of the household) is not removed, belongs to the household and is inside its lease.
     * Otherwise the gate's reason: {@code NOT_REGISTERED} (removed, moved out, not of this household),
     * {@code NOT_YET_VALID} (every lease starts later) or {@code LEASE_ENDED}.
     */
    Optional<NotLiving> notLivingThere(Scope scope, String hid, Set<String> residentIds, Instant now) {
        List<Resident> people = residentIds.isEmpty() ? households.residents(scope, hid)
                : residentIds.stream().map(id -> households.resident(scope, id)).flatMap(Optional::stream)
                        .filter(r -> r.householdId().equals(hid)).toList();
        if (people.isEmpty()) {
            return Optional.of(new NotLiving("NOT_REGISTERED", "notRegistered", (residentIds.isEmpty()
                    ? "no registered resident left" : "resident " + residentIds + " removed or not") + " in household "
                    + hid));
        }
        if (people.stream().anyMatch(r -> r.isValidAt(now))) {
            return Optional.empty();
        }
        String who = people.stream().map(Resident::id).sorted().toList() + ", household " + hid;
        if (people.stream().allMatch(r -> r.validFrom() != null && now.isBefore(r.validFrom()))) {
            return Optional.of(new NotLiving("NOT_YET_VALID", "notYetValid", "lease not started: " + who));
        }
        return Optional.of(new NotLiving("LEASE_ENDED", "leaseEnded", "lease ended: " + who));
    }

    /**
     * A resident caller acting as the host of household {@code hid} must live there now; otherwise 403 with the
     * gate's code ({@code host.*} texts), audited {@code <action>.refused} on {@code subjectId}. The office is not
     * asked (it acts for any household of its community); nor is a caller without the {@code resident} role.
     */
    void requireLivingHost(Caller c, String hid, String communityId, String subjectId, String action,
                           AuditTrail audit) {
        if (CallerRoles.isOffice(c) || CallerRoles.householdsOf(c).isEmpty()) {
            return;
        }
        Optional<NotLiving> notHere = notLivingThere(c.scope(), hid, residentIdsOf(c), clock.instant());
        if (notHere.isPresent()) {
            NotLiving n = notHere.get();
            audit.refused(c.name(), action + ".refused", communityId, subjectId, n.code() + ": " + n.detail());
            throw MESSAGES.refusal(403, n.code(), n.key("host"));
        }
    }

    /**
     * {@link CallerRoles#requireHostOrOffice}, and a resident host must live in the host household now
     * ({@link #requireLivingHost}): for the host's actions on a visit that let the visitor in.
     */
    void requireLivingHostOrOffice(Caller c, Visitor v, String action, AuditTrail audit) {
        CallerRoles.requireHostOrOffice(c, v, action, audit);
        requireLivingHost(c, v.hostHouseholdId(), v.communityId(), v.id(), action, audit);
    }
}

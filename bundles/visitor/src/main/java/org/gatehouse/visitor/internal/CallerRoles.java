package org.gatehouse.visitor.internal;

import static org.gatehouse.visitor.internal.Messages.MESSAGES;

import java.util.Set;
import java.util.TreeSet;

import org.gatehouse.api.model.Visitor;
import org.gatehouse.core.api.AuditTrail;
import org.gatehouse.core.api.Caller;
import org.gatehouse.core.api.Roles;

/**
 * Who may act for a visit: the office ({@code city-admin}, {@code community-office}), or a caller with role
 * {@code resident} for the households named by its roles {@code household:<householdId>}, and for no other.
 */
final class CallerRoles {
    private CallerRoles() {
    }

    static boolean isOffice(Caller c) {
        return c.hasRole(Roles.CITY_ADMIN) || c.hasRole(Roles.COMMUNITY_OFFICE);
    }

    /** The households a resident caller acts for (roles {@code household:<id>}); empty for others. */
    static Set<String> householdsOf(Caller c) {
        if (!c.hasRole(Roles.RESIDENT)) {
            return Set.of();
        }
        return suffixes(c, Roles.HOUSEHOLD_PREFIX);
    }

    static boolean actsFor(Caller c, String householdId) {
        return householdsOf(c).contains(householdId);
    }

    /** What follows {@code prefix} in the caller's roles that have it (and something after it), sorted. */
    static Set<String> suffixes(Caller c, String prefix) {
        Set<String> ids = new TreeSet<>();
        for (String role : c.roles()) {
            if (role.startsWith(prefix) && role.length() > prefix.length()) {
                ids.add(role.substring(prefix.length()));
            }
        }
        return ids;
    }

    /** The office, or the host household's resident; anyone else is refused (403, audited {@code <action>.refused}). */
    static void requireHostOrOffice(Caller c, Visitor v, String action, AuditTrail audit) {
        if (isOffice(c) || actsFor(c, v.hostHouseholdId())) {
            return;
        }
        audit.refused(c.name(), action + ".refused", v.communityId(), v.id(), "not the host household "
                + v.hostHouseholdId());
        throw MESSAGES.refusal(403, "FORBIDDEN", "visitor.notHost");
    }
}

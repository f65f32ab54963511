package org.gatehouse.visitor.internal;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.gatehouse.api.model.VisitorPass;
import org.gatehouse.core.api.Caller;
import org.gatehouse.visitor.api.PassCheck;
import org.gatehouse.visitor.api.VisitorPasses;

/**
 * Temporary passes (临时通行码) of approved visitors and their checks at the gates ({@link VisitorPasses} for the gate
 * module):
 * <ul>
 * <li>a pass is a random 6-digit code and a QR payload {@code GH1:<passId>:<code>}, returned once; only the keyed
 * hash of the code is stored ({@link VisitorKey});</li>
 * <li>a pass issued by the host resident opens only the doors of the host's building and the compound gates; an
 * office pass keeps its gates as given (none: every gate of the community);</li>
 * <li>a check that opens uses the pass; every check is written to the visitor log; checks that do not open are
 * counted per gate terminal, staff caller or gate name, and too many lock it out for a while
 * ({@link CheckLockouts}).</li>
 * </ul>
 */
public interface Passes extends VisitorPasses {
    String QR_PREFIX = "GH1:";

    /**
     * A pass request; nulls = the visitor's window, the configured uses, no list of gates (an office pass: every
     * gate; a resident's pass: the doors of the host's building and the compound gates).
     */
    record PassInput(Instant validFrom, Instant validUntil, Integer maxUses, Set<String> gates) {
    }

    /** A pass as shown to people: everything but the code's hash. */
    record PassView(String id, String communityId, String visitorName, String hostHouseholdId,
                    Instant validFrom, Instant validUntil, int maxUses, int uses, Set<String> gates,
                    Instant revokedAt, String buildingId) {
        static PassView of(VisitorPass p) {
            return new PassView(p.id(), p.communityId(), p.visitorName(), p.hostHouseholdId(), p.validFrom(),
                    p.validUntil(), p.maxUses(), p.uses(), p.gates(), p.revokedAt(), p.buildingId());
        }
    }

    /** A pass just issued: the code and the QR payload are shown this once and never stored. */
    record IssuedPass(PassView pass, String code, String qr) {
    }

    /**
     * Issues a pass to an approved visitor (the host resident or the office). A resident only while living in the host
     * household (not removed, inside the lease: else 403 {@code NOT_REGISTERED}, {@code LEASE_ENDED},
     * {@code NOT_YET_VALID}, as for the one-click open).
     */
    IssuedPass issuePass(Caller c, String visitorId, PassInput in);

    /** The passes of a visitor, never their codes (the host resident, the office, the police). */
    List<PassView> passes(Caller c, String visitorId);

    /**
     * Revokes a pass of a visitor; the visitor's face is forgotten with it. A resident of the host household may revoke
     * after moving out too: it only takes access away.
     */
    PassView revokePass(Caller c, String visitorId, String passId);

    /**
     * A check by an authenticated caller (the REST API). A gate terminal (role {@code device}) checks at its own
     * gate: the door is the calling device's, and a different gate named in the request is refused (403
     * {@code GATE_MISMATCH}, logged and audited), so one building's terminal cannot claim another door. Staff name
     * the gate ({@code gate} required). A locked-out check is 429 {@code TOO_MANY_ATTEMPTS}.
     */
    PassCheck check(Caller c, String communityId, String code, String gate);
}

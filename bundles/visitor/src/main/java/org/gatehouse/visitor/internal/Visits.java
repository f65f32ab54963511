package org.gatehouse.visitor.internal;

import java.time.Instant;
import java.util.List;

import org.gatehouse.api.model.VisitLogEntry;
import org.gatehouse.api.model.Visitor;
import org.gatehouse.api.model.VisitorStatus;
import org.gatehouse.api.service.Scope;
import org.gatehouse.core.api.Caller;
import org.gatehouse.faces.api.FaceRegistry;

/**
 * Visits, from registration to their end:
 * <ul>
 * <li>a visitor is registered by the office, by a resident for their own household (app) or at the gate;
 * the host household approves or rejects (the office may too, and may pre-approve its own registrations); a visitor
 * who waits for that is published as {@code VISITOR_WAITING} (the store, with the registration; the calling terminal as
 * the door) and the decision ending the wait as {@code VISITOR_WAITING_CLOSED}; an invitation or a pre-approval is
 * stored approved and never waits;</li>
 * <li>a visitor's face (only with their consent) is forgotten when the visit is rejected, closed, a pass of it
 * revoked, or the {@link #sweep} finds the window (or every pass) ended;</li>
 * <li>every step is written to the visitor log and the audit log, refusals too; the office and the police read the
 * visitor log.</li>
 * </ul>
 * Residents: a caller with role {@code resident} acts for the households named by its roles
 * {@code household:<householdId>}, and for no other; to register, approve, reject or enroll a face only while living
 * there (not removed, inside the lease: else 403 {@code NOT_REGISTERED}, {@code LEASE_ENDED}, {@code NOT_YET_VALID},
 * the one-click open's check, {@link Residency}). Closing a visit is allowed after moving out: it lets nobody in.
 */
public interface Visits {
    /** A registration as a form sends it. {@code preApproved} only counts for the office. */
    record VisitorInput(String name, String phone, String idCard, String hostHouseholdId, String purpose,
                        Instant expectedFrom, Instant expectedUntil, Boolean preApproved) {
    }

    record SweepReport(Instant at, int closed, int facesForgotten) {
    }

    Visitor register(Caller c, VisitorInput in);

    /** One visitor: the office, the police or the host household. */
    Visitor visitor(Caller c, String id);

    List<Visitor> visitors(Caller c, String communityId, VisitorStatus status, int limit);

    /** The host resident (or the office) approves or rejects a waiting visitor; rejecting forgets the face. */
    Visitor decide(Caller c, String visitorId, boolean approve);

    /** The host withdraws the invitation (or the office closes it): passes revoked, face forgotten. */
    Visitor close(Caller c, String visitorId);

    /** Enrolls a visitor's face for the gate, only with the visitor's consent; forgotten when the visit ends. */
    FaceRegistry.Enrollment enrollFace(Caller c, String visitorId, byte[] image, boolean consent);

    /** Forgets the visitor's face (logged and audited when there was one); how many templates were forgotten. */
    int forgetFace(Scope scope, Visitor v, String actor);

    /** The visitor log of a community between {@code from} (null: 30 days ago) and {@code to} (null: a minute from now). */
    List<VisitLogEntry> visitLog(Caller c, String communityId, Instant from, Instant to, int limit);

    /**
     * Closes every waiting or approved visit whose expected window ended, and every approved visit whose passes
     * have all ended (expired, used up or revoked); forgets their faces.
     */
    SweepReport sweep(Instant at);
}

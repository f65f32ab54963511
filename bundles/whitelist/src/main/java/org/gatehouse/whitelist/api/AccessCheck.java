package org.gatehouse.whitelist.api;

import java.time.Instant;

/**
 * Whether a registered resident may pass now, and why (not). {@code residentId} and {@code communityId}
 * are null when nobody was found. {@code offline}: the database could not be asked and the answer comes from the
 * whitelist's in-memory copy of the community (a gate's decision then says {@code OFFLINE_DECISION}): a credential
 * revoked or a lease changed while the database is down is not known to it.
 */
public record AccessCheck(boolean allowed, Reason reason, String residentId, String communityId, Instant at,
                          boolean offline) {
    /** Stable codes; new ones are only appended. */
    public enum Reason {
        /** Registered and inside the lease window. */
        VALID,
        /** No such resident (or removed, or not in the caller's communities). */
        NOT_REGISTERED,
        /** The lease (validity window) has not started yet. */
        NOT_YET_VALID,
        /** The lease has ended (move-out, lease expired). */
        LEASE_ENDED,
        /** The presented credential (card, ID card, PIN, app code) is unknown, revoked or wrong. */
        CREDENTIAL_UNKNOWN,
        /**
         * Too many wrong credentials from this terminal (or for this person's app code) lately: checks are
         * refused without looking at what was presented until the lockout ends.
         */
        TOO_MANY_ATTEMPTS
    }

    /** An answer from the database (not {@link #offline}). */
    public AccessCheck(boolean allowed, Reason reason, String residentId, String communityId, Instant at) {
        this(allowed, reason, residentId, communityId, at, false);
    }

    /** The same answer, given from the in-memory copy while the database is down. */
    public AccessCheck fromOfflineCopy() {
        return new AccessCheck(allowed, reason, residentId, communityId, at, true);
    }

    public static AccessCheck refused(Reason reason, String residentId, String communityId, Instant at) {
        return new AccessCheck(false, reason, residentId, communityId, at);
    }
}

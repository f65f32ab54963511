package org.gatehouse.visitor.api;

/**
 * The answer to a pass check. {@code reason} is null when the pass opened; the pass fields
 * are null when the code is unknown.
 */
public record PassCheck(boolean opens, Reason reason, String passId, String visitorName,
                        String hostHouseholdId, int usesLeft) {
    /** Why a pass did not open. New reasons are only appended. */
    public enum Reason {
        UNKNOWN_CODE, EXPIRED, NOT_YET_VALID, NO_USES_LEFT, WRONG_GATE, REVOKED,
        /**
         * Too many refused checks from this terminal (or caller, or gate name) lately: checks are locked for a while
         * and the code was not looked at, so even the right code is refused.
         */
        TOO_MANY_ATTEMPTS
    }

    public static PassCheck refused(Reason reason) {
        return new PassCheck(false, reason, null, null, null, 0);
    }
}

package org.gatehouse.api.service;

/**
 * A rule that the store re-checks inside the transaction of a change (under the resident's row lock) did not
 * hold, so nothing was written. {@link #code()} is the {@link Reason}'s name.
 */
public class PreconditionFailedException extends ConflictException {
    public enum Reason {
        /** No consent for the purpose is in force (never given, or withdrawn meanwhile). */
        CONSENT_NOT_IN_FORCE,
        /** The resident has no active credential other than a face. */
        NO_NON_FACE_CREDENTIAL
    }

    private final Reason reason;

    public PreconditionFailedException(Reason reason, String message) {
        super(reason.name(), message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}

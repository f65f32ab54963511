package org.gatehouse.gate.api;

import java.util.Objects;

/**
 * One reason behind a gate decision: a stable code, the number behind it and the threshold it was held against (both
 * null when none), and a reference (a subject, building, check or adapter id — never a name or an image).
 * Codes: {@code FACE_ACCEPTED}, {@code FACE_VERIFY}, {@code FACE_REJECTED}, {@code FACE_VERIFIED},
 * {@code FACE_MISMATCH}, {@code CREDENTIAL_VALID}, {@code CREDENTIAL_UNKNOWN}, {@code CREDENTIAL_MISMATCH},
 * {@code TOO_MANY_ATTEMPTS}, {@code LEASE_VALID}, {@code LEASE_ENDED}, {@code NOT_YET_VALID}, {@code NOT_REGISTERED},
 * {@code OWN_BUILDING}, {@code COMMUNITY_GATE}, {@code OTHER_BUILDING}, {@code PASS_VALID}, {@code PASS_*} refusals,
 * {@code SCREENING_PASSED}, {@code SCREENING_FAILED}, {@code SCREENING_FLAGGED}, {@code SCREENING_NOT_MEASURED},
 * {@code STRANGER}, {@code DOOR_OPENED}, {@code DOOR_FAILED}, {@code POLICY_VERSION}.
 */
public record GateReason(String code, Double value, Double threshold, String ref) {
    public GateReason {
        Objects.requireNonNull(code, "code");
        ref = ref == null ? "" : ref;
    }

    public static GateReason of(String code, String ref) {
        return new GateReason(code, null, null, ref);
    }
}

package org.gatehouse.whitelist.api;

import org.gatehouse.api.model.Credential;
import org.gatehouse.api.model.CredentialKind;
import org.gatehouse.api.service.Scope;

/**
 * Issues a non-face credential from inside the platform, the way {@code POST /api/residents/{id}/credentials} does
 * for staff: an IC card number ({@link CredentialKind#CARD}), an ID card number ({@link CredentialKind#ID_CARD}) or a
 * PIN ({@link CredentialKind#PIN}), given in clear, stored as the whitelist stores it (keyed hash; a card also keeps
 * at most its last four characters), published on {@code credential-changes} and audited under {@code actor}.
 * App tokens (their secret is shown once) and faces (enrolment) are not issued here. Used by the demo to give its
 * residents cards; the caller decides who may issue, as with the repositories.
 */
public interface CredentialIssuer {
    /**
     * Issues {@code value} of {@code kind} to the resident {@code residentId} of {@code scope}.
     *
     * @throws org.gatehouse.api.service.NotFoundException no such resident in the scope
     * @throws RuntimeException a refusal with a stable code: a malformed value, an active credential with the same
     *                          value ({@code DUPLICATE_CARD}, {@code DUPLICATE_ID_CARD}, {@code PIN_TAKEN}), or a kind
     *                          not issued here
     */
    Credential issue(Scope scope, String actor, String residentId, CredentialKind kind, String value);
}

package org.gatehouse.api.service;

import java.util.List;
import java.util.Optional;

import org.gatehouse.api.model.Credential;
import org.gatehouse.api.model.CredentialKind;

/**
 * Residents' credentials. {@code reference} is never a secret in clear: the caller passes a keyed hash
 * for an ID card number or a PIN, the template id for a face, the card number for an IC card.
 */
public interface CredentialRepository {
    /** Issues a credential; {@link ConflictException} if an active one with the same kind and reference exists in the community. */
    Credential issue(Scope scope, String residentId, CredentialKind kind, String reference);

    List<Credential> credentials(Scope scope, String residentId);

    /** The credential with this id (active or revoked), if it belongs to a community in the scope. */
    Optional<Credential> credential(Scope scope, String credentialId);

    /** The active credential of a kind with this reference in a community (a gate looking up a card). */
    Optional<Credential> active(Scope scope, String communityId, CredentialKind kind, String reference);

    /** Revokes (keeps the row for the audit trail); revoking twice is harmless. */
    Credential revoke(Scope scope, String credentialId);
}

package org.gatehouse.api.model;

import java.time.Instant;

/**
 * Published on the {@code credential-changes} stream: a credential issued or revoked, or every face
 * template of a resident deleted (consent withdrawn) — terminals must delete their copies.
 */
public record CredentialChange(String id, String communityId, String residentId, Change change, CredentialKind kind,
                               String credentialId, Instant occurredAt) {
    public enum Change {
        ISSUED, REVOKED, FACE_DELETED
    }

    public CredentialChange {
        Validation.requireText(id, "id");
        Validation.requireText(communityId, "communityId");
        Validation.requireText(residentId, "residentId");
        Validation.require(change, "change");
        Validation.require(occurredAt, "occurredAt");
    }
}

package org.gatehouse.api.model;

import java.time.Instant;

/**
 * A credential of a resident. {@code reference} never holds a secret in clear: an ID card number
 * or PIN is a keyed hash, a face is the id of an encrypted template, an IC card number is a keyed hash
 * followed by at most its last four characters ({@code hmac-sha256:<hex>:****1234}), an app token's secret
 * is sealed.
 */
public record Credential(String id, String communityId, String residentId, CredentialKind kind, String reference,
                         Instant issuedAt, Instant revokedAt) {
    public Credential {
        Validation.require(id, "id");
        Validation.require(communityId, "communityId");
        Validation.require(residentId, "residentId");
        Validation.require(kind, "kind");
        Validation.requireText(reference, "reference");
    }

    public boolean isActive() {
        return revokedAt == null;
    }
}

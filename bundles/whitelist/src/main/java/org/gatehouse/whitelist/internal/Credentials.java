package org.gatehouse.whitelist.internal;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.gatehouse.api.model.Credential;
import org.gatehouse.api.model.CredentialKind;
import org.gatehouse.api.model.Resident;
import org.gatehouse.api.service.Scope;
import org.gatehouse.core.api.Caller;

/**
 * The residents' credentials: ID card numbers and PINs stored as keyed HMAC-SHA256 only, IC card numbers as a keyed
 * hash and at most their last four characters, app-token secrets sealed (AES-GCM); the last active non-face
 * credential of a resident is never revoked; every read and change audited. Owns the module's key file.
 */
public interface Credentials {
    /** A credential just issued; {@code secret} and {@code otpauthUri} only for an app token, shown once. */
    record IssuedCredential(Credential credential, String secret, String otpauthUri) {
    }

    /** The credentials of a resident, references only (audited {@code credential.view}). */
    List<Credential> credentials(Caller c, String residentId);

    IssuedCredential issueCredential(Caller c, String residentId, CredentialKind kind, String value);

    /** Revokes a credential known by its id alone (it names its resident). */
    Credential revokeCredential(Caller c, String credentialId);

    /**
     * Revokes a credential of a resident. The last active non-face credential is refused (409); revoking a
     * face deletes every face template of the resident (the registry forgets per person) and all face credentials.
     */
    Credential revokeCredential(Caller c, String residentId, String credentialId);

    /** A new app token for {@code r} (audited {@code credential.issue}); its secret and QR URI are shown once. */
    IssuedCredential issueAppToken(Caller c, Resident r);

    /** A new app-token secret, sealed, for a resident an import stores (the secret itself is shown to no one). */
    String sealedAppSecret();

    /**
     * The active credential of the community that {@code presented} (a card, ID card number or PIN in clear, as read
     * at a gate) is, hashed the way it was stored; empty when there is none or the value is not of the kind's form.
     */
    Optional<Credential> presented(Scope scope, String communityId, CredentialKind kind, String presented);

    /**
     * The reference {@link #presented} looks {@code presented} up by (its keyed hash), computed without the database
     * (for the offline copy); empty when the value is not of the kind's form.
     */
    Optional<String> presentedReference(String communityId, CredentialKind kind, String presented);

    /**
     * Whether {@code code} is the TOTP code at {@code at} (one step of drift either way) of an active app token of the
     * resident.
     */
    boolean appCodeMatches(Scope scope, String residentId, String code, Instant at);
}

package org.gatehouse.whitelist.api;

import java.time.Instant;
import java.util.Optional;

import org.gatehouse.api.model.CredentialKind;
import org.gatehouse.api.service.Scope;

/**
 * The whitelist (白名单) as a gate asks it: may this registered resident pass now? A resident passes
 * while registered (not removed) and inside the lease window [validFrom, validUntil).
 * <p>
 * While the database is down, {@link #check} and {@link #checkCredential} answer from an in-memory copy of the
 * communities the whitelist has loaded (the answer says {@link AccessCheck#offline()}); app codes are checked online
 * only (their secrets are kept sealed in the database, not in memory). For a community not loaded the
 * {@link org.gatehouse.api.service.StoreUnavailableException} stands.
 */
public interface Whitelist {
    /** Whether {@code residentId} may pass at {@code at} (lease window, not removed). */
    AccessCheck check(Scope scope, String residentId, Instant at);

    /**
     * A presented credential that the whitelist can look up itself: an IC card number ({@link CredentialKind#CARD}),
     * an ID card number ({@link CredentialKind#ID_CARD}) or a PIN ({@link CredentialKind#PIN}), in clear as read
     * at the gate; it is hashed the way it was stored. Faces go through the face registry instead.
     */
    AccessCheck checkCredential(Scope scope, String communityId, CredentialKind kind, String presented, Instant at);

    /** A 6-digit code shown by the resident's app (TOTP, 30 s steps, one step of clock drift either way). */
    AccessCheck checkAppCode(Scope scope, String residentId, String code, Instant at);

    /**
     * As {@link #checkCredential(Scope, String, CredentialKind, String, Instant)}, presented at the terminal
     * {@code deviceId}: after a few wrong credentials from one terminal its checks are refused
     * ({@link AccessCheck.Reason#TOO_MANY_ATTEMPTS}) for a growing delay, even for a right one, and an alert is
     * raised — guessing a PIN among many residents' PINs would otherwise win now and then.
     */
    default AccessCheck checkCredential(Scope scope, String communityId, CredentialKind kind, String presented,
                                        Instant at, String deviceId) {
        return checkCredential(scope, communityId, kind, presented, at);
    }

    /**
     * A resident as the whitelist's in-memory copy holds them (lease window and home building), for a decision while
     * the database is down; empty when the copy does not hold them (their community not loaded) or not in scope.
     */
    default Optional<OfflineResident> offlineResident(Scope scope, String residentId) {
        return Optional.empty();
    }

    /**
     * What the in-memory copy holds of a registered resident: the lease window [validFrom, validUntil) (null = open)
     * and the building of their flat (null when the flat has none).
     */
    record OfflineResident(String residentId, String communityId, String buildingId, Instant validFrom,
                           Instant validUntil) {
    }

    /** As {@link #checkAppCode(Scope, String, String, Instant)}, throttled per terminal and per resident. */
    default AccessCheck checkAppCode(Scope scope, String residentId, String code, Instant at, String deviceId) {
        return checkAppCode(scope, residentId, code, at);
    }
}

package org.gatehouse.whitelist.internal;

import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.gatehouse.api.model.Credential;
import org.gatehouse.api.model.CredentialKind;
import org.gatehouse.api.model.Resident;
import org.gatehouse.whitelist.api.AccessCheck;
import org.gatehouse.whitelist.api.Whitelist;

/**
 * One community's whitelist as {@link OfflineWhitelist} keeps it in memory: for each registered resident the lease
 * window and home building, and the keyed hashes of their active cards, ID cards and PINs (exactly the references the
 * store's look-up matches, {@link Credentials#presented}; never a value in clear). App tokens and faces are not kept.
 * <p>
 * Memory per resident with two such credentials, on a 64-bit JVM with compressed references: the {@link Holder}
 * (~32 bytes) and its id string (~80), two Instants when the lease is bounded (48), the map entries (~80), and per
 * credential a 32-byte {@link Key} object (48) with its map entry (~40): about 370 bytes as measured (120,000
 * residents with a card and a PIN each, half with an open-ended lease: 44 MB). Building ids are shared strings.
 * <p>
 * Reads come from the gate's threads, changes from one loader or stream thread: the maps are concurrent and a
 * resident's entry is replaced whole ({@link #put}, synchronized with {@link #remove}).
 */
final class CommunityCopy {
    /** A credential's keyed hash (HMAC-SHA256, 32 bytes) and kind: the key of the look-up. */
    record Key(CredentialKind kind, long a, long b, long c, long d) {
        /**
         * The key of a stored reference ({@code hmac-sha256:<64 hex>}, for an IC card followed by {@code :****1234},
         * which follows from the number): empty for anything else (an IC card number still in clear).
         */
        static Optional<Key> of(CredentialKind kind, String reference) {
            if (reference == null || !reference.startsWith(SecretKeys.HMAC_PREFIX)) {
                return Optional.empty();
            }
            int from = SecretKeys.HMAC_PREFIX.length();
            if (reference.length() < from + 64 || (reference.length() > from + 64 && reference.charAt(from + 64) != ':')) {
                return Optional.empty();
            }
            try {
                HexFormat hex = HexFormat.of();
                return Optional.of(new Key(kind, hex.fromHexDigitsToLong(reference, from, from + 16),
                        hex.fromHexDigitsToLong(reference, from + 16, from + 32), hex.fromHexDigitsToLong(reference, from + 32, from + 48),
                        hex.fromHexDigitsToLong(reference, from + 48, from + 64)));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
    }

    /** A registered resident: lease window (null = open), home building, the keys of their credentials. */
    record Holder(String residentId, String buildingId, Instant validFrom, Instant validUntil, Key[] keys) {
    }

    /** Whether a credential of this kind is kept: what {@link Credentials#presented} looks up. */
    static boolean kept(Credential c) {
        return c.isActive() && (c.kind() == CredentialKind.CARD || c.kind() == CredentialKind.ID_CARD
                || c.kind() == CredentialKind.PIN);
    }

    final String communityId;
    final Instant loadedAt;
    private final Map<Key, Holder> byKey = new ConcurrentHashMap<>();
    private final Map<String, Holder> byResident = new ConcurrentHashMap<>();
    /** Unit id → building id (the building ids shared by every resident of the building). */
    private final Map<String, String> buildingOfUnit;

    CommunityCopy(String communityId, Instant loadedAt, Map<String, String> buildingOfUnit) {
        this.communityId = communityId;
        this.loadedAt = loadedAt;
        this.buildingOfUnit = new ConcurrentHashMap<>(buildingOfUnit);
    }

    /** The building of a unit as loaded; null when unknown (a unit added since: the caller looks it up). */
    String buildingOfUnit(String unitId) {
        return unitId == null ? null : buildingOfUnit.get(unitId);
    }

    /** Remembers a unit's building, shared with the residents of the building. */
    String unitIn(String unitId, String buildingId) {
        if (unitId == null || buildingId == null) {
            return buildingId;
        }
        String shared = buildingOfUnit.values().stream().filter(buildingId::equals).findFirst().orElse(buildingId);
        buildingOfUnit.put(unitId, shared);
        return shared;
    }

    /** Puts (or replaces) a resident with the credentials of theirs that are kept. */
    synchronized void put(Resident r, String buildingId, List<Credential> credentials) {
        Key[] keys = credentials.stream().filter(CommunityCopy::kept)
                .map(c -> Key.of(c.kind(), c.reference())).flatMap(Optional::stream).distinct().toArray(Key[]::new);
        Holder holder = new Holder(r.id(), buildingId, r.validFrom(), r.validUntil(), keys);
        Holder old = byResident.put(r.id(), holder);
        for (Key k : keys) {
            byKey.put(k, holder); // the new entries first: a key kept is never missing meanwhile
        }
        if (old != null) {
            for (Key k : old.keys()) {
                byKey.remove(k, old); // only the keys the resident no longer has still name the old entry
            }
        }
    }

    /** A resident's lease as the store just said (the credentials stay as they are). */
    synchronized void lease(Resident r) {
        Holder h = byResident.get(r.id());
        if (h == null || (java.util.Objects.equals(h.validFrom(), r.validFrom())
                && java.util.Objects.equals(h.validUntil(), r.validUntil()))) {
            return;
        }
        Holder updated = new Holder(h.residentId(), h.buildingId(), r.validFrom(), r.validUntil(), h.keys());
        byResident.put(r.id(), updated);
        for (Key k : h.keys()) {
            byKey.replace(k, h, updated);
        }
    }

    /** Forgets a resident (removed, moved to no community of ours) with their credentials. */
    synchronized void remove(String residentId) {
        Holder old = byResident.remove(residentId);
        if (old != null) {
            for (Key k : old.keys()) {
                byKey.remove(k, old);
            }
        }
    }

    int residents() {
        return byResident.size();
    }

    int credentials() {
        return byKey.size();
    }

    /** The check of a presented credential by its key (empty key: not of the kind's form): as the store would say. */
    AccessCheck checkCredential(Optional<Key> key, Instant at) {
        Holder h = key.map(byKey::get).orElse(null);
        if (h == null) {
            return AccessCheck.refused(AccessCheck.Reason.CREDENTIAL_UNKNOWN, null, communityId, at).fromOfflineCopy();
        }
        return check(h, at);
    }

    /** The lease check of a resident held here; empty when not held. */
    Optional<AccessCheck> check(String residentId, Instant at) {
        return Optional.ofNullable(residentId == null ? null : byResident.get(residentId)).map(h -> check(h, at));
    }

    Optional<Whitelist.OfflineResident> resident(String residentId) {
        return Optional.ofNullable(residentId == null ? null : byResident.get(residentId))
                .map(h -> new Whitelist.OfflineResident(h.residentId(), communityId, h.buildingId(), h.validFrom(),
                        h.validUntil()));
    }

    private AccessCheck check(Holder h, Instant at) {
        AccessCheck answer;
        if (h.validFrom() != null && at.isBefore(h.validFrom())) {
            answer = AccessCheck.refused(AccessCheck.Reason.NOT_YET_VALID, h.residentId(), communityId, at);
        } else if (h.validUntil() != null && !at.isBefore(h.validUntil())) {
            answer = AccessCheck.refused(AccessCheck.Reason.LEASE_ENDED, h.residentId(), communityId, at);
        } else {
            answer = new AccessCheck(true, AccessCheck.Reason.VALID, h.residentId(), communityId, at);
        }
        return answer.fromOfflineCopy();
    }
}

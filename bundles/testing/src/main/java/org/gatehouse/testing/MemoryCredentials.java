package org.gatehouse.testing;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.gatehouse.api.model.Credential;
import org.gatehouse.api.model.CredentialChange;
import org.gatehouse.api.model.CredentialKind;
import org.gatehouse.api.model.Resident;
import org.gatehouse.api.service.ConflictException;
import org.gatehouse.api.service.CredentialRepository;
import org.gatehouse.api.service.NotFoundException;
import org.gatehouse.api.service.Scope;
import org.gatehouse.api.stream.Streams;

/**
 * MemoryCredentials; like the store, every issue and end of a credential appends its credential change to
 * {@link #outbox} (in the same synchronized step).
 */
public class MemoryCredentials implements CredentialRepository {
    public final MemoryHouseholds households;
    public final MemoryOutbox outbox;
    public final Map<String, Credential> rows = new ConcurrentHashMap<>();
    /** Sealed values by credential id (the store's sealed_value column). */
    public final Map<String, String> sealed = new ConcurrentHashMap<>();
    /** The face registry whose templates {@link #endFaces} deletes (the store's face_template rows); optional. */
    public volatile MemoryFaces faces;

    public MemoryCredentials(MemoryHouseholds households) {
        this(households, new MemoryOutbox());
    }

    public MemoryCredentials(MemoryHouseholds households, MemoryOutbox outbox) {
        this.households = households;
        this.outbox = outbox;
        if (households.credentials == null) {
            households.credentials = this; // the first one is "the store's"
        }
    }

    @Override
    public synchronized Credential issue(Scope scope, String residentId, CredentialKind kind, String reference,
                                         String sealedValue) {
        households.communities.checkUp();
        Resident r = households.resident(scope, residentId)
                .orElseThrow(() -> new NotFoundException("resident", residentId));
        if (active(scope, r.communityId(), kind, reference).isPresent()) {
            throw new ConflictException("an active " + kind + " credential with this reference exists");
        }
        Credential c = new Credential(MemoryServices.id(), r.communityId(), residentId, kind, reference, Instant.now(),
                null);
        event(c, CredentialChange.Change.ISSUED);
        rows.put(c.id(), c);
        if (sealedValue != null) {
            sealed.put(c.id(), sealedValue);
        }
        return c;
    }

    @Override
    public Optional<String> sealedValue(String residentId, CredentialKind kind) {
        households.communities.checkUp();
        return rows.values().stream().filter(c -> c.residentId().equals(residentId) && c.kind() == kind
                        && sealed.containsKey(c.id()))
                .max(java.util.Comparator.comparing(Credential::issuedAt)).map(c -> sealed.get(c.id()));
    }

    @Override
    public List<Credential> credentials(Scope scope, String residentId) {
        households.communities.checkUp();
        return rows.values().stream().filter(c -> c.residentId().equals(residentId) && scope.allows(c.communityId()))
                .toList();
    }

    /** Counted like the store: active FACE credentials of the community, by resident; the community in scope. */
    @Override
    public Map<String, Integer> activeFaceCounts(Scope scope, String communityId) {
        households.communities.checkUp();
        households.communities.community(scope, communityId)
                .orElseThrow(() -> new NotFoundException("community", String.valueOf(communityId)));
        Map<String, Integer> counts = new java.util.HashMap<>();
        rows.values().stream().filter(c -> c.isActive() && c.kind() == CredentialKind.FACE
                && c.communityId().equals(communityId)).forEach(c -> counts.merge(c.residentId(), 1, Integer::sum));
        return Map.copyOf(counts);
    }

    @Override
    public Optional<Credential> credential(Scope scope, String credentialId) {
        households.communities.checkUp();
        return Optional.ofNullable(credentialId == null ? null : rows.get(credentialId))
                .filter(c -> scope.allows(c.communityId()));
    }

    @Override
    public Optional<Credential> active(Scope scope, String communityId, CredentialKind kind, String reference) {
        households.communities.checkUp();
        scope.check(communityId);
        return rows.values().stream().filter(c -> c.isActive() && c.communityId().equals(communityId)
                && c.kind() == kind && c.reference().equals(reference)).findFirst();
    }

    @Override
    public synchronized Credential revoke(Scope scope, String credentialId) {
        households.communities.checkUp();
        Credential c = Optional.ofNullable(rows.get(credentialId)).filter(x -> scope.allows(x.communityId()))
                .orElseThrow(() -> new NotFoundException("credential", credentialId));
        return c.isActive() ? revokeNow(c) : c;
    }

    @Override
    public synchronized FacesEnded endFaces(Scope scope, String residentId, boolean always) {
        households.communities.checkUp();
        Resident r = households.anyResident(scope, residentId)
                .orElseThrow(() -> new NotFoundException("resident", residentId));
        MemoryFaces f = faces;
        String key = r.communityId() + "/" + residentId;
        List<String> templates = f == null ? List.of() : f.templates.getOrDefault(key, List.of());
        List<Credential> faceCredentials = rows.values().stream()
                .filter(c -> c.residentId().equals(residentId) && c.isActive() && c.kind().isFace()).toList();
        // like one transaction: the events first (a failing outbox changes nothing), then the rows
        Instant at = Instant.now();
        List<Credential> revoked = faceCredentials.stream().map(c -> revoked(c, at)).toList();
        revoked.forEach(c -> event(c, CredentialChange.Change.REVOKED));
        if (always || !templates.isEmpty() || !revoked.isEmpty()) {
            event(r.communityId(), residentId, CredentialChange.Change.FACE_DELETED, CredentialKind.FACE, null);
        }
        revoked.forEach(c -> rows.put(c.id(), c));
        if (f != null) {
            f.templates.remove(key);
        }
        return new FacesEnded(r.communityId(), residentId, templates.size(), revoked);
    }

    @Override
    public synchronized int rewriteReferences(CredentialKind kind, String keepPrefix,
                                              java.util.function.UnaryOperator<String> rewrite) {
        households.communities.checkUp();
        int changed = 0;
        for (Credential c : List.copyOf(rows.values())) {
            if (c.kind() != kind || c.reference().startsWith(keepPrefix)) {
                continue;
            }
            String replacement = rewrite.apply(c.reference());
            if (replacement == null || !replacement.startsWith(keepPrefix) || (c.isActive()
                    && active(Scope.all(), c.communityId(), kind, replacement).isPresent())) {
                continue; // left as it is, like the store
            }
            rows.put(c.id(), new Credential(c.id(), c.communityId(), c.residentId(), kind, replacement,
                    c.issuedAt(), c.revokedAt()));
            changed++;
        }
        return changed;
    }

    /** Revokes every active credential of a resident (the store does it when a resident is removed). */
    synchronized List<Credential> revokeAll(String residentId) {
        Instant at = Instant.now();
        List<Credential> revoked = rows.values().stream().filter(c -> c.residentId().equals(residentId)
                && c.isActive()).map(c -> revoked(c, at)).toList();
        revoked.forEach(c -> event(c, CredentialChange.Change.REVOKED));
        revoked.forEach(c -> rows.put(c.id(), c));
        return revoked;
    }

    private Credential revokeNow(Credential c) {
        Credential revoked = revoked(c, Instant.now());
        event(revoked, CredentialChange.Change.REVOKED);
        rows.put(revoked.id(), revoked);
        MemoryFaces f = faces;
        if (c.kind().isFace() && f != null) { // a FACE credential and its template end together
            f.templates.values().forEach(list -> list.remove(c.reference()));
            f.templates.values().removeIf(List::isEmpty);
        }
        return revoked;
    }

    private static Credential revoked(Credential c, Instant at) {
        return new Credential(c.id(), c.communityId(), c.residentId(), c.kind(), c.reference(), c.issuedAt(), at);
    }

    private void event(Credential c, CredentialChange.Change change) {
        event(c.communityId(), c.residentId(), change, c.kind(), c.id());
    }

    private void event(String communityId, String residentId, CredentialChange.Change change, CredentialKind kind,
                       String credentialId) {
        CredentialChange e = new CredentialChange(MemoryServices.id(), communityId, residentId, change, kind,
                credentialId,
                Instant.now());
        outbox.append(Streams.CREDENTIAL_CHANGES, e.id(), communityId, MemoryServices.json(e));
    }
}

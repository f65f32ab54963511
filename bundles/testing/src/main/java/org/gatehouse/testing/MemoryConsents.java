package org.gatehouse.testing;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.gatehouse.api.model.Consent;
import org.gatehouse.api.model.Resident;
import org.gatehouse.api.service.ConsentRepository;
import org.gatehouse.api.service.CredentialRepository;
import org.gatehouse.api.service.NotFoundException;
import org.gatehouse.api.service.Scope;

/** Consents of the residents of {@link #households}: given, withdrawn once, never deleted. */
public class MemoryConsents implements ConsentRepository {
    public final MemoryHouseholds households;
    public final Map<String, Consent> rows = new ConcurrentHashMap<>();

    public MemoryConsents(MemoryHouseholds households) {
        this.households = households;
    }

    @Override
    public Consent give(Scope scope, String residentId, String purpose, String noticeVersion, String channel,
                        String recordedBy) {
        Resident r = households.resident(scope, residentId)
                .orElseThrow(() -> new NotFoundException("resident", residentId));
        Consent c = new Consent(MemoryServices.id(), r.communityId(), residentId, purpose, noticeVersion, channel,
                Instant.now(),
                null, recordedBy);
        rows.put(c.id(), c);
        return c;
    }

    /** Like the store: the last face-access consent withdrawn ends the faces in the same step. */
    @Override
    public Withdrawal withdrawConsent(Scope scope, String consentId) {
        MemoryCredentials credentials = households.credentials;
        synchronized (credentials == null ? this : credentials) {
            Consent found = Optional.ofNullable(rows.get(consentId)).filter(x -> scope.allows(x.communityId()))
                    .orElseThrow(() -> new NotFoundException("consent", consentId));
            Consent c = !found.isInForce() ? found : new Consent(found.id(), found.communityId(),
                    found.residentId(), found.purpose(), found.noticeVersion(), found.channel(), found.givenAt(),
                    Instant.now(), found.recordedBy());
            CredentialRepository.FacesEnded ended = null;
            String residentId = c.residentId();
            if (Consent.PURPOSE_FACE_ACCESS.equals(c.purpose()) && credentials != null
                    && rows.values().stream().noneMatch(x -> x.residentId().equals(residentId) && x.isInForce()
                    && x.purpose().equals(Consent.PURPOSE_FACE_ACCESS) && !x.id().equals(consentId))) {
                ended = credentials.endFaces(Scope.all(), residentId, true); // a failure here changes nothing
            }
            rows.put(c.id(), c);
            return new Withdrawal(c, ended);
        }
    }

    @Override
    public List<Consent> consents(Scope scope, String residentId) {
        return rows.values().stream().filter(c -> c.residentId().equals(residentId) && scope.allows(c.communityId()))
                .toList();
    }
}

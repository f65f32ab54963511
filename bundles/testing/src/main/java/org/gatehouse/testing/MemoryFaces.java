package org.gatehouse.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.gatehouse.api.model.Credential;
import org.gatehouse.api.model.CredentialKind;
import org.gatehouse.api.service.PreconditionFailedException;
import org.gatehouse.api.service.Scope;
import org.gatehouse.faces.api.FaceRegistry;
import org.gatehouse.recognition.api.FaceException;

/**
 * Records enrollments and forgets; an image reading "no face" fails like the engine would. For residents'
 * faces ({@link #enrollResident}) it needs the {@link MemoryCredentials} (which holds the consents' households) and
 * does what the store does in one transaction under the resident's lock: re-checks the consent and a non-face
 * credential, then saves the template and issues the FACE credential. {@link #whileComputing} runs where the
 * engine would be computing the template, before that step.
 */
public class MemoryFaces implements FaceRegistry {
    public final Map<String, List<String>> templates = new ConcurrentHashMap<>();
    public final List<String> forgotten = Collections.synchronizedList(new ArrayList<>());
    /** Subjects whose gallery entries were refreshed from the store. */
    public final List<String> refreshed = Collections.synchronizedList(new ArrayList<>());
    public volatile Runnable whileComputing = () -> { };
    public volatile MemoryConsents consents;

    @Override
    public Enrollment enroll(Scope scope, String communityId, String subjectId, byte[] image) {
        scope.check(communityId);
        if (new String(image).equals("no face")) {
            throw new FaceException(FaceException.Code.NO_FACE);
        }
        String t = MemoryServices.id();
        templates.computeIfAbsent(communityId + "/" + subjectId, k -> new CopyOnWriteArrayList<>()).add(t);
        return new Enrollment(t, communityId, subjectId, "fake-model", null);
    }

    @Override
    public ResidentEnrollment enrollResident(Scope scope, String communityId, String residentId, byte[] image,
                                             String consentPurpose) {
        scope.check(communityId);
        if (new String(image).equals("no face")) {
            throw new FaceException(FaceException.Code.NO_FACE);
        }
        whileComputing.run();
        MemoryConsents c = consents;
        MemoryCredentials credentials = c.households.credentials;
        synchronized (credentials) {
            if (c.inForce(scope, residentId, consentPurpose).isEmpty()) {
                throw new PreconditionFailedException(PreconditionFailedException.Reason.CONSENT_NOT_IN_FORCE,
                        "no " + consentPurpose + " consent in force");
            }
            if (credentials.credentials(scope, residentId).stream()
                    .noneMatch(x -> x.isActive() && !x.kind().isFace())) {
                throw new PreconditionFailedException(PreconditionFailedException.Reason.NO_NON_FACE_CREDENTIAL,
                        "no non-face credential");
            }
            String t = MemoryServices.id();
            Credential face = credentials.issue(scope, residentId, CredentialKind.FACE, t);
            templates.computeIfAbsent(communityId + "/" + residentId, k -> new CopyOnWriteArrayList<>()).add(t);
            return new ResidentEnrollment(new Enrollment(t, communityId, residentId, "fake-model", null), face);
        }
    }

    @Override
    public int forget(Scope scope, String communityId, String subjectId) {
        scope.check(communityId);
        forgotten.add(subjectId);
        List<String> gone = templates.remove(communityId + "/" + subjectId);
        return gone == null ? 0 : gone.size();
    }

    @Override
    public void refresh(Scope scope, String communityId, String subjectId) {
        scope.check(communityId);
        refreshed.add(subjectId);
    }

    @Override
    public Identification identify(Scope scope, String communityId, byte[] image, int k) {
        throw new UnsupportedOperationException();
    }

    @Override
    public org.gatehouse.recognition.api.OperatingBands bands(Scope scope, String communityId) {
        scope.check(communityId);
        return new org.gatehouse.recognition.api.OperatingBands(communityId, 0, 0.001, 0.36f, 0.36f, 0.36f, 0, 0, 0,
                false, "fixed thresholds (test)");
    }
}

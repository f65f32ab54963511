package org.gatehouse.faces.api;

import java.util.List;

import org.gatehouse.api.model.Credential;
import org.gatehouse.api.service.Scope;
import org.gatehouse.recognition.api.Candidate;
import org.gatehouse.recognition.api.OperatingBands;
import org.gatehouse.recognition.api.OperatingBands.Band;
import org.gatehouse.recognition.api.DetectedFace;

/**
 * Who is enrolled with a face in which community, and who a face belongs to. Templates are kept in
 * the store (encrypted) and in the community's in-memory gallery, which is loaded on first use. The
 * photo itself is never kept. Failures of the image or face carry a
 * {@link org.gatehouse.recognition.api.FaceException} code.
 */
public interface FaceRegistry {
    /** Enrolls one photo of {@code subjectId} (demands exactly one good face); a subject may have several. */
    Enrollment enroll(Scope scope, String communityId, String subjectId, byte[] image);

    /**
     * Enrolls one photo of a resident as a face credential. The engine computes the template first, with no lock
     * held and no transaction open; then the store, in one transaction under the resident's row lock, re-checks that
     * a consent for {@code consentPurpose} is in force and that the resident has an active non-face credential,
     * saves the template and issues the FACE credential naming it
     * ({@link org.gatehouse.api.service.FaceTemplateRepository#saveResidentFace}); the gallery gets the template only
     * after that commit. A consent withdrawn while the engine was busy therefore ends in
     * {@link org.gatehouse.api.service.PreconditionFailedException} with nothing stored; a failure after the save
     * removes what was saved.
     */
    ResidentEnrollment enrollResident(Scope scope, String communityId, String residentId, byte[] image,
                                      String consentPurpose);

    /** Deletes every template of the subject from the store and the gallery; returns how many. */
    int forget(Scope scope, String communityId, String subjectId);

    /**
     * Makes this node's gallery hold exactly the subject's templates that the store holds now (after the store
     * deleted some: faces ended, a FACE credential revoked, or another node's change event). Does not change the
     * store.
     */
    void refresh(Scope scope, String communityId, String subjectId);

    /**
     * Finds the face in the image and the best {@code k} enrolled subjects of the community, and reads the best score
     * against the community gallery's {@link OperatingBands}: accept, verify (ask for a second factor) or reject.
     */
    Identification identify(Scope scope, String communityId, byte[] image, int k);

    /**
     * As {@link #identify}, as a gate needs it: {@code liveness} false skips the engine's liveness score (the face's
     * score is then NaN; for a community whose rule ignores it), and the probe template comes back with the answer,
     * so that the caller does not compute it again (a stranger warning, a 1:1 check). The caller zeroes it when done.
     * A registry that cannot hand the probe out answers {@code null} for it.
     */
    default Probed identifyProbed(Scope scope, String communityId, byte[] image, int k, boolean liveness) {
        return new Probed(identify(scope, communityId, image, k), null);
    }

    /** The community gallery's operating bands at its current size (scope-checked). */
    OperatingBands bands(Scope scope, String communityId);

    /** An identification and the probe template it was made with ({@code null} when not handed out). */
    record Probed(Identification identification, float[] probe) {
    }

    record Enrollment(String templateId, String communityId, String subjectId, String modelId, DetectedFace face) {
    }

    /** A resident's enrolled face and the FACE credential (reference = template id) issued with it. */
    record ResidentEnrollment(Enrollment enrollment, Credential credential) {
    }

    /**
     * @param subjectId the matched subject: the best candidate when its score is in the accept band; null otherwise
     *                  (a stranger, or a face that needs a second factor)
     * @param score     the best candidate's score (-1 when the gallery is empty)
     * @param band      what the score means for this gallery: ACCEPT, VERIFY (second factor, then 1:1), REJECT
     * @param bands     the thresholds and expected error rates the decision used
     */
    record Identification(String subjectId, float score, List<Candidate> candidates, DetectedFace face, Band band,
                          OperatingBands bands) {
        public boolean known() {
            return subjectId != null;
        }

        /**
         * What people are shown (the REST API, the shell): only the candidates at or above the reject threshold —
         * below it a candidate is nobody, and naming them would tell who a stranger resembles. The registry itself
         * (as a gate uses it) ranks everyone.
         */
        public Identification forPeople() {
            List<Candidate> kept = candidates.stream().filter(c -> c.score() >= bands.reject()).toList();
            return new Identification(subjectId, score, kept, face, band, bands);
        }
    }
}

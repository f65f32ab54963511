package org.gatehouse.faces.api;

import java.util.List;

import org.gatehouse.api.service.Scope;
import org.gatehouse.recognition.api.Candidate;
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

    /** Deletes every template of the subject from the store and the gallery; returns how many. */
    int forget(Scope scope, String communityId, String subjectId);

    /** Finds the face in the image and the best {@code k} enrolled subjects of the community. */
    Identification identify(Scope scope, String communityId, byte[] image, int k);

    /** Cosine score at or above which the best candidate counts as that person. */
    float matchThreshold();

    record Enrollment(String templateId, String communityId, String subjectId, String modelId, DetectedFace face) {
    }

    /**
     * @param subjectId the matched subject, or null when the face is nobody enrolled (a stranger)
     * @param score     the best candidate's score (-1 when the gallery is empty)
     */
    record Identification(String subjectId, float score, List<Candidate> candidates, DetectedFace face) {
        public boolean known() {
            return subjectId != null;
        }
    }
}

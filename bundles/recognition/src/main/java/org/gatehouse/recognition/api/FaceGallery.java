package org.gatehouse.recognition.api;

import java.util.List;
import java.util.Set;

/**
 * In-memory 1:N gallery of templates, partitioned by community. Thread-safe.
 * A subject may hold several templates; search returns each subject once with its best score.
 */
public interface FaceGallery {

    /** Adds one template (normalised on entry). */
    void add(String communityId, String subjectId, float[] template);

    /** Removes every template of the subject; returns how many were removed. */
    int remove(String communityId, String subjectId);

    /** Removes a whole community; returns how many templates were removed. */
    int clear(String communityId);

    /** Top-k subjects by cosine similarity, best first. */
    List<Candidate> search(String communityId, float[] probe, int k);

    /** 1:1 verification: best cosine between the probe and the subject's templates, NaN if unknown. */
    float verify(String communityId, String subjectId, float[] probe);

    /** Number of templates in the community. */
    int size(String communityId);

    GalleryStats stats(String communityId);

    Set<String> communities();

    /** Compacts the community's storage (drops spare capacity, rebuilds any index). */
    void rebuild(String communityId);

    /** Template dimension this gallery stores. */
    int dimension();
}

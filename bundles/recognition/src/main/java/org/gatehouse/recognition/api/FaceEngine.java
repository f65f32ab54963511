package org.gatehouse.recognition.api;

/**
 * Face detection, quality, liveness and templates. Thread-safe.
 * All methods throw {@link FaceException} with a stable {@link FaceException.Code}; an image is refused from
 * its header (size, format, dimensions, completeness) before it is decoded, and when every inference worker
 * is busy and the queue before them is full a call fails at once with
 * {@link FaceException.Code#ENGINE_UNAVAILABLE} (try again).
 */
public interface FaceEngine {

    /** Finds all faces (box, detector score, 5 landmarks, quality, liveness), primary first. */
    FaceAnalysis analyze(byte[] image);

    /**
     * Template of the primary face (the face the frame is about: size, closeness to the centre, detector
     * score and a penalty for a profile, see {@link FaceAnalysis}) for identification at a gate. Only the
     * face-size check applies (18 px between the eyes by default, enrollment needs 40)
     * ({@link FaceException.Code#NO_FACE}, {@link FaceException.Code#FACE_TOO_SMALL}). Images to identify have
     * their own, lower pixel limit ({@link FaceException.Code#IMAGE_DIMENSIONS_TOO_LARGE}; 16 MP by default).
     */
    FaceTemplate embed(byte[] image);

    /**
     * As {@link #embed(byte[])}; {@code liveness} false skips the liveness model (about a third of the cost), and the
     * face's {@link DetectedFace#livenessScore()} is then {@code NaN}: for a caller whose rule ignores liveness.
     */
    default FaceTemplate embed(byte[] image, boolean liveness) {
        return embed(image);
    }

    /**
     * Template for enrollment: demands exactly one face and enrollment quality
     * (inter-eye distance, frontal pose, sharpness, brightness).
     */
    FaceTemplate enrollmentTemplate(byte[] image);

    /**
     * A small JPEG of the face at {@code box} (from {@link #enrollmentTemplate}) for an access terminal that matches
     * faces itself and so needs a photo, not a template: the head cut out and scaled down, nothing else of the image.
     */
    byte[] facePhoto(byte[] image, FaceBox box);

    /** Number of floats in a template. */
    int templateDimension();

    /** Identifier of the model chain, stored alongside templates. */
    String modelId();

    /** Cosine similarity of two unit templates (dot product). */
    default float similarity(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new FaceException(FaceException.Code.DIMENSION_MISMATCH, a.length, b.length);
        }
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return (float) s;
    }
}

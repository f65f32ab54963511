package org.gatehouse.recognition.api;

/**
 * A face template (embedding): L2-normalised vector, compared by cosine (= dot product).
 *
 * @param vector unit-length embedding of {@link FaceEngine#templateDimension()} floats
 * @param modelId the model that produced it ({@link FaceEngine#modelId()}); templates of
 *                different models are not comparable
 * @param face the face it was computed from
 */
public record FaceTemplate(float[] vector, String modelId, DetectedFace face) {
}

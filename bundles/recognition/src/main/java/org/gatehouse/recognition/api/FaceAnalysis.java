package org.gatehouse.recognition.api;

import java.util.List;
import java.util.Optional;

/**
 * Every face found in one image, ordered by the selection rule: the largest face first,
 * ties (area within 10 %) broken by the distance of the box centre to the image centre.
 * {@link #primary()} is therefore the face the engine uses when one face is needed.
 */
public record FaceAnalysis(int imageWidth, int imageHeight, List<DetectedFace> faces) {
    public FaceAnalysis {
        faces = List.copyOf(faces);
    }

    public Optional<DetectedFace> primary() {
        return faces.isEmpty() ? Optional.empty() : Optional.of(faces.get(0));
    }
}

package org.gatehouse.recognition.api;

import java.util.List;
import java.util.Optional;

/**
 * Every face found in one image, the primary face first, the others largest first. The primary face is the
 * one with the highest score 2 ln(side / largest side) - d^2 / (2 * 0.4^2) + ln(detector score)
 * - max(0, |yaw| - 0.4)^2 / (2 * 0.15^2), d = distance of the box centre from the image centre in half the
 * shorter image side: large, central, clearly detected and not in profile.
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

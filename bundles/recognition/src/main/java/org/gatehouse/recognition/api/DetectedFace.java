package org.gatehouse.recognition.api;

import java.util.List;

/**
 * One face found in an image.
 *
 * @param box square face box (clipped to the image)
 * @param detectorScore detector confidence 0-1
 * @param landmarks five points: eye (image left), eye (image right), nose tip, mouth corner
 *                  (image left), mouth corner (image right)
 * @param quality quality measures
 * @param livenessScore probability 0-1 that the face is a live person (not a photo/screen replay)
 */
public record DetectedFace(FaceBox box, float detectorScore, List<Point2> landmarks, Quality quality,
                           float livenessScore) {
    public DetectedFace {
        landmarks = List.copyOf(landmarks);
    }
}

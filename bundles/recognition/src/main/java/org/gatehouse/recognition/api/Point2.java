package org.gatehouse.recognition.api;

/** A 2-D point in image pixels. */
public record Point2(float x, float y) {
}

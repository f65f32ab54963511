package org.gatehouse.recognition.api;

/** Axis-aligned face box in image pixels (top-left corner, width, height). */
public record FaceBox(float x, float y, float width, float height) {
    public float area() { return Math.max(0f, width) * Math.max(0f, height); }
    public float centerX() { return x + width / 2f; }
    public float centerY() { return y + height / 2f; }
}

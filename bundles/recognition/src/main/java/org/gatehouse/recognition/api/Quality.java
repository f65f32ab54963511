package org.gatehouse.recognition.api;

/**
 * Quality measures of one detected face.
 *
 * @param interEyeDistance distance between the eye centres in image pixels
 * @param yaw   horizontal head-turn proxy: nose offset from the eye midline divided by the
 *              inter-eye distance (0 = frontal, about +-0.5 = strong profile)
 * @param roll  in-plane rotation of the eye line in degrees
 * @param sharpness variance of the Laplacian of the aligned 112x112 grey face (higher = sharper)
 * @param brightness mean grey level (0-255) of the aligned face
 */
public record Quality(float interEyeDistance, float yaw, float roll, float sharpness, float brightness) {
}

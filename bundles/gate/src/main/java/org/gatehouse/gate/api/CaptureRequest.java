package org.gatehouse.gate.api;

import java.util.Objects;

/**
 * A capture at a device.
 *
 * @param deviceId  the authenticated device
 * @param frame     the JPEG frame (never stored)
 * @param readings  what the terminal measured; {@link Readings#NONE} when nothing
 * @param requestId the terminal's id of this request, for replays (null: a fresh one, no replay protection)
 */
public record CaptureRequest(String deviceId, byte[] frame, Readings readings, String requestId) {
    public CaptureRequest {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(frame, "frame");
        readings = readings == null ? Readings.NONE : readings;
    }
}

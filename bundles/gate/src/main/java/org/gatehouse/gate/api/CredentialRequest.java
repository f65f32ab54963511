package org.gatehouse.gate.api;

import java.util.Objects;

/**
 * A credential presented at a device.
 *
 * @param deviceId   the authenticated device
 * @param kind       what was presented
 * @param value      the value as read (card number, ID number, PIN, app code, pass code); never stored
 * @param residentId the resident the credential claims to be (required for {@link PresentedKind#APP_CODE}, whose QR
 *                   names it; for other kinds, when given, the credential must belong to that resident)
 * @param readings   what the terminal measured; {@link Readings#NONE} when nothing
 * @param requestId  the terminal's id of this request, for replays (null: a fresh one)
 */
public record CredentialRequest(String deviceId, PresentedKind kind, String value, String residentId,
                                Readings readings, String requestId) {
    public CredentialRequest {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(kind, "kind");
        readings = readings == null ? Readings.NONE : readings;
    }
}

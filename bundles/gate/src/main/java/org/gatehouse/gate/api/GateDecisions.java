package org.gatehouse.gate.api;

/**
 * The one place a passage is decided: device → identity (face with the gallery's operating bands and a second
 * factor, or a credential, or a visitor pass) → access policy → screening → {@link GateDecision} with every reason →
 * door command through the device's {@link DoorAdapter} → passage recorded (journalled while the database is down)
 * and published on {@code passages}.
 *
 * <p>The device id must be the authenticated device (the caller checks the token); its community, building and door
 * are read from the store, never taken from the request. A request id seen again from the same device gets the first
 * answer again, with no second passage and no second door command. The frame is never stored.
 */
public interface GateDecisions {
    /** A terminal's camera frame (and readings). */
    GateDecision decideCapture(CaptureRequest request);

    /** A credential presented at a terminal: alone, or as the second factor a face in the verify band asked for. */
    GateDecision decideCredential(CredentialRequest request);
}

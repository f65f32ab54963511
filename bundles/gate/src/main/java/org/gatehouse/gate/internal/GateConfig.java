package org.gatehouse.gate.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration pid {@code org.gatehouse.gate} ({@code etc/org.gatehouse.gate.cfg}): the one place a setting's default
 * lives.
 */
@ObjectClassDefinition(name = "Gatehouse gate", description = "The passage decision, the HTTP terminal, heartbeats")
public @interface GateConfig {
    String PID = "org.gatehouse.gate";

    @AttributeDefinition(description = "Label of the access policy the gate decides under; written into every "
            + "passage's decision (change it when the rules change, so old passages say which rules they met)")
    String policyVersion() default "gate-1";

    @AttributeDefinition(description = "Seconds within which a card, app code or PIN from the same device completes "
            + "a face that fell in the verify band (a 1:1 check of that person)", min = "1")
    int secondFactorSeconds() default 30;

    @AttributeDefinition(description = "Minutes a device's request id is remembered: the same id from the same device "
            + "gets the first answer again, with no second passage and no second door command", min = "1")
    int replayMinutes() default 10;

    @AttributeDefinition(description = "Candidates asked of the face search; a second factor completes a face only "
            + "when its person is among them at or above the 1:1 threshold", min = "1")
    int faceCandidates() default 10;

    @AttributeDefinition(description = "Requests a device may make per second on average (token bucket, per device; "
            + "other devices are not affected); above it 429 RATE_LIMITED", min = "1")
    int deviceRatePerSecond() default 10;

    @AttributeDefinition(description = "Requests a device may make in one burst (the bucket's size)", min = "1")
    int deviceBurst() default 20;

    @AttributeDefinition(description = "Largest capture frame in bytes; larger answers 413", min = "1024")
    int maxFrameBytes() default 8 * 1024 * 1024;

    @AttributeDefinition(description = "A device not heard from (heartbeat, capture or credential) for this many "
            + "seconds is offline: one DEVICE_OFFLINE alert, closed when it is heard again", min = "5")
    int offlineAfterSeconds() default 120;

    @AttributeDefinition(description = "Seconds between checks for offline devices; 0 = no check", min = "0")
    int offlineCheckSeconds() default 30;

    @AttributeDefinition(description = "Door adapter of devices not named in doorAdapters")
    String defaultDoorAdapter() default "http-terminal";

    @AttributeDefinition(description = "Door adapter per device, as deviceId=kind (e.g. 6f1…=isapi)")
    String[] doorAdapters() default {};
}

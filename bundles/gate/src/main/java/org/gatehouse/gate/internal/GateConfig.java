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

    @AttributeDefinition(description = "Liveness rule per community, communityId=OFF|SOFT|HARD (several separated by "
            + "commas or semicolons): HARD denies a face whose liveness score is below livenessThreshold or missing, "
            + "SOFT allows it and flags the passage, OFF ignores the score")
    String[] livenessModes() default {};

    @AttributeDefinition(description = "Liveness rule of communities not named in livenessModes: OFF, SOFT or HARD")
    String defaultLiveness() default "OFF";

    @AttributeDefinition(description = "Lowest liveness score (the engine's softmax probability of its class 'live') "
            + "that counts as live. No measured threshold is documented for the model; 0.5 is where 'live' is the "
            + "majority of the three classes, so the engine's own class decision is 'live' at or above it", min = "0",
            max = "1")
    double livenessThreshold() default 0.5;

    @AttributeDefinition(description = "Stranger warning: sightings of the same unknown face (REJECT band) within "
            + "strangerWindowMinutes at a community's doors that raise one STRANGER alert", min = "1")
    int strangerSightings() default 3;

    @AttributeDefinition(description = "Stranger warning: the window in minutes; an unknown face's template is kept in "
            + "memory only this long, then deleted", min = "1")
    int strangerWindowMinutes() default 10;

    @AttributeDefinition(description = "Stranger warning per community, communityId=sightings/minutes (e.g. c-1=5/15; "
            + "several separated by commas or semicolons; sightings 0 = off for that community)")
    String[] strangerRules() default {};

    @AttributeDefinition(description = "Most unknown-face templates kept in memory per community; when full the oldest "
            + "sighting is deleted first", min = "1")
    int strangerMaxTemplates() default 10_000;
}

package org.gatehouse.gate.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.gatehouse.api.model.CredentialKind;
import org.gatehouse.api.model.Device;
import org.gatehouse.api.model.SubjectType;
import org.gatehouse.api.model.Verdict;
import org.gatehouse.api.service.DoorCommands;
import org.gatehouse.gate.api.GateReason;
import org.gatehouse.gate.api.Readings;

/** One decision in the making (the gate's paths fill it in; {@link Doors#finish} ends it). */
final class Attempt {
    final Device device;
    final String passageId;
    final Instant now;
    final Readings readings;
    final byte[] frame;
    final List<GateReason> reasons = new ArrayList<>();
    final Map<String, Double> scores = new LinkedHashMap<>();
    final List<String> screeningFailures = new ArrayList<>();
    Verdict verdict = Verdict.ALLOW;
    SubjectType subjectType = SubjectType.UNKNOWN;
    String subjectId;
    CredentialKind credentialKind;
    String faceBand;
    /** The face path's probe template (from the registry), for a stranger warning or a 1:1 check; zeroed at the end. */
    float[] probe;

    Attempt(Device device, String passageId, Instant now, Readings readings, byte[] frame) {
        this.device = device;
        this.passageId = passageId;
        this.now = now;
        this.readings = readings;
        this.frame = frame;
    }

    boolean offline;
    /** A door opened on someone's behalf ({@link DoorCommands}): the asking module decided. */
    boolean onBehalf;

    void deny() {
        verdict = Verdict.DENY;
    }

    void offline() {
        offline = true;
    }

    /** Forgets the probe template (zeroed, not only dropped). */
    void forgetProbe() {
        if (probe != null) {
            java.util.Arrays.fill(probe, 0f);
            probe = null;
        }
    }
}

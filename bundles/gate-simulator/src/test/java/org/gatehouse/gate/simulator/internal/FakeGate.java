package org.gatehouse.gate.simulator.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import org.gatehouse.api.model.SubjectType;
import org.gatehouse.api.model.Verdict;
import org.gatehouse.gate.api.CaptureRequest;
import org.gatehouse.gate.api.CredentialRequest;
import org.gatehouse.gate.api.DoorOutcome;
import org.gatehouse.gate.api.GateDecision;
import org.gatehouse.gate.api.GateDecisions;
import org.gatehouse.gate.api.GateReason;

/** A gate that answers by rule and remembers what it was asked. */
final class FakeGate implements GateDecisions {
    final List<CaptureRequest> captures = new CopyOnWriteArrayList<>();
    final List<CredentialRequest> credentials = new CopyOnWriteArrayList<>();
    volatile Function<Object, GateDecision> rule = r -> allow();
    volatile long delayMillis;

    @Override
    public GateDecision decideCapture(CaptureRequest request) {
        captures.add(request);
        return answer(request);
    }

    @Override
    public GateDecision decideCredential(CredentialRequest request) {
        credentials.add(request);
        return answer(request);
    }

    int calls() {
        return captures.size() + credentials.size();
    }

    private GateDecision answer(Object request) {
        if (delayMillis > 0) {
            try {
                Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return rule.apply(request);
    }

    static GateDecision allow() {
        return new GateDecision("p1", Verdict.ALLOW, null, false, SubjectType.RESIDENT, "r1",
                List.of(GateReason.of("CREDENTIAL_VALID", "r1"), GateReason.of("DOOR_OPENED", "simulator")), "v1",
                DoorOutcome.opened("simulator"), "STORED", Instant.now());
    }

    /** Denied with these reason codes ({@code CODE:ref} for a reference). */
    static GateDecision deny(String... codes) {
        List<GateReason> reasons = new ArrayList<>();
        for (String code : codes) {
            int colon = code.indexOf(':');
            reasons.add(colon < 0 ? GateReason.of(code, null)
                    : GateReason.of(code.substring(0, colon), code.substring(colon + 1)));
        }
        reasons.add(GateReason.of("POLICY_VERSION", "v1"));
        return new GateDecision("p2", Verdict.DENY, null, false, SubjectType.UNKNOWN, null, reasons, "v1",
                DoorOutcome.notSent("DENIED"), "STORED", Instant.now());
    }

    static GateDecision secondFactor() {
        return new GateDecision(null, Verdict.DENY, "VERIFY", true, SubjectType.RESIDENT, "r1",
                List.of(GateReason.of("FACE_VERIFY", "r1")), "v1", DoorOutcome.notSent("SECOND_FACTOR"),
                "NOT_RECORDED", Instant.now());
    }
}

package org.gatehouse.gate.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.gatehouse.api.model.PassageEvent;
import org.gatehouse.api.model.SubjectType;
import org.gatehouse.api.model.Verdict;
import org.gatehouse.faces.api.FaceRegistry.Identification;
import org.gatehouse.gate.api.CaptureRequest;
import org.gatehouse.gate.api.GateDecision;
import org.gatehouse.gate.api.GateReason;
import org.gatehouse.gate.api.Readings;
import org.gatehouse.recognition.api.Candidate;
import org.gatehouse.recognition.api.DetectedFace;
import org.gatehouse.recognition.api.FaceBox;
import org.gatehouse.recognition.api.OperatingBands;
import org.gatehouse.recognition.api.Quality;
import org.junit.jupiter.api.Test;

/** Liveness per community: OFF ignores the score, SOFT allows and flags, HARD denies (a missing score too). */
class GateLivenessTest {
    private final World w = new World();

    private GateDecisionsImpl gate(String mode) {
        return w.gate(Map.of("livenessModes", new String[] {w.community.id() + "=" + mode + ";other=SOFT"}));
    }

    private static DetectedFace face(float liveness) {
        return new DetectedFace(new FaceBox(10, 10, 100, 100), 0.99f, List.of(), new Quality(40, 0, 0, 100, 120),
                liveness);
    }

    /** Wang's face accepted at 0.71, with the given liveness score (NaN: the engine gave none). */
    private void wangWithLiveness(String frame, float liveness) {
        w.faces.script.put(frame, new Identification(w.wang.id(), 0.71f, List.of(new Candidate(w.wang.id(), 0.71f)),
                face(liveness), OperatingBands.Band.ACCEPT, World.bands(w.community.id())));
    }

    private static GateDecision capture(GateDecisionsImpl g, String deviceId, String frame) {
        return g.decideCapture(new CaptureRequest(deviceId, World.frame(frame), Readings.NONE, null));
    }

    private static Optional<GateReason> reason(GateDecision d, String code) {
        return d.reasons().stream().filter(r -> r.code().equals(code)).findFirst();
    }

    @Test
    void hardDeniesALowScoreWithScoreAndThresholdInTheDecision() {
        wangWithLiveness("photo", 0.12f);
        GateDecision d = capture(gate("HARD"), w.door1.id(), "photo");
        assertEquals(Verdict.DENY, d.verdict());
        GateReason r = reason(d, "LIVENESS_FAILED").orElseThrow();
        assertEquals(0.12, r.value());
        assertEquals(0.5, r.threshold(), "the default: the engine's class decision");
        assertFalse(d.door().opened());
        PassageEvent p = w.recorder.stored.get(d.passageId());
        assertEquals(SubjectType.UNKNOWN, p.subjectType(), "a photo of a resident is not the resident passing");
        assertEquals(0.12, p.decision().scores().get("liveness.score"));
        assertEquals(0.5, p.decision().scores().get("liveness.threshold"));
        assertTrue(p.decision().reasons().stream().anyMatch(x -> x.code().equals("LIVENESS_FAILED")
                && x.detail().contains("value=0.12") && x.detail().contains("threshold=0.5")));
    }

    @Test
    void hardAllowsALiveFace() {
        wangWithLiveness("live", 0.97f);
        GateDecision d = capture(gate("HARD"), w.door1.id(), "live");
        assertEquals(Verdict.ALLOW, d.verdict());
        assertEquals(0.97, reason(d, "LIVENESS_PASSED").orElseThrow().value());
    }

    @Test
    void aMissingScoreUnderHardIsDeniedAndCannotBeDodged() {
        wangWithLiveness("unscored", Float.NaN);
        GateDecision d = capture(gate("HARD"), w.door1.id(), "unscored");
        assertEquals(Verdict.DENY, d.verdict());
        GateReason r = reason(d, "LIVENESS_FAILED").orElseThrow();
        assertNull(r.value());
        assertTrue(r.ref().contains("missing=true"));
        // no face record at all (the registry gave none)
        w.faces.accept("noface", w.wang, 0.71f);
        assertEquals(Verdict.DENY, capture(gate("HARD"), w.door1.id(), "noface").verdict());
    }

    @Test
    void hardDeniesAVerifyBandFaceWithoutAskingForASecondFactor() {
        w.faces.script.put("grey", new Identification(null, 0.45f, List.of(new Candidate(w.wang.id(), 0.45f)),
                face(0.1f), OperatingBands.Band.VERIFY, World.bands(w.community.id())));
        GateDecision d = capture(gate("HARD"), w.door1.id(), "grey");
        assertFalse(d.secondFactorRequested());
        assertEquals(Verdict.DENY, d.verdict());
        assertEquals(List.of("FACE_VERIFY", "LIVENESS_FAILED"), d.reasons().stream().map(GateReason::code).limit(2)
                .toList());
        assertNotNull(w.recorder.stored.get(d.passageId()), "recorded");
    }

    @Test
    void softAllowsAndFlags() {
        wangWithLiveness("photo", 0.12f);
        GateDecision d = capture(gate("SOFT"), w.door1.id(), "photo");
        assertEquals(Verdict.ALLOW, d.verdict());
        assertEquals(0.12, reason(d, "LIVENESS_FLAGGED").orElseThrow().value());
        assertTrue(d.door().opened());
        assertEquals(SubjectType.RESIDENT, d.subjectType());
    }

    @Test
    void offIgnoresTheScoreAndIsTheDefault() {
        wangWithLiveness("photo", 0.12f);
        for (GateDecisionsImpl g : List.of(gate("OFF"), w.gate())) {
            GateDecision d = capture(g, w.door1.id(), "photo");
            assertEquals(Verdict.ALLOW, d.verdict());
            assertTrue(d.reasons().stream().noneMatch(r -> r.code().startsWith("LIVENESS")));
        }
    }

    @Test
    void theThresholdAndTheDefaultModeAreConfigurable() {
        wangWithLiveness("so-so", 0.7f);
        GateDecisionsImpl strict = w.gate(Map.of("defaultLiveness", "HARD", "livenessThreshold", 0.8));
        GateDecision d = capture(strict, w.door1.id(), "so-so");
        assertEquals(Verdict.DENY, d.verdict());
        assertEquals(0.8, reason(d, "LIVENESS_FAILED").orElseThrow().threshold());
        GateDecisionsImpl typo = w.gate(Map.of("livenessModes", new String[] {w.community.id() + "=HRAD"}));
        wangWithLiveness("photo", 0.12f);
        assertEquals(Verdict.DENY, capture(typo, w.door1.id(), "photo").verdict(),
                "a misspelt community mode protects (HARD)");
    }
}

package org.gatehouse.recognition.internal;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The primary-face choice on synthetic detections (no networks: the five points are made up). */
class PrimaryFaceTest {

    static final int W = 640, H = 480;

    /** A detection with five points of the given yaw (nose offset along the eye line / eye distance). */
    static Face face(float cx, float cy, float side, float score, float yaw) {
        Face f = Face.detected(cx, cy, side, score, W, H);
        f.five = points(cx, cy, side, yaw);
        return f;
    }

    static float[][] points(float cx, float cy, float side, float yaw) {
        float ied = 0.36f * side, ey = cy - 0.1f * side;
        return new float[][] {{cx - ied / 2, ey}, {cx + ied / 2, ey}, {cx + yaw * ied, cy + 0.05f * side},
            {cx - 0.3f * ied, cy + 0.25f * side}, {cx + 0.3f * ied, cy + 0.25f * side}};
    }

    static Face primary(Face... faces) {
        return PrimaryFace.order(List.of(faces), W, H, null).get(0);
    }

    @Test
    void yawOfTheSyntheticPoints() {
        assertEquals(0.8f, QualityGate.yaw(points(100, 100, 100, 0.8f)), 1e-4f);
        assertEquals(-0.3f, QualityGate.yaw(points(100, 100, 100, -0.3f)), 1e-4f);
    }

    @Test
    void centredFrontalFaceBeatsABiggerOffCentreProfile() {
        Face profile = face(150, 240, 200, 0.99f, 0.8f);
        Face frontal = face(320, 240, 150, 0.99f, 0.05f);
        assertSame(frontal, primary(profile, frontal));
        assertSame(frontal, primary(frontal, profile));
    }

    @Test
    void aBystanderBesideThePersonDoesNotWinBySizeAlone() {
        // lfw7-full Donald_Rumsfeld_0044 at 640x480 scale: a 8 % larger face 33 % of the half-height off centre
        Face person = face(325, 245, 205, 1.0f, -0.05f);
        Face bystander = face(480, 245, 222, 0.92f, -0.12f);
        assertSame(person, primary(bystander, person));
    }

    @Test
    void aTinyCentredBackgroundFaceDoesNotBeatTheNearPerson() {
        Face near = face(400, 260, 220, 0.99f, 0.1f);
        Face tiny = face(320, 240, 40, 0.99f, 0.0f);
        assertSame(near, primary(tiny, near));
    }

    @Test
    void profileDecidesBetweenTwoEquallyPlacedFaces() {
        Face left = face(220, 240, 150, 0.99f, 0.9f);
        Face right = face(420, 240, 150, 0.99f, 0.1f);
        assertSame(right, primary(left, right));
        // a moderately turned head (|yaw| <= 0.4) costs nothing: the centred one wins over a frontal bystander
        Face turned = face(320, 240, 150, 0.99f, -0.38f);
        Face side = face(480, 240, 150, 0.99f, 0.0f);
        assertSame(turned, primary(side, turned));
    }

    @Test
    void lowerDetectionScoreBreaksANearTie() {
        Face a = face(300, 240, 150, 0.70f, 0f);
        Face b = face(340, 240, 150, 0.99f, 0f);
        assertSame(b, primary(a, b));
    }

    @Test
    void othersFollowLargestFirst() {
        Face p = face(320, 240, 150, 0.99f, 0f);
        Face s = face(40, 40, 60, 0.99f, 0f);
        Face m = face(600, 440, 100, 0.99f, 0f);
        Face l = face(60, 400, 170, 0.99f, 0f);
        assertEquals(List.of(p, l, m, s), PrimaryFace.order(List.of(s, m, l, p), W, H, null));
        assertEquals(List.of(), PrimaryFace.order(List.of(), W, H, null));
        assertEquals(List.of(s), PrimaryFace.order(List.of(s), W, H, null));
    }

    @Test
    void landmarksOnlyForFacesThatCouldStillWin() {
        Face centred = Face.detected(320, 240, 150, 0.99f, W, H);
        Face corner = Face.detected(60, 60, 160, 0.99f, W, H);
        Face small = Face.detected(500, 300, 50, 0.99f, W, H);
        AtomicInteger calls = new AtomicInteger();
        PrimaryFace.FivePoints frontal = f -> {
            calls.incrementAndGet();
            return points(f.cx, f.cy, f.side, 0.05f);
        };
        assertSame(centred, PrimaryFace.order(List.of(corner, small, centred), W, H, frontal).get(0));
        assertEquals(1, calls.get(), "a frontal best-placed face needs no other landmarks");
        assertTrue(centred.five != null && corner.five == null && small.five == null);
        // the best-placed face in profile: the runner-up's pose is looked at too, and wins
        Face centredProfile = Face.detected(320, 240, 150, 0.99f, W, H);
        Face beside = Face.detected(420, 240, 150, 0.99f, W, H);
        PrimaryFace.FivePoints profileInMiddle = f -> points(f.cx, f.cy, f.side, f == centredProfile ? 1.0f : 0.0f);
        assertSame(beside, PrimaryFace.order(List.of(centredProfile, beside), W, H, profileInMiddle).get(0));
        // no landmarks and no five points: position, size and score alone
        assertSame(centred, PrimaryFace.order(List.of(Face.detected(60, 60, 160, 0.99f, W, H), centred), W, H, null).get(0));
    }
}

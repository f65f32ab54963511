package org.gatehouse.recognition.internal;

import org.gatehouse.recognition.api.FaceException;
import org.gatehouse.recognition.api.FaceException.Code;
import org.gatehouse.recognition.api.Quality;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** FACE_TOO_SMALL by purpose: enrollment needs 40 px between the eyes, identification (embed) 18 px,
 * so that a face 20 px across the eyes, measured with some scatter, is embedded. */
class QualityGateTest {

    static Quality eyes(float ied) {
        return new Quality(ied, 0f, 0f, 100f, 120f); // frontal, sharp, well exposed
    }

    @Test
    void defaultsSplitByPurpose() {
        EngineConfig d = EngineConfig.defaults();
        assertEquals(40f, d.minInterEyeDistance());
        assertEquals(18f, d.minInterEyeDistanceIdentify());
    }

    @Test
    void doorCameraAtDistanceIsIdentifiedButNotEnrolled() {
        QualityGate gate = new QualityGate(EngineConfig.defaults());
        for (float ied : new float[] {18f, 20f, 22f, 24f, 30f, 39.9f}) {
            assertDoesNotThrow(() -> gate.check(eyes(ied), false), "identify at " + ied + " px");
            FaceException e = assertThrows(FaceException.class, () -> gate.check(eyes(ied), true), "enroll at " + ied + " px");
            assertEquals(Code.FACE_TOO_SMALL, e.code());
            assertEquals(40, e.args()[1]);
        }
        assertDoesNotThrow(() -> gate.check(eyes(40f), true));
        FaceException tiny = assertThrows(FaceException.class, () -> gate.check(eyes(17.5f), false));
        assertEquals(Code.FACE_TOO_SMALL, tiny.code());
        assertEquals(18, tiny.args()[1]);
    }

    @Test
    void limitsAreConfigurable() {
        QualityGate gate = new QualityGate(EngineConfig.builder().minInterEyeDistance(30).minInterEyeDistanceIdentify(24).build());
        assertDoesNotThrow(() -> gate.check(eyes(30f), true));
        assertEquals(Code.FACE_TOO_SMALL, assertThrows(FaceException.class, () -> gate.check(eyes(22f), false)).code());
    }
}

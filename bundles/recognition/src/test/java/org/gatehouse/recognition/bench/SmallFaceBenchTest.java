package org.gatehouse.recognition.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The arithmetic of {@code -Dbench=smallface} (no engine, no data). */
class SmallFaceBenchTest {

    @Test
    void scaleBringsTheEyesToTheTargetAndNeverEnlarges() {
        assertEquals(0.5, SmallFaceBench.scaleFor(40, 20), 1e-12);
        assertEquals(16 / 45.0, SmallFaceBench.scaleFor(45, 16), 1e-12);
        assertEquals(1.0, SmallFaceBench.scaleFor(38, 40), 1e-12); // already smaller: left as it is
        assertEquals(1.0, SmallFaceBench.scaleFor(40, 40), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> SmallFaceBench.scaleFor(0, 20));
        assertThrows(IllegalArgumentException.class, () -> SmallFaceBench.scaleFor(Double.NaN, 20));
    }

    @Test
    void scaledSizeIsRoundedAndAtLeastOnePixel() {
        assertArrayEquals(new int[] {125, 125}, SmallFaceBench.scaledSize(250, 250, 0.5));
        assertArrayEquals(new int[] {89, 89}, SmallFaceBench.scaledSize(250, 250, 16 / 45.0)); // 88.9
        assertArrayEquals(new int[] {1, 1}, SmallFaceBench.scaledSize(250, 250, 1e-6));
    }

    @Test
    void mcnemarZ() {
        assertEquals(0, SmallFaceBench.mcnemarZ(0, 0), 1e-12);
        assertEquals(2.0, SmallFaceBench.mcnemarZ(4, 0), 1e-12);   // 4 lost, none gained
        assertEquals(-1.0, SmallFaceBench.mcnemarZ(0, 1), 1e-12);
        assertEquals(1.0, SmallFaceBench.mcnemarZ(5, 3) * Math.sqrt(8) / 2, 1e-12);
    }

    @Test
    void thresholdAtFarIsTheImpostorScoreAtThatRankFromTheTop() {
        float[] imp = new float[1000];
        for (int i = 0; i < imp.length; i++) {
            imp[i] = i / 1000f; // 0.000 .. 0.999
        }
        // 1e-3 of 1000 = 1: the second highest; accepting above it lets exactly 1 impostor (0.999) through
        assertEquals(0.998f, SmallFaceBench.thresholdAtFar(imp, 1e-3), 1e-7);
        assertEquals(0.999f, SmallFaceBench.thresholdAtFar(imp, 1e-4), 1e-7);
        assertEquals(0.989f, SmallFaceBench.thresholdAtFar(imp, 1e-2), 1e-7);
    }

    @Test
    void median() {
        assertEquals(2, SmallFaceBench.median(new double[] {3, 1, 2}), 1e-12);
        assertEquals(2.5, SmallFaceBench.median(new double[] {4, 1, 2, 3}), 1e-12);
        assertEquals(Double.NaN, SmallFaceBench.median(new double[0]));
    }
}

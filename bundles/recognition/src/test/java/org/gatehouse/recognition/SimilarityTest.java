package org.gatehouse.recognition;

import org.gatehouse.recognition.internal.geom.Similarity;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SimilarityTest {

    @Test
    void recoversAKnownTransformExactly() {
        double s = 0.37, th = Math.toRadians(12), tx = -11.5, ty = 7.25;
        double a = s * Math.cos(th), b = s * Math.sin(th);
        double[][] src = {{120, 140}, {205, 138}, {160, 190}, {130, 230}, {200, 228}};
        double[][] dst = new double[5][];
        for (int i = 0; i < 5; i++) {
            dst[i] = new double[] {a * src[i][0] - b * src[i][1] + tx, b * src[i][0] + a * src[i][1] + ty};
        }
        double[] m = Similarity.estimate(src, dst);
        assertEquals(a, m[0], 1e-9);
        assertEquals(-b, m[1], 1e-9);
        assertEquals(tx, m[2], 1e-9);
        assertEquals(b, m[3], 1e-9);
        assertEquals(a, m[4], 1e-9);
        assertEquals(ty, m[5], 1e-9);
    }

    @Test
    void leastSquaresWithNoiseMapsOntoTheTemplate() {
        Random r = new Random(4);
        double[][] src = new double[5][];
        for (int i = 0; i < 5; i++) {
            // template scaled x3, shifted, with 0.5 px noise
            src[i] = new double[] {Similarity.ARCFACE_112[i][0] * 3 + 40 + r.nextGaussian() * 0.5,
                Similarity.ARCFACE_112[i][1] * 3 + 25 + r.nextGaussian() * 0.5};
        }
        double[] m = Similarity.estimate(src, Similarity.ARCFACE_112);
        assertEquals(1 / 3.0, Math.hypot(m[0], m[3]), 0.01);
        for (int i = 0; i < 5; i++) {
            double[] p = Similarity.apply(m, src[i][0], src[i][1]);
            assertEquals(Similarity.ARCFACE_112[i][0], p[0], 0.5);
            assertEquals(Similarity.ARCFACE_112[i][1], p[1], 0.5);
        }
    }
}

package org.gatehouse.recognition;

/** Vector helpers shared by the tests and the benchmarks (both compile from the test sources). */
public final class TestVectors {

    private TestVectors() {
    }

    /** Cosine of two vectors of any length (double accumulation). */
    public static double cosine(float[] a, float[] b) {
        double ab = 0, aa = 0, bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += a[i] * b[i];
            aa += a[i] * a[i];
            bb += b[i] * b[i];
        }
        return ab / Math.sqrt(aa * bb);
    }
}

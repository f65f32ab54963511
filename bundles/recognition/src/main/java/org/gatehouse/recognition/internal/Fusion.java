package org.gatehouse.recognition.internal;

/** Score-level fusion of two embedders in one template (see {@code EngineConfig.secondEmbedderWeight}). */
public final class Fusion {
    private Fusion() {
    }

    /** [sqrt(1-w) * a, sqrt(w) * b] of unit vectors a, b: unit length, its dot products (1-w) a.a' + w b.b'. */
    public static float[] fuse(float[] a, float[] b, float w) {
        float wa = (float) Math.sqrt(1.0 - w);
        float wb = (float) Math.sqrt(w);
        float[] r = new float[a.length + b.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = wa * a[i];
        }
        for (int i = 0; i < b.length; i++) {
            r[a.length + i] = wb * b[i];
        }
        return r;
    }
}

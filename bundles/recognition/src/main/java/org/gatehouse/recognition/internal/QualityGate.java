package org.gatehouse.recognition.internal;

import org.gatehouse.recognition.api.FaceException;
import org.gatehouse.recognition.api.FaceException.Code;
import org.gatehouse.recognition.api.Quality;

import java.util.List;

/**
 * Face quality and the gates a face must pass: for identification ({@code embed}) only its size; for
 * enrollment exactly one face (another at least half the primary's size counts), size, pose (yaw, roll),
 * exposure (brightness) and sharpness, in that order. Limits from {@link EngineConfig}.
 */
final class QualityGate {

    private final EngineConfig cfg;

    QualityGate(EngineConfig cfg) {
        this.cfg = cfg;
    }

    /** Enrollment: refuses ({@code MULTIPLE_FACES}) when another detection is at least half the primary's size. */
    void requireSingleFace(List<Face> ordered) {
        Face primary = ordered.get(0);
        long others = ordered.stream().skip(1).filter(f -> f.side >= 0.5f * primary.side).count();
        if (others > 0) {
            throw new FaceException(Code.MULTIPLE_FACES, others + 1);
        }
    }

    /** The gates on a measured face: size always, pose, exposure and sharpness for enrollment. */
    void check(Quality q, boolean enrollment) {
        float minIed = enrollment ? cfg.minInterEyeDistance() : cfg.minInterEyeDistanceIdentify();
        if (q.interEyeDistance() < minIed) {
            throw new FaceException(Code.FACE_TOO_SMALL, Math.round(q.interEyeDistance()), Math.round(minIed));
        }
        if (enrollment) {
            if (Math.abs(q.yaw()) > cfg.maxYaw() || Math.abs(q.roll()) > cfg.maxRoll()) {
                throw new FaceException(Code.NOT_FRONTAL);
            }
            if (q.brightness() < cfg.minBrightness()) {
                throw new FaceException(Code.TOO_DARK);
            }
            if (q.brightness() > cfg.maxBrightness()) {
                throw new FaceException(Code.TOO_BRIGHT);
            }
            if (q.sharpness() < cfg.minSharpness()) {
                throw new FaceException(Code.BLURRY, Math.round(q.sharpness()), Math.round(cfg.minSharpness()));
            }
        }
    }

    /** Yaw proxy: offset of the nose from the eyes' midpoint along the eye line / eye distance (0 = frontal). */
    static float yaw(float[][] five) {
        float[] le = five[0], re = five[1], nose = five[2];
        float ex = re[0] - le[0], ey = re[1] - le[1];
        float ied2 = ex * ex + ey * ey;
        float mx = (le[0] + re[0]) / 2f, my = (le[1] + re[1]) / 2f;
        return ied2 > 0 ? ((nose[0] - mx) * ex + (nose[1] - my) * ey) / ied2 : 0f;
    }

    /**
     * Inter-eye distance, yaw proxy (nose offset along the eye line / eye distance), roll (degrees), and over
     * the central region of the grey aligned face the Laplacian variance (sharpness) and mean grey (brightness).
     */
    static Quality measure(float[][] five, byte[] aligned) {
        float[] le = five[0], re = five[1];
        float ex = re[0] - le[0], ey = re[1] - le[1];
        float ied = (float) Math.hypot(ex, ey);
        float roll = (float) Math.toDegrees(Math.atan2(ey, ex));
        float yaw = yaw(five);
        // grey aligned face: brightness and Laplacian variance over the central face region
        byte[] a = aligned;
        float[] g = new float[112 * 112];
        for (int i = 0, p = 0; i < g.length; i++, p += 3) {
            g[i] = 0.114f * (a[p] & 0xFF) + 0.587f * (a[p + 1] & 0xFF) + 0.299f * (a[p + 2] & 0xFF);
        }
        double sum = 0, sum2 = 0, bsum = 0;
        int n = 0;
        for (int y = 24; y < 104; y++) {
            for (int x = 24; x < 88; x++) {
                int i = y * 112 + x;
                float lap = g[i - 1] + g[i + 1] + g[i - 112] + g[i + 112] - 4 * g[i];
                sum += lap;
                sum2 += lap * lap;
                bsum += g[i];
                n++;
            }
        }
        double mean = sum / n;
        float sharp = (float) (sum2 / n - mean * mean);
        return new Quality(ied, yaw, roll, sharp, (float) (bsum / n));
    }
}

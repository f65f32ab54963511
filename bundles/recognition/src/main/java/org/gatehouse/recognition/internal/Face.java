package org.gatehouse.recognition.internal;

import org.gatehouse.recognition.api.DetectedFace;
import org.gatehouse.recognition.api.FaceBox;
import org.gatehouse.recognition.api.Point2;
import org.gatehouse.recognition.api.Quality;

import java.util.ArrayList;
import java.util.List;

/** Mutable working state of one detected face, filled in by the pipeline's stages. */
final class Face {
    float cx, cy, side;       // square box (unclipped)
    float score;
    FaceBox box;              // clipped for reporting
    float[][] five;           // 5 x 2
    Quality quality;
    float liveness = Float.NaN;
    byte[] aligned;           // 112x112x3 BGR
    byte[] chip;              // 150x150x3 BGR dlib chip (only with a second embedder)

    DetectedFace toApi() {
        List<Point2> pts = new ArrayList<>(5);
        if (five != null) {
            for (float[] p : five) {
                pts.add(new Point2(p[0], p[1]));
            }
        }
        return new DetectedFace(box, score, pts, quality, liveness);
    }

    /** A detection: square box of side {@code side} centred at ({@code cx}, {@code cy}), clipped box for reporting. */
    static Face detected(float cx, float cy, float side, float score, int cols, int rows) {
        Face f = new Face();
        f.side = side;
        f.cx = cx;
        f.cy = cy;
        f.score = score;
        f.box = clippedBox(f, cols, rows);
        return f;
    }

    static FaceBox clippedBox(Face f, int cols, int rows) {
        float x1 = Math.max(0f, f.cx - f.side / 2f), y1 = Math.max(0f, f.cy - f.side / 2f);
        float x2 = Math.min(cols - 1f, f.cx + f.side / 2f), y2 = Math.min(rows - 1f, f.cy + f.side / 2f);
        return new FaceBox(x1, y1, Math.max(0f, x2 - x1), Math.max(0f, y2 - y1));
    }
}

package org.gatehouse.recognition.internal;

import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Size;
import org.gatehouse.recognition.internal.onnx.OnnxNets;

import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

/**
 * {@code fr_liveness.onnx} of one worker: the face's box x2.7 (capped, shifted inside the image), 128x128
 * RGB raw values, softmax, class 0 = live. Reported on every face, never enforced here.
 */
final class Liveness {

    private final OnnxNets.Session s;
    private final float[] liveIn = new float[3 * 128 * 128];

    Liveness(OnnxNets.Session s) {
        this.s = s;
    }

    /** Probability (softmax, class 0) that the face is live, not a photo or a screen. */
    float score(Mat img, Face f) {
        int cols = img.cols(), rows = img.rows();
        float s0 = Math.max(1f, f.side);
        float factor = Math.min(2.7f, Math.min(cols / s0, rows / s0));
        int side = Math.max(1, Math.min(Math.round(s0 * factor), Math.min(cols, rows)));
        int x1 = Mats.clamp(Math.round(f.cx - side / 2f), 0, cols - side);
        int y1 = Mats.clamp(Math.round(f.cy - side / 2f), 0, rows - side);
        byte[] px;
        try (Rect roi = new Rect(x1, y1, side, side); Mat crop = new Mat(img, roi); Mat small = new Mat()) {
            resize(crop, small, new Size(128, 128), 0, 0, INTER_LINEAR);
            px = Mats.bytes(small);
        }
        int plane = 128 * 128;
        for (int i = 0, p = 0; i < plane; i++, p += 3) {
            liveIn[i] = px[p + 2] & 0xFF;
            liveIn[plane + i] = px[p + 1] & 0xFF;
            liveIn[2 * plane + i] = px[p] & 0xFF;
        }
        float[] o = s.liveness(liveIn);
        double mx = Math.max(o[0], Math.max(o[1], o[2]));
        double e0 = Math.exp(o[0] - mx), e1 = Math.exp(o[1] - mx), e2 = Math.exp(o[2] - mx);
        return (float) (e0 / (e0 + e1 + e2));
    }
}

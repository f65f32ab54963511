package org.gatehouse.recognition.internal;

import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.gatehouse.recognition.internal.onnx.OnnxNets;

import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

/**
 * {@code fr_landmark.onnx} of one worker: the face's square box (black where it leaves the image, only the
 * crop is copied), 64x64 grey /256, 68 points, reduced to 5 (eye centres = mean of 37,38,40,41 / 43,44,46,47;
 * nose 30; mouth corners mean(48,60), mean(54,64)). Not needed when the detector gives five points (YuNet).
 */
final class Landmarks {

    private final EngineConfig cfg;
    private final OnnxNets.Session s;
    private final float[] lmkIn = new float[64 * 64];

    Landmarks(EngineConfig cfg, OnnxNets.Session s) {
        this.cfg = cfg;
        this.s = s;
    }

    /** The five points of a detected face from the 68 landmarks of its square box. */
    float[][] fivePoints(Mat img0, Face f) {
        // crop from a view padded with black where the square box leaves the image
        int side0 = Math.max(1, Math.round(f.side));
        int bx = Math.round(f.cx - side0 / 2f), by = Math.round(f.cy - side0 / 2f);
        int padL = cfg.landmarkPad() ? Math.max(0, -bx) : 0;
        int padT = cfg.landmarkPad() ? Math.max(0, -by) : 0;
        int padR = cfg.landmarkPad() ? Math.max(0, bx + side0 - img0.cols()) : 0;
        int padB = cfg.landmarkPad() ? Math.max(0, by + side0 - img0.rows()) : 0;
        int cols = img0.cols() + padL + padR, rows = img0.rows() + padT + padB;
        int side = Math.max(1, Math.min(side0, Math.min(cols, rows)));
        int x1 = Mats.clamp(bx + padL, 0, cols - side);
        int y1 = Mats.clamp(by + padT, 0, rows - side);
        byte[] g;
        try (Mat crop = Mats.paddedCrop(img0, x1 - padL, y1 - padT, side); Mat small = new Mat(); Mat grey = new Mat()) {
            resize(crop, small, new Size(64, 64), 0, 0, INTER_LINEAR);
            cvtColor(small, grey, COLOR_BGR2GRAY);
            g = Mats.bytes(grey);
        }
        for (int i = 0; i < g.length; i++) {
            lmkIn[i] = (g[i] & 0xFF) / 256f;
        }
        float[] o = s.landmarks(lmkIn);
        float[] xs = new float[68], ys = new float[68];
        for (int i = 0; i < 68; i++) {
            xs[i] = o[2 * i] * side + x1 - padL;
            ys[i] = o[2 * i + 1] * side + y1 - padT;
        }
        return new float[][] {
            {(xs[37] + xs[38] + xs[40] + xs[41]) / 4f, (ys[37] + ys[38] + ys[40] + ys[41]) / 4f},
            {(xs[43] + xs[44] + xs[46] + xs[47]) / 4f, (ys[43] + ys[44] + ys[46] + ys[47]) / 4f},
            {xs[30], ys[30]},
            {(xs[48] + xs[60]) / 2f, (ys[48] + ys[60]) / 2f},
            {(xs[54] + xs[64]) / 2f, (ys[54] + ys[64]) / 2f}};
    }
}

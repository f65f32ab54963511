package org.gatehouse.recognition.internal;

import org.bytedeco.javacpp.indexer.DoubleIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.gatehouse.recognition.internal.onnx.OnnxNets;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_core.CV_64FC1;
import static org.bytedeco.opencv.global.opencv_core.copyMakeBorder;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.WARP_INVERSE_MAP;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.bytedeco.opencv.global.opencv_imgproc.warpAffine;

/**
 * The bundled {@code fr_detect.onnx}: the image in a black margin ({@code detectPad}, to 4:3) stretched
 * to 320x240, RGB (x-127)/128; its outputs are decoded corner boxes, kept from {@code detectorThreshold},
 * standard IoU NMS ({@code nmsIou}), mapped back; square box (side = height, centred).
 */
final class FacepluginDetector implements Detector {

    /**
     * Above this many pixels of padded image (24 MB) the detector's input is sampled from the image directly
     * instead of from a black-bordered copy: for an 8000x5000 image the copy alone is 11200x8400 (282 MB).
     * Up to it (any frame up to 1920x1080 with the default padding) the input is exactly what it always was.
     */
    static final long PADDED_COPY_MAX_PIXELS = 8_000_000L;

    private final EngineConfig cfg;
    private final OnnxNets.Session s;
    private final float[] detIn = new float[3 * 240 * 320];

    FacepluginDetector(EngineConfig cfg, OnnxNets.Session s) {
        this.cfg = cfg;
        this.s = s;
    }

    @Override
    public List<Face> detect(Mat img) {
        int cols = img.cols(), rows = img.rows();
        Pad pad = Pad.of(cols, rows, cfg.detectPad(), cfg.detectAspect());
        byte[] px = detectorInput(img, pad, (long) pad.w * pad.h <= PADDED_COPY_MAX_PIXELS);
        int plane = 240 * 320;
        for (int i = 0, p = 0; i < plane; i++, p += 3) {
            // BGR -> RGB planes, (x - 127) / 128
            detIn[i] = ((px[p + 2] & 0xFF) - 127f) / 128f;
            detIn[plane + i] = ((px[p + 1] & 0xFF) - 127f) / 128f;
            detIn[2 * plane + i] = ((px[p] & 0xFF) - 127f) / 128f;
        }
        float[][] out = s.detect(detIn);
        float[] boxes = out[0], scores = out[1];
        int n = scores.length / 2;
        List<float[]> cand = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float sc = scores[2 * i + 1];
            if (sc >= cfg.detectorThreshold()) {
                float x1 = boxes[4 * i] * 320f, y1 = boxes[4 * i + 1] * 240f;
                float x2 = boxes[4 * i + 2] * 320f, y2 = boxes[4 * i + 3] * 240f;
                if (x2 > x1 && y2 > y1) {
                    cand.add(new float[] {x1, y1, x2, y2, sc});
                }
            }
        }
        List<float[]> kept = nms(cand, cfg.nmsIou());
        List<Face> faces = new ArrayList<>(kept.size());
        float sx = pad.w / 320f, sy = pad.h / 240f;
        for (float[] b : kept) {
            float x1 = b[0] * sx - pad.left, y1 = b[1] * sy - pad.top;
            float x2 = b[2] * sx - pad.left, y2 = b[3] * sy - pad.top;
            faces.add(Face.detected((x1 + x2) / 2f, (y1 + y2) / 2f, y2 - y1, b[4], cols, rows));
        }
        return faces;
    }

    @Override
    public void close() {
        // the ONNX session belongs to the worker
    }

    /**
     * The detector's 320x240 BGR input: the image in its black margin ({@code pad}) stretched to 320x240
     * by bilinear resampling. {@code copy}: build the padded image and {@code resize} it (the reference);
     * otherwise {@code warpAffine} samples the same source positions ((x + 0.5) * scale - 0.5, black
     * outside the image) from the image itself, with no copy; values differ from the reference only by
     * the rounding of the interpolation weights (DetectorInputTest).
     */
    static byte[] detectorInput(Mat img, Pad pad, boolean copy) {
        try (Mat small = new Mat(); Size size = new Size(320, 240)) {
            if (copy) {
                try (Mat padded = pad.apply(img)) {
                    resize(padded, small, size, 0, 0, INTER_LINEAR);
                }
            } else {
                double sx = pad.w / 320.0, sy = pad.h / 240.0;
                try (Mat m = new Mat(2, 3, CV_64FC1); Scalar black = new Scalar(0.0)) {
                    DoubleIndexer ix = m.createIndexer();
                    ix.put(0, 0, sx);
                    ix.put(0, 1, 0);
                    ix.put(0, 2, 0.5 * sx - 0.5 - pad.left);
                    ix.put(1, 0, 0);
                    ix.put(1, 1, sy);
                    ix.put(1, 2, 0.5 * sy - 0.5 - pad.top);
                    ix.release();
                    warpAffine(img, small, m, size, INTER_LINEAR | WARP_INVERSE_MAP, BORDER_CONSTANT, black);
                }
            }
            return Mats.bytes(small);
        }
    }

    /** Black border around an image (left/top offsets, padded size). */
    record Pad(int left, int top, int w, int h) {
        static Pad of(int cols, int rows, float margin, boolean aspect43) {
            int m = Math.round(margin * Math.max(cols, rows));
            int w = cols + 2 * m, h = rows + 2 * m;
            if (aspect43) {
                if (w * 3 < h * 4) {
                    w = (h * 4 + 2) / 3;
                } else {
                    h = (w * 3 + 3) / 4;
                }
            }
            return new Pad((w - cols) / 2, (h - rows) / 2, w, h);
        }

        /** Returns a new Mat (a shallow reference when no padding is needed); caller closes it. */
        Mat apply(Mat img) {
            if (left == 0 && top == 0 && w == img.cols() && h == img.rows()) {
                return new Mat(img);
            }
            Mat out = new Mat();
            try (Scalar black = new Scalar(0.0)) {
                copyMakeBorder(img, out, top, h - img.rows() - top, left, w - img.cols() - left, BORDER_CONSTANT, black);
            }
            return out;
        }
    }

    /** Standard score-ordered greedy NMS with IoU; boxes are {x1,y1,x2,y2,score}. */
    static List<float[]> nms(List<float[]> boxes, float iouThr) {
        float[][] b = boxes.toArray(new float[0][]);
        Arrays.sort(b, (p, q) -> Float.compare(q[4], p[4]));
        boolean[] dead = new boolean[b.length];
        List<float[]> keep = new ArrayList<>();
        for (int i = 0; i < b.length; i++) {
            if (dead[i]) {
                continue;
            }
            keep.add(b[i]);
            float ai = (b[i][2] - b[i][0]) * (b[i][3] - b[i][1]);
            for (int j = i + 1; j < b.length; j++) {
                if (dead[j]) {
                    continue;
                }
                float w = Math.min(b[i][2], b[j][2]) - Math.max(b[i][0], b[j][0]);
                float h = Math.min(b[i][3], b[j][3]) - Math.max(b[i][1], b[j][1]);
                if (w <= 0 || h <= 0) {
                    continue;
                }
                float inter = w * h;
                float aj = (b[j][2] - b[j][0]) * (b[j][3] - b[j][1]);
                if (inter / (ai + aj - inter) > iouThr) {
                    dead[j] = true;
                }
            }
        }
        return keep;
    }
}

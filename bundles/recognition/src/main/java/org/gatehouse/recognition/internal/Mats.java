package org.gatehouse.recognition.internal;

import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;

import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_core.copyMakeBorder;

/** Pixel access and crops of OpenCV images shared by the pipeline's stages. */
final class Mats {

    private Mats() {
    }

    /** The pixels of {@code m}, row by row (interleaved channels). */
    static byte[] bytes(Mat m) {
        byte[] b = new byte[(int) m.total() * m.channels()];
        if (m.isContinuous()) {
            m.data().get(b);
        } else {
            try (Mat c = m.clone()) {
                c.data().get(b);
            }
        }
        return b;
    }

    /**
     * The {@code side x side} square at ({@code x}, {@code y}) of the image extended with black on every side:
     * a view when it lies inside the image, else a copy of the square alone (never of the whole image).
     */
    static Mat paddedCrop(Mat img, int x, int y, int side) {
        int ix1 = Math.max(x, 0), iy1 = Math.max(y, 0);
        int ix2 = Math.min(x + side, img.cols()), iy2 = Math.min(y + side, img.rows());
        if (ix1 == x && iy1 == y && ix2 == x + side && iy2 == y + side) {
            try (Rect roi = new Rect(x, y, side, side)) {
                return new Mat(img, roi);
            }
        }
        try (Scalar black = new Scalar(0.0)) {
            if (ix2 <= ix1 || iy2 <= iy1) {
                return new Mat(side, side, img.type(), black);
            }
            Mat out = new Mat();
            try (Rect roi = new Rect(ix1, iy1, ix2 - ix1, iy2 - iy1); Mat inside = new Mat(img, roi)) {
                copyMakeBorder(inside, out, iy1 - y, y + side - iy2, ix1 - x, x + side - ix2, BORDER_CONSTANT, black);
            }
            return out;
        }
    }

    static int clamp(int v, int lo, int hi) {
        return v < lo ? lo : Math.min(v, hi);
    }
}

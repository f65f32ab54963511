package org.gatehouse.recognition.internal;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgproc.GaussianBlur;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Size;
import org.junit.jupiter.api.Test;

/**
 * Large images reach the detector without a black-bordered full-size copy, and the landmark crop pads only
 * the crop: the detector input matches the reference (copy, then resize) up to interpolation rounding, the
 * landmark crop matches it exactly.
 */
class DetectorInputTest {

    /** Smoothed noise: edges and texture at every scale, like a photo. */
    static Mat photoLike(int cols, int rows) {
        Mat img = new Mat(rows, cols, CV_8UC3);
        byte[] noise = new byte[cols * rows * 3];
        new Random(cols * 31L + rows).nextBytes(noise);
        img.data().put(noise);
        GaussianBlur(img, img, new Size(0, 0), 3.0);
        return img;
    }

    @Test
    void largeImageDetectorInputMatchesThePaddedResize() {
        for (int[] dims : new int[][] {{8000, 5000}, {3000, 4000}, {4001, 2999}}) {
            try (Mat img = photoLike(dims[0], dims[1])) {
                FacepluginDetector.Pad pad = FacepluginDetector.Pad.of(img.cols(), img.rows(), 0.2f, true);
                assertTrue((long) pad.w() * pad.h() > FacepluginDetector.PADDED_COPY_MAX_PIXELS, "takes the direct path");
                byte[] reference = FacepluginDetector.detectorInput(img, pad, true);
                byte[] direct = FacepluginDetector.detectorInput(img, pad, false);
                int max = 0;
                long sum = 0;
                for (int i = 0; i < reference.length; i++) {
                    int d = Math.abs((reference[i] & 0xFF) - (direct[i] & 0xFF));
                    max = Math.max(max, d);
                    sum += d;
                }
                double mean = (double) sum / reference.length;
                System.out.printf("DetectorInputTest %dx%d: direct vs padded resize, largest difference %d, mean %.4f%n",
                        dims[0], dims[1], max, mean);
                assertTrue(max <= 2 && mean < 0.1, dims[0] + "x" + dims[1] + ": largest difference " + max
                        + " grey levels, mean " + mean);
            }
        }
    }

    @Test
    void landmarkCropEqualsTheCropOfThePaddedImage() {
        try (Mat img = photoLike(640, 480)) {
            int side = 200;
            // inside, across each edge, across corners, larger than the overlap
            int[][] corners = {{100, 100}, {-50, 100}, {500, 100}, {100, -70}, {100, 400}, {-30, -40}, {520, 390}};
            for (int[] c : corners) {
                int padL = Math.max(0, -c[0]), padT = Math.max(0, -c[1]);
                int padR = Math.max(0, c[0] + side - img.cols()), padB = Math.max(0, c[1] + side - img.rows());
                FacepluginDetector.Pad pad = new FacepluginDetector.Pad(padL, padT, img.cols() + padL + padR, img.rows() + padT + padB);
                try (Mat padded = pad.apply(img); Rect roi = new Rect(c[0] + padL, c[1] + padT, side, side);
                     Mat expected = new Mat(padded, roi).clone(); Mat crop = Mats.paddedCrop(img, c[0], c[1], side);
                     Mat actual = crop.clone()) {
                    assertArrayEquals(Mats.bytes(expected), Mats.bytes(actual), c[0] + "," + c[1]);
                }
            }
        }
    }
}

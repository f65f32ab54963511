package org.gatehouse.recognition.internal;

import org.bytedeco.javacpp.indexer.DoubleIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.gatehouse.recognition.internal.geom.Similarity;

import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_core.CV_64FC1;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.warpAffine;

/**
 * 5-point alignment: the least-squares similarity transform ({@link Similarity}, plain Java, no RANSAC)
 * of the eyes, nose and mouth corners onto the ArcFace 112x112 template, applied with {@code warpAffine}
 * (bilinear, black border).
 */
final class Aligner {

    static final int SIZE = 112;
    static final int DLIB_SIZE = 150;

    private Aligner() {
    }

    /** The aligned 112x112 BGR face (interleaved bytes) of {@code img} with its five points. */
    static byte[] align(Mat img, float[][] five) {
        return align(img, five, Similarity.ARCFACE_112, SIZE);
    }

    /** The 150x150 BGR dlib face chip ({@link Similarity#DLIB_150}), the second embedder's input. */
    static byte[] alignDlib(Mat img, float[][] five) {
        return align(img, five, Similarity.DLIB_150, DLIB_SIZE);
    }

    private static byte[] align(Mat img, float[][] five, double[][] template, int size) {
        double[][] src = new double[5][];
        for (int i = 0; i < 5; i++) {
            src[i] = new double[] {five[i][0], five[i][1]};
        }
        double[] m = Similarity.estimate(src, template);
        try (Mat mm = new Mat(2, 3, CV_64FC1); Mat out = new Mat(); Size sz = new Size(size, size);
             Scalar black = new Scalar(0.0)) {
            DoubleIndexer ix = mm.createIndexer();
            for (int i = 0; i < 6; i++) {
                ix.put(i / 3, i % 3, m[i]);
            }
            ix.release();
            warpAffine(img, out, mm, sz, INTER_LINEAR, BORDER_CONSTANT, black);
            return Mats.bytes(out);
        }
    }
}

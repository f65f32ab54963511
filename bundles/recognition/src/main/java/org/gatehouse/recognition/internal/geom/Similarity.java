package org.gatehouse.recognition.internal.geom;

/**
 * Least-squares 2-D similarity transform (rotation, uniform scale, translation; no reflection,
 * no RANSAC) mapping source points onto destination points.
 */
public final class Similarity {

    /** ArcFace 112x112 reference points: eye, eye, nose, mouth corner, mouth corner. */
    public static final double[][] ARCFACE_112 = {
        {38.2946, 51.6963}, {73.5318, 51.5014}, {56.0252, 71.7366}, {41.5493, 92.3655}, {70.7299, 92.2041}};

    /**
     * dlib's 150x150 face chip with padding 0.25 ({@code get_face_chip_details(shape, 150, 0.25)}), the input of
     * dlib's and face-api.js's recognition ResNet: the points of dlib's mean face shape (unit square) that match these
     * five — eye centres (mean of each eye's six contour points), nose tip (point 30), mouth corners (48, 54) — at
     * {@code (0.25 + p) * 150 / 1.5}, then scaled by 1.06 about the centre (75, 75): these five points are not
     * exactly dlib's, and a sweep of scale 0.85-1.15 and vertical shift -6..6 px on lfw7 (all pairs, the second
     * embedder alone) put the best at 1.05-1.07, no shift: TAR at FAR 10^-3 95.5 % unscaled, 97.0 % at 1.06.
     */
    public static final double[][] DLIB_150 = {
        {45.90, 44.90}, {102.01, 44.90}, {73.95, 76.65}, {48.93, 104.70}, {98.97, 104.70}};

    private Similarity() {
    }

    /**
     * Returns the 2x3 row-major matrix [a, -b, tx, b, a, ty] minimising
     * sum |(a -b; b a) p_i + t - q_i|^2.
     */
    public static double[] estimate(double[][] src, double[][] dst) {
        int n = src.length;
        if (n != dst.length || n < 2) {
            throw new IllegalArgumentException("need >= 2 point pairs");
        }
        double sx = 0, sy = 0, dx = 0, dy = 0;
        for (int i = 0; i < n; i++) {
            sx += src[i][0];
            sy += src[i][1];
            dx += dst[i][0];
            dy += dst[i][1];
        }
        sx /= n;
        sy /= n;
        dx /= n;
        dy /= n;
        double num1 = 0, num2 = 0, den = 0;
        for (int i = 0; i < n; i++) {
            double px = src[i][0] - sx, py = src[i][1] - sy;
            double qx = dst[i][0] - dx, qy = dst[i][1] - dy;
            num1 += px * qx + py * qy;
            num2 += px * qy - py * qx;
            den += px * px + py * py;
        }
        if (den < 1e-12) {
            throw new IllegalArgumentException("degenerate points");
        }
        double a = num1 / den;
        double b = num2 / den;
        double tx = dx - (a * sx - b * sy);
        double ty = dy - (b * sx + a * sy);
        return new double[] {a, -b, tx, b, a, ty};
    }

    public static double[] apply(double[] m, double x, double y) {
        return new double[] {m[0] * x + m[1] * y + m[2], m[3] * x + m[4] * y + m[5]};
    }
}

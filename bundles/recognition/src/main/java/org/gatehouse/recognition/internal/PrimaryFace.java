package org.gatehouse.recognition.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Which of the faces in a frame the door is about (the primary face: what {@code embed} identifies and
 * {@code enrollmentTemplate} enrolls). Each face gets a log-score, the sum of four independent terms, and
 * the highest wins:
 *
 * <pre>
 *   score = 2 ln(side / largest side)                       size: log of its area relative to the largest face
 *         - d^2 / (2 CENTRE_SIGMA^2)                         centrality: d = distance of the box centre from the
 *                                                            image centre / half the shorter image side
 *         + ln(detector score)                               detection confidence (0.65..1: at most -0.43)
 *         - max(0, |yaw| - YAW_FREE)^2 / (2 YAW_SIGMA^2)     pose: yaw proxy from the five points (QualityGate)
 * </pre>
 *
 * Read as a likelihood: the person at the door is near (area), in front of the camera (a Gaussian
 * around the centre, sigma = 0.4 of half the shorter side: a face at the edge of the shorter side needs ~4.7x
 * the side of a centred one to win), clearly a face, and facing the camera; a moderately turned head
 * (|yaw| up to 0.4, where the subject of a photo often is) costs nothing, a profile a lot (yaw 0.7: -2,
 * 1.0: -8). Measured on every frame with several faces of lfw7-full and lfw-dev (300 frames where the
 * labelled person is known): 0 wrong choices, against 11 for the previous rule (largest face, centre only
 * as a tie-break within 10 % of its area), which picked a bigger bystander beside the person.
 *
 * <p>Cost: the pose term needs the five points; they are computed in the order of the score without the
 * pose (its upper bound) and only while a face could still win, and kept on the face (the primary's are
 * needed anyway): extra landmark runs only when the best-placed face is turned more than {@code YAW_FREE}.
 */
final class PrimaryFace {

    /** Centrality: sigma of the Gaussian around the image centre, in half the shorter image side. */
    static final double CENTRE_SIGMA = 0.4;
    /** Pose: |yaw| (nose offset along the eye line / eye distance) that costs nothing. */
    static final double YAW_FREE = 0.4;
    /** Pose: scale of the penalty beyond {@link #YAW_FREE}. */
    static final double YAW_SIGMA = 0.15;

    /** The five points of a face (the landmark network; called only for faces that could still win). */
    interface FivePoints {
        float[][] of(Face f);
    }

    private PrimaryFace() {
    }

    /**
     * The faces with the primary first, the others largest first. Sets {@link Face#five} on the faces whose
     * pose was needed ({@code landmarks} may be null: then only faces that already have five points get the
     * pose term).
     */
    static List<Face> order(List<Face> faces, int cols, int rows, FivePoints landmarks) {
        List<Face> list = new ArrayList<>(faces);
        list.sort(Comparator.comparingDouble((Face f) -> f.side).reversed());
        if (list.size() < 2) {
            return list;
        }
        float maxSide = list.get(0).side;
        List<Face> byPrior = new ArrayList<>(list);
        byPrior.sort(Comparator.comparingDouble((Face f) -> prior(f, maxSide, cols, rows)).reversed());
        Face best = null;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (Face f : byPrior) {
            double prior = prior(f, maxSide, cols, rows);
            if (prior <= bestScore) {
                break; // the pose term only lowers a score: no face from here on can win
            }
            if (f.five == null && landmarks != null) {
                f.five = landmarks.of(f);
            }
            double s = prior - (f.five == null ? 0 : posePenalty(QualityGate.yaw(f.five)));
            if (s > bestScore) {
                bestScore = s;
                best = f;
            }
        }
        list.remove(best);
        list.add(0, best);
        return list;
    }

    /** Size, centrality and detection terms of the score (everything but the pose). */
    static double prior(Face f, float maxSide, int cols, int rows) {
        double half = 0.5 * Math.max(1, Math.min(cols, rows));
        double d = Math.hypot(f.cx - cols / 2.0, f.cy - rows / 2.0) / half;
        return 2 * Math.log(Math.max(f.side, 1e-3f) / maxSide)
                - d * d / (2 * CENTRE_SIGMA * CENTRE_SIGMA)
                + Math.log(Math.max(f.score, 1e-3f));
    }

    /** Pose term: 0 up to |yaw| = {@link #YAW_FREE}, then quadratic. */
    static double posePenalty(float yaw) {
        double ex = Math.max(0, Math.abs(yaw) - YAW_FREE);
        return ex * ex / (2 * YAW_SIGMA * YAW_SIGMA);
    }
}

package org.gatehouse.recognition.bench;

import java.util.Arrays;
import java.util.List;

/**
 * Arithmetic of the separation benchmark ({@link SeparationBench}); pure, no engine. A decision rule turns one search
 * into a single decision score (accept when score &ge; t, as {@link OpenSetMetrics}); rules that reject a search
 * outright (margin too small, two frames disagree) give it {@link Float#NEGATIVE_INFINITY}.
 */
public final class SeparationMetrics {

    private SeparationMetrics() {
    }

    /** How a subject's several template scores become one. */
    public enum Fusion { MAX, MEAN }

    /**
     * One search against a gallery, by subject: {@code subjectScores[s]} is the fused score of subject s, {@code best}
     * the best subject's index, {@code second} the second-best subject's score (-inf with one subject).
     */
    public record Ranked(int best, float bestScore, float second, float[] subjectScores) {
    }

    /** Fuses the template scores per subject ({@code subjectOf[i]} in 0..subjects-1) and ranks the subjects. */
    public static Ranked rank(float[] templateScores, int[] subjectOf, int subjects, Fusion fusion) {
        float[] sum = new float[subjects];
        int[] count = new int[subjects];
        Arrays.fill(sum, fusion == Fusion.MAX ? Float.NEGATIVE_INFINITY : 0f);
        for (int i = 0; i < templateScores.length; i++) {
            int s = subjectOf[i];
            sum[s] = fusion == Fusion.MAX ? Math.max(sum[s], templateScores[i]) : sum[s] + templateScores[i];
            count[s]++;
        }
        if (fusion == Fusion.MEAN) {
            for (int s = 0; s < subjects; s++) {
                sum[s] = count[s] == 0 ? Float.NEGATIVE_INFINITY : sum[s] / count[s];
            }
        }
        int best = -1;
        float b = Float.NEGATIVE_INFINITY;
        float second = Float.NEGATIVE_INFINITY;
        for (int s = 0; s < subjects; s++) {
            if (count[s] == 0) {
                continue;
            }
            if (best < 0 || sum[s] > b) {
                second = b;
                b = sum[s];
                best = s;
            } else if (sum[s] > second) {
                second = sum[s];
            }
        }
        return new Ranked(best, b, second, sum);
    }

    /** The best score when it leads the second-best subject by at least m, else -inf (rejected whatever t). */
    public static float withMargin(Ranked r, double m) {
        return r.bestScore() - r.second() >= (float) m ? r.bestScore() : Float.NEGATIVE_INFINITY;
    }

    /**
     * Mean and (population) standard deviation of the probe's cohort: the k highest subject scores other than the
     * best subject's (all of them when k exceeds their number).
     */
    public static double[] cohort(Ranked r, int k) {
        float[] others = new float[r.subjectScores().length - 1];
        int j = 0;
        for (int s = 0; s < r.subjectScores().length; s++) {
            if (s != r.best()) {
                others[j++] = r.subjectScores()[s];
            }
        }
        Arrays.sort(others, 0, j);
        int n = Math.min(k, j);
        double sum = 0;
        double sq = 0;
        for (int i = j - n; i < j; i++) {
            sum += others[i];
        }
        double mean = sum / n;
        for (int i = j - n; i < j; i++) {
            sq += (others[i] - mean) * (others[i] - mean);
        }
        return new double[] {mean, Math.sqrt(sq / n)};
    }

    /** Z-norm of the best score against the probe's top-k cohort: (best - mean) / sd. */
    public static float zNorm(Ranked r, int k) {
        double[] c = cohort(r, k);
        return (float) ((r.bestScore() - c[0]) / Math.max(c[1], 1e-6));
    }

    /** A probe-specific threshold t + alpha·(cohort mean), written as a score: best - alpha·mean (accept when &ge; t). */
    public static float cohortShift(Ranked r, int k, double alpha) {
        return (float) (r.bestScore() - alpha * cohort(r, k)[0]);
    }

    /** A stricter threshold (t + delta) for a poor face: written as a score, best - delta when poor. */
    public static float qualityPenalty(float best, boolean poor, double delta) {
        return poor ? (float) (best - delta) : best;
    }

    /**
     * Two frames of one passage must name the same subject: the lower of their best scores when they agree, else -inf.
     * For a mated passage it is a hit when both name the person ({@code correct} of the result).
     */
    public static OpenSetMetrics.Mated agree(int subject1, float score1, int subject2, float score2, boolean person) {
        boolean same = subject1 == subject2;
        return new OpenSetMetrics.Mated(false, same && person, same ? Math.min(score1, score2) : Float.NEGATIVE_INFINITY);
    }

    /** Two frames' searches fused by subject: each subject's mean score over the frames, ranked again. */
    public static Ranked meanOfFrames(Ranked a, Ranked b) {
        int n = a.subjectScores().length;
        float[] mean = new float[n];
        int[] id = new int[n];
        for (int s = 0; s < n; s++) {
            mean[s] = (a.subjectScores()[s] + b.subjectScores()[s]) / 2;
            id[s] = s;
        }
        return rank(mean, id, n, Fusion.MAX);
    }

    /** Stranger counterpart of {@link #agree}: the lower best score when both frames name the same subject, else -inf. */
    public static float agree(int subject1, float score1, int subject2, float score2) {
        return subject1 == subject2 ? Math.min(score1, score2) : Float.NEGATIVE_INFINITY;
    }

    /**
     * The smallest threshold whose measured FPIR is &le; p: at most floor(p·S) of the S stranger scores may reach it, so
     * it sits just above the next-highest stranger score; -Float.MAX_VALUE when every finite score may pass.
     */
    public static double thresholdForFpir(float[] strangerScores, double p) {
        float[] desc = strangerScores.clone();
        Arrays.sort(desc);
        int s = desc.length;
        int allowed = (int) Math.floor(p * s + 1e-9);
        float rejected = allowed >= s ? Float.NEGATIVE_INFINITY : desc[s - 1 - allowed]; // (allowed+1)-th highest
        // -inf (outright rejections) stay rejected at the lowest finite threshold
        return rejected == Float.NEGATIVE_INFINITY ? -Float.MAX_VALUE : Math.nextUp(rejected);
    }

    /**
     * The largest threshold whose FNIR is &le; q: at least ceil((1 - q)·M) of the M mated searches must be hits (right
     * subject, score &ge; t). NaN when even t = -inf misses too many (rank-1 misses and outright rejections).
     */
    public static double thresholdForFnir(List<OpenSetMetrics.Mated> mated, double q) {
        int m = mated.size();
        int need = (int) Math.ceil((1 - q) * m - 1e-9);
        float[] hits = new float[m];
        int h = 0;
        for (OpenSetMetrics.Mated x : mated) {
            if (!x.refused() && x.rank1() && x.best() != Float.NEGATIVE_INFINITY) {
                hits[h++] = x.best();
            }
        }
        if (need <= 0) {
            return Float.MAX_VALUE;
        }
        if (h < need) {
            return Double.NaN;
        }
        Arrays.sort(hits, 0, h);
        return hits[h - need]; // the need-th highest hit
    }

    /**
     * The operating points of one rule: rank-1 (of the searches), FNIR at measured FPIR 0.5 % and 1 %, FPIR at FNIR 3 %,
     * and the thresholds (on the rule's own score scale) they sit at.
     */
    public record Point(double rank1, double t05, double fnir05, double t1, double fnir1, double tFnir3,
                        double fpirAtFnir3, int mated, int strangers) {
    }

    public static Point evaluate(List<OpenSetMetrics.Mated> mated, float[] strangerScores) {
        OpenSetMetrics m = new OpenSetMetrics(new float[0], new float[0], mated, strangerScores, 0);
        double t05 = thresholdForFpir(strangerScores, 0.005);
        double t1 = thresholdForFpir(strangerScores, 0.01);
        double t3 = thresholdForFnir(mated, 0.03);
        return new Point(m.rank1(), t05, m.fnir(t05), t1, m.fnir(t1), t3, Double.isNaN(t3) ? Double.NaN : m.fpir(t3),
                mated.size(), strangerScores.length);
    }

    /** Unit vector of the mean of unit templates (the "mean template" of a subject). */
    public static float[] meanTemplate(List<float[]> vs) {
        float[] mean = new float[vs.get(0).length];
        for (float[] v : vs) {
            for (int i = 0; i < mean.length; i++) {
                mean[i] += v[i];
            }
        }
        double n = 0;
        for (float x : mean) {
            n += (double) x * x;
        }
        float inv = (float) (1 / Math.sqrt(n));
        for (int i = 0; i < mean.length; i++) {
            mean[i] *= inv;
        }
        return mean;
    }
}

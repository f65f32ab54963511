package org.gatehouse.recognition.bench;

import java.util.Arrays;
import java.util.List;

/**
 * Open-set (1:N with strangers) error rates from raw scores; pure arithmetic, no engine.
 * A score meets a threshold t when {@code score >= (float) t}, the comparison the face registry makes
 * ({@code best.score() >= threshold}, both floats).
 *
 * <ul>
 *   <li>FMR(t): impostor comparisons (template of one person against a gallery template of another) with
 *       score &ge; t, over all impostor comparisons.</li>
 *   <li>FNMR(t): genuine comparisons (probe against its own person's gallery template) with score &lt; t.</li>
 *   <li>FNIR(t): mated searches that are misses: the photo was refused by the engine, or the best candidate is
 *       not the person, or the best score is below t; over all mated searches (refused ones included).</li>
 *   <li>FPIR(t): stranger searches whose best score is &ge; t, over the strangers the engine gave a template.</li>
 *   <li>FPIR(N, t) = 1 &minus; (1 &minus; FMR(t))^N: the FPIR a gallery of N templates would have if a stranger's
 *       N comparisons were independent.</li>
 * </ul>
 */
public final class OpenSetMetrics {

    /** One mated search: refused by the engine, or the best candidate (is it the person?) and its score. */
    public record Mated(boolean refused, boolean rank1, float best) {
        public static Mated refusedPhoto() {
            return new Mated(true, false, Float.NaN);
        }
    }

    private final float[] genuine;
    private final float[] impostor;
    private final float[] hitScores;      // best score of the mated searches whose best candidate is the person
    private final float[] wrongScores;    // best score of the mated searches whose best candidate is someone else
    private final int mated;
    private final int matedRefused;
    private final float[] strangerBest;
    private final int strangersRefused;

    public OpenSetMetrics(float[] genuine, float[] impostor, List<Mated> matedSearches, float[] strangerBest,
                          int strangersRefused) {
        this.genuine = sorted(genuine);
        this.impostor = sorted(impostor);
        this.mated = matedSearches.size();
        this.matedRefused = (int) matedSearches.stream().filter(Mated::refused).count();
        this.hitScores = sorted(toArray(matedSearches.stream().filter(m -> !m.refused() && m.rank1()).toList()));
        this.wrongScores = sorted(toArray(matedSearches.stream().filter(m -> !m.refused() && !m.rank1()).toList()));
        this.strangerBest = sorted(strangerBest);
        this.strangersRefused = strangersRefused;
    }

    private static float[] toArray(List<Mated> l) {
        float[] a = new float[l.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = l.get(i).best();
        }
        return a;
    }

    private static float[] sorted(float[] a) {
        float[] c = a.clone();
        Arrays.sort(c);
        return c;
    }

    /** Number of elements of an ascending array that are &ge; t (compared as floats). */
    static int countAtLeast(float[] asc, double t) {
        float ft = (float) t;
        int lo = 0;
        int hi = asc.length;
        while (lo < hi) { // first index with asc[i] >= ft
            int mid = (lo + hi) >>> 1;
            if (asc[mid] < ft) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return asc.length - lo;
    }

    public int impostorComparisons() {
        return impostor.length;
    }

    public int genuineComparisons() {
        return genuine.length;
    }

    public int matedSearches() {
        return mated;
    }

    public int matedRefused() {
        return matedRefused;
    }

    public int strangerSearches() {
        return strangerBest.length;
    }

    public int strangersRefused() {
        return strangersRefused;
    }

    /** Impostor comparisons with score &ge; t. */
    public int impostorsAtLeast(double t) {
        return countAtLeast(impostor, t);
    }

    public double fmr(double t) {
        return impostor.length == 0 ? Double.NaN : (double) countAtLeast(impostor, t) / impostor.length;
    }

    public double fnmr(double t) {
        return genuine.length == 0 ? Double.NaN : (double) (genuine.length - countAtLeast(genuine, t)) / genuine.length;
    }

    /** FNIR over every mated search, refused photos counted as misses. */
    public double fnir(double t) {
        return mated == 0 ? Double.NaN : 1.0 - (double) countAtLeast(hitScores, t) / mated;
    }

    /** FNIR over the mated searches the engine answered (refused photos left out). */
    public double fnirAnswered(double t) {
        int n = mated - matedRefused;
        return n == 0 ? Double.NaN : 1.0 - (double) countAtLeast(hitScores, t) / n;
    }

    /** Mated searches whose best candidate is someone else with score &ge; t (the wrong person let in). */
    public int matedWrongAccepted(double t) {
        return countAtLeast(wrongScores, t);
    }

    /** Rank-1 identification rate without a threshold, refused photos counted as misses. */
    public double rank1() {
        return mated == 0 ? Double.NaN : (double) hitScores.length / mated;
    }

    /** Rank-1 identification rate over the mated searches the engine answered. */
    public double rank1Answered() {
        int n = mated - matedRefused;
        return n == 0 ? Double.NaN : (double) hitScores.length / n;
    }

    public double fpir(double t) {
        return strangerBest.length == 0 ? Double.NaN : (double) countAtLeast(strangerBest, t) / strangerBest.length;
    }

    /** 1 − (1 − fmr)^n, computed without losing the small values. */
    public static double fpirExtrapolated(double fmr, double n) {
        if (fmr <= 0) {
            return 0;
        }
        if (fmr >= 1) {
            return 1;
        }
        return -Math.expm1(n * Math.log1p(-fmr));
    }

    /** The FMR at which fpirExtrapolated(fmr, n) equals the target FPIR: 1 − (1 − target)^(1/n). */
    public static double fmrForFpir(double targetFpir, double n) {
        return -Math.expm1(Math.log1p(-targetFpir) / n);
    }

    /**
     * How much more often strangers are accepted than independent comparisons predict: the largest ratio, over the
     * grid points where at least {@code minStrangers} strangers reached t, of the measured −ln(1 − FPIR) to
     * n·−ln(1 − FMR) — the number of "effective comparisons" per template (look-alikes make a stranger's comparisons
     * correlated). At least 1; 1 when no grid point qualifies.
     */
    public double comparisonFactor(double[] grid, double n, int minStrangers) {
        double factor = 1;
        for (double t : grid) {
            int reached = countAtLeast(strangerBest, t);
            double fmr = fmr(t);
            if (reached < minStrangers || fmr <= 0 || reached >= strangerBest.length) {
                continue;
            }
            double measured = -Math.log1p(-(double) reached / strangerBest.length);
            double predicted = -n * Math.log1p(-fmr);
            factor = Math.max(factor, measured / predicted);
        }
        return factor;
    }

    /** Smallest FMR this score set can show apart from 0: one impostor comparison. */
    public double smallestMeasurableFmr() {
        return 1.0 / impostor.length;
    }

    /**
     * The smallest threshold of the ascending grid whose extrapolated FPIR at gallery size n is &le; target,
     * or NaN when none is.
     */
    public double thresholdFor(double targetFpir, double n, double[] grid) {
        for (double t : grid) {
            if (fpirExtrapolated(fmr(t), n) <= targetFpir) {
                return t;
            }
        }
        return Double.NaN;
    }

    /**
     * Whether the FMR a target needs can be told apart from 0 with these impostors: the needed FMR is at least one
     * impostor comparison. When it is not, {@link #thresholdFor} only gives the threshold where the measured FMR
     * became 0, a lower bound.
     */
    public boolean measurable(double targetFpir, double n) {
        return fmrForFpir(targetFpir, n) * impostor.length >= 1.0;
    }

    /**
     * Exponential tail fitted to the impostors: ln FMR(t) = a + b·t, least squares over the grid points whose FMR
     * rests on at least {@code minCount} impostor comparisons and is at most {@code maxFmr}. Null with fewer
     * than 3 such points.
     */
    public double[] tailFit(double[] grid, int minCount, double maxFmr) {
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double sxy = 0;
        int n = 0;
        for (double t : grid) {
            int c = countAtLeast(impostor, t);
            double f = (double) c / impostor.length;
            if (c >= minCount && f <= maxFmr) {
                double y = Math.log(f);
                sx += t;
                sy += y;
                sxx += t * t;
                sxy += t * y;
                n++;
            }
        }
        if (n < 3) {
            return null;
        }
        double b = (n * sxy - sx * sy) / (n * sxx - sx * sx);
        double a = (sy - b * sx) / n;
        return new double[] {a, b};
    }

    /** Threshold at which a fitted tail {a, b} reaches the FMR. */
    public static double tailThreshold(double[] fit, double fmr) {
        return (Math.log(fmr) - fit[0]) / fit[1];
    }

    /** Grid from..to (inclusive) in steps, values rounded to 1e-6 so that 0.45 is 0.45. */
    public static double[] grid(double from, double to, double step) {
        int n = (int) Math.round((to - from) / step) + 1;
        double[] g = new double[n];
        for (int i = 0; i < n; i++) {
            g[i] = Math.round((from + i * step) * 1e6) / 1e6;
        }
        return g;
    }
}

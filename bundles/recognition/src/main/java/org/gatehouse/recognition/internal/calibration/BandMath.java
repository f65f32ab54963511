package org.gatehouse.recognition.internal.calibration;

import org.gatehouse.recognition.api.OperatingBands;

/**
 * Operating bands from a model's {@link Calibration}. A stranger searched against a gallery of N templates is accepted
 * if any of the N comparisons matches: FPIR(N, t) = 1 − (1 − FMR(t))^N (comparisons taken as independent), so the
 * accept threshold for a target FPIR is where the per-comparison FMR is 1 − (1 − target)^(1/N). Below the measured
 * impostor tail (where too few impostor pairs reach a threshold to count) FMR(t) is the tail's exponential fit,
 * N is the template count times the calibration's comparison factor (strangers measured more often accepted than
 * independent comparisons predict), and below the measured
 * anchored at the last reliable point, and the bands say so ({@link OperatingBands#extrapolated()}).
 */
public final class BandMath {
    /** A grid point's FMR is trusted when at least this many impostor comparisons reached it. */
    static final double RELIABLE_COUNT = 10;
    /** The tail is fitted on the reliable points at or below this FMR. */
    static final double TAIL_FROM = 1e-2;

    private final Calibration c;
    /** Last grid index whose FMR is reliable. */
    private final int lastReliable;
    /** Slope of ln FMR over the threshold in the tail (negative), NaN when it cannot be fitted. */
    private final double slope;

    public BandMath(Calibration calibration) {
        this.c = calibration;
        double reliable = RELIABLE_COUNT * calibration.floor();
        int last = 0;
        for (int i = 0; i < c.thresholds().length; i++) {
            if (c.falseMatchRate()[i] >= reliable) {
                last = i;
            }
        }
        this.lastReliable = last;
        this.slope = fitTail(reliable);
    }

    private double fitTail(double reliable) {
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        int n = 0;
        for (int i = 0; i <= lastReliable; i++) {
            double f = c.falseMatchRate()[i];
            if (f >= reliable && f <= TAIL_FROM) {
                double x = c.thresholds()[i];
                double y = Math.log(f);
                sx += x;
                sy += y;
                sxx += x * x;
                sxy += x * y;
                n++;
            }
        }
        if (n < 3) {
            return Double.NaN;
        }
        double b = (n * sxy - sx * sy) / (n * sxx - sx * sx);
        return b < 0 ? b : Double.NaN;
    }

    /** The per-comparison FMR at which a gallery of {@code comparisons} has the FPIR {@code target}. */
    public static double perComparison(double target, int comparisons) {
        return -Math.expm1(Math.log1p(-target) / Math.max(1, comparisons));
    }

    /** The FPIR of a gallery of {@code comparisons} templates at a per-comparison FMR. */
    public static double fpir(double fmr, int comparisons) {
        return comparisons <= 0 ? 0 : -Math.expm1(comparisons * Math.log1p(-Math.min(fmr, 1 - 1e-15)));
    }

    /** The per-comparison FMR at {@code t}: measured (log-linear between grid points), or the fitted tail. */
    public double fmr(double t) {
        double[] x = c.thresholds();
        double[] f = c.falseMatchRate();
        if (t <= x[0]) {
            return f[0];
        }
        if (t > x[lastReliable]) {
            if (Double.isNaN(slope)) {
                return t <= x[x.length - 1] ? interpolate(t) : 0;
            }
            return f[lastReliable] * Math.exp(slope * (t - x[lastReliable]));
        }
        return interpolate(t);
    }

    private double interpolate(double t) {
        double[] x = c.thresholds();
        double[] f = c.falseMatchRate();
        for (int i = 1; i < x.length; i++) {
            if (t <= x[i]) {
                double w = (t - x[i - 1]) / (x[i] - x[i - 1]);
                if (f[i] > 0 && f[i - 1] > 0) {
                    return Math.exp(Math.log(f[i - 1]) + w * (Math.log(f[i]) - Math.log(f[i - 1])));
                }
                return f[i - 1] + w * (f[i] - f[i - 1]);
            }
        }
        return f[f.length - 1];
    }

    /** The share of genuine comparisons below {@code t} (linear between grid points). */
    public double fnmr(double t) {
        double[] x = c.thresholds();
        double[] g = c.falseNonMatchRate();
        if (t <= x[0]) {
            return g[0];
        }
        for (int i = 1; i < x.length; i++) {
            if (t <= x[i]) {
                double w = (t - x[i - 1]) / (x[i] - x[i - 1]);
                return g[i - 1] + w * (g[i] - g[i - 1]);
            }
        }
        return g[g.length - 1];
    }

    /** The smallest threshold whose FMR is at most {@code fmr}, and whether it lies in the fitted tail. */
    public Threshold thresholdFor(double fmr) {
        double[] x = c.thresholds();
        double[] f = c.falseMatchRate();
        if (fmr >= f[0]) {
            return new Threshold(x[0], false);
        }
        if (fmr >= f[lastReliable]) {
            for (int i = 1; i <= lastReliable; i++) {
                if (f[i] <= fmr) {
                    // log-linear between i-1 and i
                    double w = (Math.log(fmr) - Math.log(f[i - 1])) / (Math.log(f[i]) - Math.log(f[i - 1]));
                    return new Threshold(x[i - 1] + w * (x[i] - x[i - 1]), false);
                }
            }
        }
        if (Double.isNaN(slope)) {
            for (int i = lastReliable; i < x.length; i++) {
                if (f[i] <= fmr) {
                    return new Threshold(x[i], true);
                }
            }
            return new Threshold(x[x.length - 1], true);
        }
        double t = x[lastReliable] + Math.log(fmr / f[lastReliable]) / slope;
        return new Threshold(Math.min(t, 1.0), true);
    }

    /**
     * The bands of a gallery of {@code templates} templates for a target FPIR and the false-match rate of one 1:1
     * check; the accept threshold is never below the 1:1 one.
     */
    public OperatingBands bands(String communityId, int templates, double targetFpir, double verifyFmr) {
        // each template counts for comparisonFactor independent comparisons (measured: look-alikes correlate them)
        int comparisons = (int) Math.min(Integer.MAX_VALUE, Math.ceil(Math.max(1, templates) * c.comparisonFactor()));
        Threshold accept = thresholdFor(perComparison(targetFpir, comparisons));
        Threshold verify = thresholdFor(verifyFmr);
        double a = Math.max(accept.value(), verify.value());
        return new OperatingBands(communityId, templates, targetFpir, (float) a, (float) verify.value(),
                (float) verify.value(), templates <= 0 ? 0 : fpir(fmr(a), comparisons), fnmr(a), fmr(verify.value()),
                accept.extrapolated() && accept.value() >= verify.value(), c.modelId() + ", measured on " + c.dataset());
    }

    /** A threshold, and whether it comes from the fitted tail rather than measured scores. */
    public record Threshold(double value, boolean extrapolated) {
    }
}

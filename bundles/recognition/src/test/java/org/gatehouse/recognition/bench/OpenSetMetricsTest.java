package org.gatehouse.recognition.bench;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The open-set arithmetic of the benchmark on a hand-made score set (no engine, no data). */
class OpenSetMetricsTest {

    static final float[] GENUINE = {0.30f, 0.50f, 0.60f, 0.80f};
    static final float[] IMPOSTOR = {0.10f, 0.20f, 0.30f, 0.40f, 0.50f, 0.10f, 0.20f, 0.30f, 0.40f, 0.46f};
    static final List<OpenSetMetrics.Mated> MATED = List.of(
            new OpenSetMetrics.Mated(false, true, 0.80f),
            new OpenSetMetrics.Mated(false, true, 0.50f),
            new OpenSetMetrics.Mated(false, false, 0.55f), // best candidate is someone else
            OpenSetMetrics.Mated.refusedPhoto(),
            new OpenSetMetrics.Mated(false, true, 0.44f));
    static final float[] STRANGERS = {0.20f, 0.46f, 0.50f, 0.30f};

    static OpenSetMetrics metrics() {
        return new OpenSetMetrics(GENUINE, IMPOSTOR, MATED, STRANGERS, 1);
    }

    @Test
    void comparisonRates() {
        OpenSetMetrics m = metrics();
        assertEquals(10, m.impostorComparisons());
        assertEquals(4, m.genuineComparisons());
        assertEquals(0.2, m.fmr(0.45), 1e-12);   // 0.50, 0.46
        assertEquals(0.1, m.fmr(0.50), 1e-12);   // a score equal to t counts as a match
        assertEquals(0.6, m.fmr(0.30), 1e-12);   // 0.30 (twice), 0.40 (twice), 0.46, 0.50
        assertEquals(0.0, m.fmr(0.51), 1e-12);
        assertEquals(1.0, m.fmr(0.0), 1e-12);
        assertEquals(0.25, m.fnmr(0.45), 1e-12); // 0.30
        assertEquals(0.25, m.fnmr(0.50), 1e-12); // 0.50 is not a non-match
        assertEquals(0.50, m.fnmr(0.60), 1e-12);
        assertEquals(1.0, m.fnmr(0.81), 1e-12);
        assertEquals(0.1, m.smallestMeasurableFmr(), 1e-12);
        assertEquals(2, m.impostorsAtLeast(0.45));
    }

    @Test
    void identificationRates() {
        OpenSetMetrics m = metrics();
        assertEquals(5, m.matedSearches());
        assertEquals(1, m.matedRefused());
        assertEquals(0.6, m.rank1(), 1e-12);          // 3 of 5
        assertEquals(0.75, m.rank1Answered(), 1e-12); // 3 of 4
        // hits at 0.45: 0.80 and 0.50; misses: wrong best, refused, 0.44 below t
        assertEquals(0.6, m.fnir(0.45), 1e-12);
        assertEquals(0.5, m.fnirAnswered(0.45), 1e-12);
        assertEquals(0.4, m.fnir(0.0), 1e-12);        // the wrong best and the refused photo stay misses
        assertEquals(1.0, m.fnir(0.9), 1e-12);
        assertEquals(1, m.matedWrongAccepted(0.45));
        assertEquals(0, m.matedWrongAccepted(0.6));
        assertEquals(4, m.strangerSearches());
        assertEquals(1, m.strangersRefused());        // not in the FPIR denominator
        assertEquals(0.5, m.fpir(0.45), 1e-12);       // 0.46, 0.50
        assertEquals(0.25, m.fpir(0.50), 1e-12);
        assertEquals(0.0, m.fpir(0.51), 1e-12);
        assertEquals(1.0, m.fpir(0.2), 1e-12);
    }

    @Test
    void extrapolationToGallerySize() {
        assertEquals(0.01, OpenSetMetrics.fpirExtrapolated(0.01, 1), 1e-15);
        assertEquals(1 - 0.99 * 0.99, OpenSetMetrics.fpirExtrapolated(0.01, 2), 1e-15);
        assertEquals(1 - Math.pow(1 - 1e-6, 100_000), OpenSetMetrics.fpirExtrapolated(1e-6, 100_000), 1e-10); // pow loses ~1e-12 in 1 - 1e-6
        assertEquals(0.0951626, OpenSetMetrics.fpirExtrapolated(1e-6, 100_000), 1e-6);
        // tiny values keep their precision: 1e-12 over 1000 comparisons is 1e-9, not 0
        assertEquals(1e-9, OpenSetMetrics.fpirExtrapolated(1e-12, 1000), 1e-15);
        assertEquals(0.0, OpenSetMetrics.fpirExtrapolated(0, 100_000));
        assertEquals(1.0, OpenSetMetrics.fpirExtrapolated(1, 3));
        // the inverse
        for (int n : new int[] {1, 711, 1_000, 100_000}) {
            for (double p : new double[] {0.001, 0.005, 0.01}) {
                double f = OpenSetMetrics.fmrForFpir(p, n);
                assertEquals(p, OpenSetMetrics.fpirExtrapolated(f, n), p * 1e-9);
                assertTrue(f >= p / n * (1 - 1e-12) && f <= p / (n * (1 - p)), "p/N <= FMR <= p/(N(1-p))");
            }
        }
    }

    @Test
    void thresholdForTargetAndMeasurability() {
        OpenSetMetrics m = metrics();
        double[] grid = OpenSetMetrics.grid(0.0, 1.0, 0.05);
        // N = 1, FPIR <= 0.1: FMR(0.45) = 0.2, FMR(0.50) = 0.1
        assertEquals(0.50, m.thresholdFor(0.1, 1, grid), 1e-12);
        // N = 2: 1-(1-FMR)^2 <= 0.1 needs FMR <= 0.0513, only 0 here from 0.55
        assertEquals(0.55, m.thresholdFor(0.1, 2, grid), 1e-12);
        assertTrue(m.measurable(0.2, 1));   // FMR 0.2 = 2 of 10 impostors
        assertFalse(m.measurable(0.1, 2));  // FMR 0.0513 < 1/10: beyond the data, a lower bound
        assertTrue(Double.isNaN(m.thresholdFor(0.1, 2, new double[] {0.1, 0.2})));
    }

    @Test
    void tailFitOfAnExponentialTail() {
        // FMR 0.1 at t = 0.1, 0.01 at 0.2, 0.001 at 0.3: ln FMR = 0 - 23.03 t
        float[] imp = new float[1000];
        for (int i = 0; i < 1000; i++) {
            imp[i] = i < 1 ? 0.35f : i < 10 ? 0.25f : i < 100 ? 0.15f : 0.0f;
        }
        OpenSetMetrics m = new OpenSetMetrics(GENUINE, imp, MATED, STRANGERS, 0);
        double[] fit = m.tailFit(new double[] {0.1, 0.2, 0.3}, 1, 1.0);
        assertEquals(0.0, fit[0], 1e-9);
        assertEquals(Math.log(0.1) / 0.1, fit[1], 1e-9);
        assertEquals(0.4, OpenSetMetrics.tailThreshold(fit, 1e-4), 1e-9);
        assertEquals(null, m.tailFit(new double[] {0.1, 0.2}, 1, 1.0));
    }

    @Test
    void gridHitsItsPoints() {
        double[] g = OpenSetMetrics.grid(0.25, 0.70, 0.025);
        assertEquals(19, g.length);
        assertEquals(0.45, g[8]);
        assertEquals(0.70, g[18]);
        double[] c = OpenSetMetrics.grid(0.2, 0.8, 0.005);
        assertEquals(121, c.length);
        assertEquals(0.2, c[0]);
        assertEquals(0.455, c[51]);
        assertEquals(0.8, c[120]);
    }

    /** Strangers accepted twice as often (in −ln(1 − FPIR)) as n independent comparisons predict: factor 2. */
    @Test
    void theComparisonFactorIsMeasuredOnTheStrangers() {
        // 10 impostor comparisons, 2 of them at 0.5 or more: FMR(0.5) = 0.2; with n = 1 the prediction is
        // -ln(0.8) = 0.2231; 3 of 5 strangers at 0.5 or more measure -ln(0.4) = 0.9163 → 4.107
        float[] impostor = {0.1f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f, 0.5f, 0.6f};
        float[] strangers = {0.1f, 0.2f, 0.5f, 0.55f, 0.6f};
        OpenSetMetrics m = new OpenSetMetrics(new float[] {0.9f}, impostor, List.of(), strangers, 0);
        assertEquals(Math.log(0.4) / Math.log(0.8), m.comparisonFactor(new double[] {0.5}, 1, 3), 1e-9);
        assertEquals(1.0, m.comparisonFactor(new double[] {0.5}, 1, 4), "too few strangers at t: no claim");
        assertEquals(1.0, m.comparisonFactor(new double[] {0.5}, 100, 3), "never below independence");
    }

    @Test
    void calibrationJsonHasTheAgreedShape() {
        String json = OpenSetBench.calibrationJson(metrics(), "model/x@1", "tiny: 3 identities", "hand-made", 1.25);
        JsonObject o = JsonParser.parseString(json).getAsJsonObject();
        assertEquals("model/x@1", o.get("modelId").getAsString());
        assertEquals(10, o.get("impostorComparisons").getAsInt());
        assertEquals(4, o.get("genuineComparisons").getAsInt());
        assertEquals(1.25, o.get("comparisonFactor").getAsDouble(), 1e-9);
        // and the engine reads it back
        org.gatehouse.recognition.internal.calibration.Calibration read =
                org.gatehouse.recognition.internal.calibration.Calibration.parse(json);
        assertEquals(1.25, read.comparisonFactor(), 1e-9);
        assertTrue(o.get("measuredAt").getAsString().matches("\\d{4}-\\d{2}-\\d{2}"));
        JsonArray t = o.getAsJsonArray("thresholds");
        JsonArray f = o.getAsJsonArray("falseMatchRate");
        JsonArray n = o.getAsJsonArray("falseNonMatchRate");
        assertEquals(121, t.size());
        assertEquals(121, f.size());
        assertEquals(121, n.size());
        assertEquals(0.2, t.get(0).getAsDouble());
        assertEquals(0.8, t.get(120).getAsDouble());
        assertEquals(0.6, f.get(20).getAsDouble(), 1e-12);  // t = 0.300
        assertEquals(0.2, f.get(50).getAsDouble(), 1e-12);  // t = 0.450
        assertEquals(0.25, n.get(50).getAsDouble(), 1e-12);
        assertEquals("0", f.get(120).toString());            // no impostor reached 0.8: written as 0
        assertTrue(json.contains("\"thresholds\": [0.200, 0.205, "));
    }

    @Test
    void numbersForCsvAndJson() {
        assertEquals("0", OpenSetBench.num(0));
        assertEquals("0.25", OpenSetBench.num(0.25));
        assertEquals("0.333333", OpenSetBench.num(1.0 / 3));
        assertEquals("1", OpenSetBench.num(1));
        assertEquals("1.979E-7", OpenSetBench.num(1.979e-7)); // a valid JSON number
    }
}

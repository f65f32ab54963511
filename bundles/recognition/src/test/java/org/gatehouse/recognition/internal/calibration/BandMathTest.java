package org.gatehouse.recognition.internal.calibration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.DoubleStream;

import org.gatehouse.recognition.api.FaceGallery;
import org.gatehouse.recognition.api.OperatingBands;
import org.gatehouse.recognition.api.OperatingBands.Band;
import org.gatehouse.recognition.internal.gallery.QuantizedGallery;
import org.gatehouse.recognition.internal.osgi.GalleryBandsComponent;
import org.junit.jupiter.api.Test;

/** The band arithmetic pinned on a calibration whose answers are known in closed form. */
class BandMathTest {
    /** 10^7 impostor comparisons: FMR(t) = 0.5·e^(−40(t − 0.2)), genuine FNMR rising linearly 0 → 1 over 0.2…0.8. */
    static final long IMPOSTORS = 10_000_000L;

    static Calibration synthetic(String modelId) {
        double[] t = DoubleStream.iterate(0.200, x -> x + 0.005).limit(121).map(x -> Math.round(x * 1000) / 1000.0)
                .toArray();
        double[] fmr = DoubleStream.of(t).map(x -> {
            double f = 0.5 * Math.exp(-40 * (x - 0.2));
            return Math.floor(f * IMPOSTORS) / IMPOSTORS; // what counting impostor pairs gives: 0 below 1e-7
        }).toArray();
        double[] fnmr = DoubleStream.of(t).map(x -> (x - 0.2) / 0.6).toArray();
        return new Calibration(modelId, "synthetic", IMPOSTORS, 5000, 1.0, t, fmr, fnmr);
    }

    private final BandMath math = new BandMath(synthetic("m"));

    @Test
    void perComparisonRateAndGalleryFpirAreInverses() {
        for (int n : new int[] {1, 1000, 100_000}) {
            assertEquals(0.001, BandMath.fpir(BandMath.perComparison(0.001, n), n), 1e-12);
        }
        assertEquals(0.001, BandMath.perComparison(0.001, 1), 1e-15);
        assertEquals(1.0005e-6, BandMath.perComparison(0.001, 1000), 1e-9);
        assertEquals(0, BandMath.fpir(0.01, 0), "an empty gallery accepts nobody");
    }

    @Test
    void measuredThresholdsComeFromTheGridAndTheTailIsExtrapolated() {
        // measured: FMR 0.5·e^(−40(t−0.2)) = 1e-3 at t = 0.2 + ln(500)/40
        var t = math.thresholdFor(1e-3);
        assertFalse(t.extrapolated());
        assertEquals(0.2 + Math.log(500) / 40, t.value(), 0.002);
        // below 10 impostor pairs (1e-6) the tail is fitted: 1e-9 at 0.2 + ln(5e8)/40 ≈ 0.7011
        var tail = math.thresholdFor(1e-9);
        assertTrue(tail.extrapolated());
        assertEquals(0.2 + Math.log(5e8) / 40, tail.value(), 0.005);
        assertEquals(1e-9, math.fmr(tail.value()), 2e-10);
    }

    @Test
    void theAcceptThresholdGrowsWithTheGalleryAndKeepsTheTargetFpir() {
        OperatingBands small = math.bands("c", 1000, 0.001, 1e-4);
        OperatingBands big = math.bands("c", 100_000, 0.001, 1e-4);
        assertTrue(big.accept() > small.accept(), small + " vs " + big);
        // per-comparison FMR 1e-6 at 1,000 templates: t = 0.2 + ln(5e5)/40
        assertEquals(0.2 + Math.log(5e5) / 40, small.accept(), 0.003);
        assertEquals(0.001, small.expectedFpir(), 1e-4);
        assertEquals(0.001, big.expectedFpir(), 1e-4);
        assertTrue(big.extrapolated());
        assertEquals((small.accept() - 0.2) / 0.6, small.expectedFnir(), 1e-3);
        // 1:1 at FMR 1e-4: t = 0.2 + ln(5e3)/40; reject = verify; below it no second factor
        assertEquals(0.2 + Math.log(5e3) / 40, small.verify(), 0.002);
        assertEquals(small.verify(), small.reject());
        assertEquals(1e-4, small.verifyFmr(), 1e-5);
    }

    @Test
    void aTinyGalleryNeverAcceptsBelowTheOneToOneThresholdAndAnEmptyOneAcceptsNobody() {
        OperatingBands one = math.bands("c", 1, 0.001, 1e-4); // per comparison 1e-3 > 1e-4
        assertEquals(one.verify(), one.accept());
        OperatingBands empty = math.bands("c", 0, 0.001, 1e-4);
        assertEquals(0, empty.expectedFpir());
        assertEquals(0, empty.gallerySize());
    }

    @Test
    void theBandOfAScore() {
        OperatingBands b = math.bands("c", 1000, 0.001, 1e-4);
        assertEquals(Band.ACCEPT, b.band(b.accept()));
        assertEquals(Band.VERIFY, b.band(Math.nextDown(b.accept())));
        assertEquals(Band.VERIFY, b.band(b.reject()));
        assertEquals(Band.REJECT, b.band(Math.nextDown(b.reject())));
        assertEquals(Band.REJECT, b.band(Float.NaN));
    }

    @Test
    void aCalibrationIsReadFromItsJsonAndRefusedWhenMissingOrForAnotherModel() {
        Calibration c = synthetic("faceplugin-0.0.1/fr_feature@87aacdfe");
        String json = "{\n  \"modelId\": \"" + c.modelId() + "\",\n  \"dataset\": \"synthetic\",\n"
                + "  \"impostorComparisons\": " + IMPOSTORS + ",\n  \"genuineComparisons\": 5000,\n"
                + "  \"thresholds\": [" + join(c.thresholds()) + "],\n  \"falseMatchRate\": [" + join(c.falseMatchRate())
                + "],\n  \"falseNonMatchRate\": [" + join(c.falseNonMatchRate()) + "]\n}";
        Calibration read = Calibration.parse(json);
        assertEquals(c.modelId(), read.modelId());
        assertEquals(c.thresholds().length, read.thresholds().length);
        assertEquals("org/gatehouse/recognition/calibration/faceplugin-0.0.1_fr_feature_87aacdfe.json",
                Calibration.resourceName(c.modelId()));

        IllegalStateException missing = assertThrows(IllegalStateException.class,
                () -> Calibration.load(getClass().getClassLoader(), "no-such-model"));
        assertTrue(missing.getMessage().contains("No calibration for face model 'no-such-model'"), missing.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Calibration.parse(json.replaceFirst(
                "\"thresholds\": \\[[^,]+,", "\"thresholds\": [0.9,")), "thresholds must increase");
        assertThrows(IllegalArgumentException.class, () -> Calibration.parse("{\"modelId\": \"m\"}"));
    }

    @Test
    void aTargetOutOfRangeIsRefusedWithItsKey() {
        FaceGallery gallery = new QuantizedGallery(4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new GalleryBandsComponent(gallery, synthetic("m"), 0.5, 1e-4));
        assertTrue(e.getMessage().contains("targetFpir = 0.5 is out of range"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new GalleryBandsComponent(gallery, synthetic("m"), 0.001,
                0.2));
        GalleryBandsComponent ok = new GalleryBandsComponent(gallery, synthetic("m"), 0.001, 1e-4);
        assertEquals(0, ok.bands("empty").gallerySize());
    }

    /** A measured comparison factor k makes a gallery of N templates count as k·N comparisons. */
    @Test
    void theComparisonFactorScalesTheGallery() {
        Calibration base = synthetic("m");
        Calibration correlated = new Calibration("m", "synthetic", IMPOSTORS, 5000, 2.0, base.thresholds(),
                base.falseMatchRate(), base.falseNonMatchRate());
        assertEquals(math.bands("c", 2000, 0.001, 1e-4).accept(),
                new BandMath(correlated).bands("c", 1000, 0.001, 1e-4).accept(), 1e-6);
        assertThrows(IllegalArgumentException.class, () -> new Calibration("m", "s", 10, 10, 0.5, base.thresholds(),
                base.falseMatchRate(), base.falseNonMatchRate()), "a factor below 1 would claim better than independent");
    }

    /** The calibration the bundle ships is the engine model's, and gives sane bands from 1 to 100,000 templates. */
    @Test
    void theShippedCalibrationIsTheEnginesModelsAndItsBandsAreSane() {
        Calibration shipped = Calibration.load(getClass().getClassLoader(),
                org.gatehouse.recognition.internal.FaceEngineImpl.MODEL_ID);
        BandMath real = new BandMath(shipped);
        float previous = 0;
        for (int n : new int[] {1, 100, 1000, 3000, 10_000, 30_000, 100_000}) {
            OperatingBands b = real.bands("c", n, 0.001, 1e-4);
            System.out.printf(Locale.ROOT, "%,7d templates: accept %.3f (FPIR %.4f%%, FNIR %.1f%%%s), reject %.3f%n",
                    n, b.accept(), b.expectedFpir() * 100, b.expectedFnir() * 100, b.extrapolated() ? ", fit" : "",
                    b.reject());
            assertTrue(b.accept() >= previous, "the accept threshold never falls as the gallery grows");
            assertTrue(b.accept() > 0.3 && b.accept() < 0.9, String.valueOf(b));
            assertTrue(b.expectedFpir() <= 0.0011, String.valueOf(b));
            previous = b.accept();
        }
        assertTrue(real.bands("c", 1000, 0.001, 1e-4).reject() < real.bands("c", 1000, 0.001, 1e-4).accept(),
                "a verify band exists at 1,000 templates");
    }

    private static String join(double[] values) {
        return DoubleStream.of(values).mapToObj(v -> String.format(Locale.ROOT, "%.10g", v))
                .collect(Collectors.joining(", "));
    }
}

package org.gatehouse.recognition.bench;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.gatehouse.recognition.api.Candidate;
import org.gatehouse.recognition.api.FaceException;
import org.gatehouse.recognition.api.FaceTemplate;
import org.gatehouse.recognition.api.OperatingBands;
import org.gatehouse.recognition.internal.EngineConfig;
import org.gatehouse.recognition.internal.FaceEngineImpl;
import org.gatehouse.recognition.internal.calibration.BandMath;
import org.gatehouse.recognition.internal.calibration.Calibration;
import org.gatehouse.recognition.internal.gallery.QuantizedGallery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_QUALITY;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imread;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

/**
 * Small faces ({@code -Dbench=smallface}): what identifying a face with few pixels between the eyes costs.
 *
 * <p>Gallery templates come from the full-resolution photos through the enrolment path ({@code enrollmentTemplate};
 * when the enrolment gates refuse a photo, its {@code embed} template, as {@link OpenSetBench} does). Each probe
 * photo is downscaled (OpenCV {@code INTER_AREA}) so that its inter-eye distance becomes a target (scale = target /
 * the eye distance the engine measured on the full-resolution photo, never above 1), re-encoded (JPEG, quality 95
 * by default) and sent through {@code embed}, the identification path, with the product's settings (metatype
 * defaults: identification minimum 18 px). Two framings: the downscaled frame pasted in the centre of a grey
 * 640x480 canvas (a door camera's frame: the detector sees the face at the small size relative to the frame), and
 * the downscaled frame alone (the detector's 320x240 input enlarges it again: only landmarks, alignment and
 * embedding see the lost resolution). Probes the product refuses as {@code FACE_TOO_SMALL} are also also counted
 * without the identification minimum (columns "no gate"), to see what the gate protects from: every probe goes
 * through an engine with the minimum at 0 and the product's verdict is that engine's answer with the minimum applied
 * (the only identification gate; checked against the product engine at the 20 px step when the minimum was 20 px, "cross-check").
 *
 * <p>Data: {@code lfw7-full} (350 frames, 7 people; all ordered genuine pairs gallery photo x other probe photo, the
 * FAR 1e-3 threshold from the full-resolution impostor pairs) and {@code lfw-dev} (the open-set split of
 * {@link OpenSetBench}, seed 13: 711 gallery photos, 322 mated probes, 388 strangers; thresholds = the product's
 * bands for a gallery of that size from the shipped calibration: accept at FPIR 0.1 %, verify = reject at 1:1 FMR
 * 1e-4). Nothing is tuned.
 *
 * <p>Properties (through {@code JAVA_TOOL_OPTIONS} when run with Maven): {@code smallface.steps} (eye distances,
 * default 40,32,28,24,22,20,18,16), {@code smallface.canvas} (lfw7-full, default {@code 640x480,none}), {@code smallface.devCanvas} (lfw-dev, default
 * {@code 640x480}), {@code smallface.codec}
 * ({@code jpg} default, quality {@code smallface.jpegQuality} 95, or {@code png}), {@code smallface.dev} (default
 * {@code ../shared/data/faces/lfw-dev} from the repository root), {@code smallface.devMax} (seeded subsample of
 * mated probes and of strangers, 0 = all), {@code smallface.sets} ({@code lfw7,dev}).
 */
final class SmallFaceBench {

    static final double[] DEFAULT_STEPS = {40, 32, 28, 24, 22, 20, 18, 16};
    static final double FAR = 1e-3;
    static final double TARGET_FPIR = 0.001; // BandsConfig defaults
    static final double VERIFY_FMR = 1e-4;
    /** McNemar z from which a change against full resolution counts as measured. */
    static final double Z_MEASURED = 2.0;

    private SmallFaceBench() {
    }

    // ------------------------------------------------------------------ arithmetic (SmallFaceBenchTest)

    /** The factor that brings a face with {@code ied} px between the eyes to {@code target} px; never enlarges. */
    static double scaleFor(double ied, double target) {
        if (!(ied > 0) || !(target > 0)) {
            throw new IllegalArgumentException("eye distance and target must be positive: " + ied + ", " + target);
        }
        return Math.min(1.0, target / ied);
    }

    /** The size of a {@code w x h} image scaled by {@code s}: rounded, at least 1 px a side. */
    static int[] scaledSize(int w, int h, double s) {
        return new int[] {Math.max(1, (int) Math.round(w * s)), Math.max(1, (int) Math.round(h * s))};
    }

    /**
     * Paired comparison of the same trials under two conditions (McNemar): {@code lost} = hits at full resolution
     * missed at the step, {@code gained} = the reverse. z = (lost - gained) / sqrt(lost + gained), 0 when both are 0.
     */
    static double mcnemarZ(int lost, int gained) {
        return lost + gained == 0 ? 0 : (lost - gained) / Math.sqrt(lost + gained);
    }

    /** The threshold at a false accept rate: the score of the (floor(far * n))-th highest impostor; accept when above. */
    static float thresholdAtFar(float[] impostor, double far) {
        float[] s = impostor.clone();
        Arrays.sort(s);
        int idx = (int) Math.floor(far * s.length); // from the top
        return s[s.length - 1 - Math.min(idx, s.length - 1)];
    }

    static double median(double[] a) {
        if (a.length == 0) {
            return Double.NaN;
        }
        double[] s = a.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    // ------------------------------------------------------------------ engine calls

    /** A gallery photo: its template (enrolment path, else embed), eye distance at full resolution, refusals. */
    record Ref(OpenSetBench.Photo photo, float[] v, float ied, String enrolRefused, String refused) {
    }

    /**
     * One probe at one step. {@code code}: the product's refusal (null = answered); {@code noGateCode}: the refusal
     * without the identification minimum (differs only for FACE_TOO_SMALL); {@code v}: the template (the product's,
     * or the ungated engine's when the product said FACE_TOO_SMALL); {@code ied} measured on the probe (NaN: no face).
     */
    record Shot(float[] v, String code, String noGateCode, float ied, long nanos, boolean downscaled) {
        float[] v(boolean gate) {
            return (gate ? code : noGateCode) == null ? v : null;
        }
    }

    /** A framing of the downscaled photo: on a grey canvas of w x h, or alone (w = 0). */
    record Framing(String name, int w, int h) {
    }

    record Codec(String ext, int jpegQuality) {
    }

    static Ref ref(FaceEngineImpl engine, OpenSetBench.Photo p) {
        byte[] bytes = read(p.file());
        String enrolRefused;
        try {
            FaceTemplate t = call(() -> engine.enrollmentTemplate(bytes));
            return new Ref(p, t.vector(), t.face().quality().interEyeDistance(), null, null);
        } catch (FaceException e) {
            enrolRefused = e.code().name();
        }
        try {
            FaceTemplate t = call(() -> engine.embed(bytes));
            return new Ref(p, t.vector(), t.face().quality().interEyeDistance(), enrolRefused, null);
        } catch (FaceException e) {
            return new Ref(p, null, Float.NaN, enrolRefused, e.code().name());
        }
    }

    /**
     * The probe through the engine without the identification minimum; the product's verdict is that result with
     * its gate applied ({@code QualityGate.check} for identification compares only the eye distance with the minimum;
     * the primary face and the template do not depend on it) — checked against the product engine by
     * {@link #crossCheck}.
     */
    /** A probe photo at full resolution: embed only (its eye distance sets the scale). */
    static Ref probeRef(FaceEngineImpl engine, OpenSetBench.Photo p) {
        byte[] bytes = read(p.file());
        try {
            FaceTemplate t = call(() -> engine.embed(bytes));
            return new Ref(p, t.vector(), t.face().quality().interEyeDistance(), null, null);
        } catch (FaceException e) {
            return new Ref(p, null, Float.NaN, null, e.code().name());
        }
    }

    static Shot shot(FaceEngineImpl ungated, float minIdentify, Ref r, double target, Framing f, Codec codec) {
        double s = target <= 0 ? 1.0 : scaleFor(r.ied(), target);
        byte[] bytes = render(r.photo().file(), s, f, codec);
        long t0 = System.nanoTime();
        try {
            FaceTemplate t = call(() -> ungated.embed(bytes));
            long dt = System.nanoTime() - t0;
            float ied = t.face().quality().interEyeDistance();
            return new Shot(t.vector(), ied < minIdentify ? FaceException.Code.FACE_TOO_SMALL.name() : null, null, ied, dt, s < 1);
        } catch (FaceException e) {
            long dt = System.nanoTime() - t0;
            return new Shot(null, e.code().name(), e.code().name(), Float.NaN, dt, s < 1);
        }
    }

    /** The product engine on the same probes as {@link #shot}: how many verdicts (code, template) agree. */
    static int[] crossCheck(FaceEngineImpl product, ExecutorService ex, List<Ref> refs, List<Shot> shots, double target,
                            Framing f, Codec codec) throws Exception {
        List<Boolean> agree = parallel(ex, refs.size(), i -> {
            Ref r = refs.get(i);
            if (r.v() == null) {
                return null;
            }
            byte[] bytes = render(r.photo().file(), scaleFor(r.ied(), target), f, codec);
            Shot mine = shots.get(i);
            try {
                float[] v = call(() -> product.embed(bytes)).vector();
                return mine.code() == null && Arrays.equals(v, mine.v());
            } catch (FaceException e) {
                return e.code().name().equals(mine.code());
            }
        });
        int n = (int) agree.stream().filter(a -> a != null).count();
        return new int[] {(int) agree.stream().filter(a -> a != null && a).count(), n};
    }

    interface Call {
        FaceTemplate run();
    }

    /** The engine call, waiting while the engine is busy (not a verdict on the photo). */
    static FaceTemplate call(Call c) {
        for (int attempt = 0; ; attempt++) {
            try {
                return c.run();
            } catch (FaceException e) {
                if (e.code() != FaceException.Code.ENGINE_UNAVAILABLE || attempt >= 100) {
                    throw e;
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The photo scaled by {@code s} (INTER_AREA), framed, encoded. */
    static byte[] render(Path file, double s, Framing f, Codec codec) {
        try (Mat src = imread(file.toString()); Mat small = new Mat()) {
            if (src.empty()) {
                throw new IllegalStateException("cannot read " + file);
            }
            Mat scaled = src;
            if (s < 1) {
                int[] wh = scaledSize(src.cols(), src.rows(), s);
                try (Size sz = new Size(wh[0], wh[1])) {
                    resize(src, small, sz, 0, 0, INTER_AREA);
                }
                scaled = small;
            }
            if (f.w() <= 0 || scaled.cols() > f.w() || scaled.rows() > f.h()) {
                return encode(scaled, codec);
            }
            try (Scalar grey = new Scalar(110, 110, 110, 0); Mat canvas = new Mat(f.h(), f.w(), CV_8UC3, grey);
                 Rect roi = new Rect((f.w() - scaled.cols()) / 2, (f.h() - scaled.rows()) / 2, scaled.cols(), scaled.rows());
                 Mat dst = new Mat(canvas, roi)) {
                scaled.copyTo(dst);
                return encode(canvas, codec);
            }
        }
    }

    static byte[] encode(Mat img, Codec codec) {
        try (BytePointer buf = new BytePointer();
             IntPointer params = codec.ext().equals(".jpg") ? new IntPointer(IMWRITE_JPEG_QUALITY, codec.jpegQuality())
                     : new IntPointer(0)) {
            boolean ok = codec.ext().equals(".jpg") ? imencode(codec.ext(), img, buf, params) : imencode(codec.ext(), img, buf);
            if (!ok) {
                throw new IllegalStateException("imencode " + codec.ext() + " failed");
            }
            byte[] b = new byte[(int) buf.limit()];
            buf.get(b);
            return b;
        }
    }

    static List<Framing> framings(String spec) {
        List<Framing> framings = new ArrayList<>();
        for (String c : spec.split(",")) {
            c = c.trim();
            if (c.equalsIgnoreCase("none")) {
                framings.add(new Framing("frame alone", 0, 0));
            } else {
                String[] wh = c.toLowerCase(Locale.ROOT).split("x");
                framings.add(new Framing("in " + c + " canvas", Integer.parseInt(wh[0]), Integer.parseInt(wh[1])));
            }
        }
        return framings;
    }

    static <T> List<T> parallel(ExecutorService ex, int n, IntFunction<T> task) throws Exception {
        List<Future<T>> fs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int k = i;
            fs.add(ex.submit(() -> task.apply(k)));
        }
        List<T> out = new ArrayList<>(n);
        for (Future<T> f : fs) {
            out.add(f.get());
        }
        return out;
    }

    // ------------------------------------------------------------------ run

    static void run() throws Exception {
        long t0 = System.nanoTime();
        Path root = OpenSetBench.repoRoot();
        double[] steps = Arrays.stream(OpenSetBench.prop("smallface.steps", "40,32,28,24,22,20,18,16").split(","))
                .mapToDouble(x -> Double.parseDouble(x.trim())).toArray();
        List<Framing> framings = framings(OpenSetBench.prop("smallface.canvas", "640x480,none"));
        List<Framing> devFramings = framings(OpenSetBench.prop("smallface.devCanvas", "640x480"));
        String codecName = OpenSetBench.prop("smallface.codec", "jpg");
        Codec codec = codecName.equalsIgnoreCase("png") ? new Codec(".png", 0)
                : new Codec(".jpg", Integer.parseInt(OpenSetBench.prop("smallface.jpegQuality", "95")));
        List<String> sets = Arrays.asList(OpenSetBench.prop("smallface.sets", "lfw7,dev").split(","));
        Path full = RecognitionBench.lfw7().resolveSibling("lfw7-full").toAbsolutePath().normalize();
        Path dev = OpenSetBench.resolve(root, OpenSetBench.prop("smallface.dev", "../shared/data/faces/lfw-dev"));
        int devMax = Integer.parseInt(OpenSetBench.prop("smallface.devMax", "0"));

        EngineConfig cfg = EngineConfig.defaults();
        EngineConfig ungatedCfg = cfg.toBuilder().minInterEyeDistanceIdentify(0).build();
        System.out.printf(Locale.ROOT, "SMALLFACE probes downscaled (INTER_AREA) to an inter-eye distance of %s px, "
                        + "re-encoded %s, through embed (product settings: identify minimum %.0f px, enrol minimum %.0f px); "
                        + "framings: lfw7-full %s, lfw-dev %s%n", Arrays.toString(steps), codec.ext().equals(".jpg") ? "JPEG q"
                        + codec.jpegQuality() : "PNG", cfg.minInterEyeDistanceIdentify(), cfg.minInterEyeDistance(),
                framings.stream().map(Framing::name).toList(), devFramings.stream().map(Framing::name).toList());
        int workers = cfg.effectivePoolSize();
        ExecutorService callers = Executors.newFixedThreadPool(workers); // one caller per worker: no queueing in the times
        List<String> summary = new ArrayList<>();
        try (FaceEngineImpl product = new FaceEngineImpl(cfg, SmallFaceBench.class.getClassLoader());
             FaceEngineImpl ungated = new FaceEngineImpl(ungatedCfg, SmallFaceBench.class.getClassLoader())) {
            Calibration cal = Calibration.load(SmallFaceBench.class.getClassLoader(), product.modelId());
            BandMath bands = new BandMath(cal);
            Conclusion lfw7 = null;
            Conclusion open = null;
            if (sets.contains("lfw7")) {
                if (Files.isDirectory(full)) {
                    lfw7 = lfw7(product, ungated, callers, full, steps, framings, codec, bands, summary);
                } else {
                    System.out.println("SMALLFACE lfw7-full skipped: " + full + " absent");
                }
            }
            if (sets.contains("dev")) {
                if (Files.isDirectory(dev)) {
                    open = dev(product, ungated, callers, dev, steps, devFramings, codec, bands, devMax, summary);
                } else {
                    System.out.println("SMALLFACE lfw-dev skipped: " + dev + " absent (-Dsmallface.dev=...)");
                }
            }
            System.out.println();
            System.out.println("SUMMARY (markdown)");
            summary.forEach(System.out::println);
            conclude(lfw7, open, cfg.minInterEyeDistanceIdentify());
        } finally {
            callers.shutdownNow();
        }
        System.out.printf("  total %.1f s%n", (System.nanoTime() - t0) / 1e9);
    }

    /** Per framing, the first step (largest eye distance) at which accuracy fell measurably, and the rows. */
    record Conclusion(Map<String, List<StepRow>> rows) {
    }

    /** One step's decision-level numbers for the conclusion (product gate and no gate). */
    record StepRow(double target, double medIed, double refusedShare, double tooSmallShare, double errGate,
                   double errNoGate, double errFull, double z, double zNoGate, String what) {
    }

    // ------------------------------------------------------------------ lfw7-full

    static Conclusion lfw7(FaceEngineImpl product, FaceEngineImpl ungated, ExecutorService ex, Path full,
                           double[] steps, List<Framing> framings, Codec codec, BandMath bands, List<String> summary)
            throws Exception {
        List<OpenSetBench.Photo> photos = OpenSetBench.identities(full).stream().flatMap(List::stream).toList();
        long g0 = System.nanoTime();
        List<Ref> refs = parallel(ex, photos.size(), i -> ref(product, photos.get(i)));
        System.out.printf("%n== lfw7-full: %d frames (250x250), gallery through enrollmentTemplate (%.1f s)%n",
                refs.size(), (System.nanoTime() - g0) / 1e9);
        float minIdentify = product.config().minInterEyeDistanceIdentify();
        refusals("  enrolment refused (embed template used instead)", refs.stream().map(Ref::enrolRefused).toList());
        refusals("  refused by embed too (no gallery template, no probe)", refs.stream().map(Ref::refused).toList());
        double[] ieds = refs.stream().filter(r -> r.v() != null).mapToDouble(Ref::ied).toArray();
        System.out.printf(Locale.ROOT, "  full-resolution eye distance: median %.1f px, min %.1f, max %.1f%n",
                median(ieds), Arrays.stream(ieds).min().orElse(Double.NaN), Arrays.stream(ieds).max().orElse(Double.NaN));
        int n = refs.size();
        List<Float> imp = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                if (refs.get(i).v() != null && refs.get(j).v() != null
                        && !refs.get(i).photo().person().equals(refs.get(j).photo().person())) {
                    imp.add(OpenSetBench.dot(refs.get(i).v(), refs.get(j).v()));
                }
            }
        }
        float[] impostor = new float[imp.size()];
        for (int i = 0; i < impostor.length; i++) {
            impostor[i] = imp.get(i);
        }
        float tFar = thresholdAtFar(impostor, FAR);
        OperatingBands b1 = bands.bands("lfw7", 1, TARGET_FPIR, VERIFY_FMR);
        float tVerify = b1.verify();
        System.out.printf(Locale.ROOT, "  thresholds: FAR %.0e on the %d full-resolution impostor pairs -> %.3f (accept when "
                + "above); the product's 1:1 threshold (verify, FMR %.0e, shipped calibration) %.3f (accept when >=)%n",
                FAR, impostor.length, tFar, VERIFY_FMR, tVerify);

        Map<String, List<StepRow>> rows = new TreeMap<>();
        summary.add("");
        summary.add(String.format(Locale.ROOT, "lfw7-full, all ordered genuine pairs (full-resolution gallery photo x "
                + "downscaled probe photo of the same person); TAR at FAR %.0e = threshold %.3f from the full-resolution "
                + "impostor pairs; refused probes count as misses; 'no gate' = the same without the identify minimum", FAR, tFar));
        for (Framing f : framings) {
            System.out.printf("%n  -- %s%n", f.name());
            System.out.println("     step  eyes med  downsc  refused (product)                  TAR@FAR   no gate  "
                    + "TAR@1:1  FMR@FAR(probe)  dcos genuine (mean+-se)  z(TAR) gate/no gate  embed ms");
            summary.add("");
            summary.add("**" + f.name() + "**");
            summary.add("");
            summary.add("| eyes target | eyes measured (median) | refused | TAR @ FAR 1e-3 | no gate | TAR @ 1:1 (" + String.format(Locale.ROOT, "%.3f", tVerify)
                    + ") | impostor FMR @ FAR thr. | genuine cos change | embed ms (median) |");
            summary.add("|---|---|---|---|---|---|---|---|---|");
            warmUp(product, ex, refs, f, codec);
            List<Shot> base = null;
            List<StepRow> fr = new ArrayList<>();
            for (int si = -1; si < steps.length; si++) {
                double target = si < 0 ? 0 : steps[si];
                List<Shot> shots = parallel(ex, n, i -> refs.get(i).v() == null ? null
                        : shot(ungated, minIdentify, refs.get(i), target, f, codec));
                if (target == minIdentify && f == framings.get(0)) {
                    int[] cc = crossCheck(product, ex, refs, shots, target, f, codec);
                    System.out.printf("     (cross-check at %s px: the product engine's own verdict and template agree for %d of %d probes)%n",
                            fmt(target), cc[0], cc[1]);
                }
                if (base == null) {
                    base = shots;
                }
                // pairs
                int gen = 0, accGate = 0, accNo = 0, accVerify = 0, lost = 0, gained = 0, lostNo = 0, gainedNo = 0;
                long impPairs = 0, impAbove = 0;
                double[] dcos = new double[n];
                int dn = 0;
                int lostP = 0, gainedP = 0, lostPNo = 0, gainedPNo = 0; // probe photos: all genuine pairs accepted or not
                for (int j = 0; j < n; j++) {
                    Shot pj = shots.get(j);
                    if (pj == null) {
                        continue;
                    }
                    Shot bj = base.get(j);
                    double sumStep = 0, sumBase = 0;
                    int cnt = 0;
                    boolean pBase = true, pGate = true, pNo = true;
                    for (int i = 0; i < n; i++) {
                        Ref gi = refs.get(i);
                        if (i == j || gi.v() == null) {
                            continue;
                        }
                        boolean same = gi.photo().person().equals(refs.get(j).photo().person());
                        float[] vg = pj.v(true);
                        float[] vn = pj.v(false);
                        float sg = vg == null ? Float.NEGATIVE_INFINITY : OpenSetBench.dot(gi.v(), vg);
                        float sn = vn == null ? Float.NEGATIVE_INFINITY : OpenSetBench.dot(gi.v(), vn);
                        if (same) {
                            gen++;
                            boolean hit = sg > tFar;
                            boolean hitNo = sn > tFar;
                            float[] bv = bj.v(true);
                            boolean baseHit = bv != null && OpenSetBench.dot(gi.v(), bv) > tFar;
                            accGate += hit ? 1 : 0;
                            accNo += hitNo ? 1 : 0;
                            accVerify += sg >= tVerify ? 1 : 0;
                            lost += baseHit && !hit ? 1 : 0;
                            gained += !baseHit && hit ? 1 : 0;
                            lostNo += baseHit && !hitNo ? 1 : 0;
                            gainedNo += !baseHit && hitNo ? 1 : 0;
                            pBase &= baseHit;
                            pGate &= hit;
                            pNo &= hitNo;
                            float[] bvn = bj.v(false);
                            if (vn != null && bvn != null) {
                                sumStep += sn;
                                sumBase += OpenSetBench.dot(gi.v(), bvn);
                                cnt++;
                            }
                        } else if (vg != null) {
                            impPairs++;
                            impAbove += sg > tFar ? 1 : 0;
                        }
                    }
                    if (cnt > 0) {
                        dcos[dn++] = (sumStep - sumBase) / cnt;
                    }
                    lostP += pBase && !pGate ? 1 : 0;
                    gainedP += !pBase && pGate ? 1 : 0;
                    lostPNo += pBase && !pNo ? 1 : 0;
                    gainedPNo += !pBase && pNo ? 1 : 0;
                }
                double[] d = Arrays.copyOf(dcos, dn);
                double mean = Arrays.stream(d).average().orElse(Double.NaN);
                double se = Math.sqrt(Arrays.stream(d).map(x -> (x - mean) * (x - mean)).sum() / Math.max(1, dn - 1) / Math.max(1, dn));
                List<Shot> ok = shots.stream().filter(x -> x != null).toList();
                double medIed = median(ok.stream().filter(x -> !Float.isNaN(x.ied())).mapToDouble(Shot::ied).toArray());
                double medMs = median(ok.stream().mapToDouble(x -> x.nanos() / 1e6).toArray());
                long down = ok.stream().filter(Shot::downscaled).count();
                String refused = codes(ok.stream().map(Shot::code).toList());
                String refusedNo = codes(ok.stream().map(Shot::noGateCode).toList());
                double tar = (double) accGate / gen;
                double tarNo = (double) accNo / gen;
                double zPairs = mcnemarZ(lost, gained);
                double zPairsNo = mcnemarZ(lostNo, gainedNo);
                double z = mcnemarZ(lostP, gainedP);
                double zNo = mcnemarZ(lostPNo, gainedPNo);
                String stepName = si < 0 ? "full" : String.format(Locale.ROOT, "%.0f", target);
                System.out.printf(Locale.ROOT, "           photos with a genuine pair lost / gained against full resolution: %d / %d (no gate %d / %d), "
                        + "z photos %.1f / %.1f, z pairs %.1f / %.1f%n", lostP, gainedP, lostPNo, gainedPNo, z, zNo, zPairs, zPairsNo);
                System.out.printf(Locale.ROOT, "     %-5s %6.1f   %4d    %-34s %6.2f %%  %6.2f %%  %6.2f %%  %.2e      %+.4f +- %.4f       %5.1f / %5.1f   %5.1f%n",
                        stepName, medIed, down, refused, 100 * tar, 100 * tarNo, 100.0 * accVerify / gen,
                        impPairs == 0 ? 0.0 : (double) impAbove / impPairs, mean, se, z, zNo, medMs);
                if (!refusedNo.equals(refused)) {
                    System.out.printf("           no gate refused: %s%n", refusedNo);
                }
                summary.add(String.format(Locale.ROOT, "| %s | %.1f | %s | %.2f %% | %.2f %% | %.2f %% | %.1e | %+.3f | %.1f |",
                        stepName, medIed, refused.replace("|", "/"), 100 * tar, 100 * tarNo, 100.0 * accVerify / gen,
                        impPairs == 0 ? 0.0 : (double) impAbove / impPairs, mean, medMs));
                long tooSmall = ok.stream().filter(x -> "FACE_TOO_SMALL".equals(x.code())).count();
                long refusedCount = ok.stream().filter(x -> x.code() != null).count();
                fr.add(new StepRow(target, medIed, (double) refusedCount / ok.size(), (double) tooSmall / ok.size(),
                        1 - tar, 1 - tarNo, 1 - (double) countBase(base, refs, tFar) / gen, z, zNo, "1 - TAR@FAR1e-3"));
            }
            System.out.println("     (eyes med = median inter-eye distance the engine measured on the probes it found a face in; "
                    + "downsc = probes actually downscaled (the others were already smaller); z(TAR) = McNemar z of the "
                    + "probe photos (hit = all its genuine pairs accepted) against full resolution (pairs share photos, so "
                    + "z of the pairs, printed above each row, is optimistic); dcos = mean over probe "
                    + "photos of the change of their mean genuine cosine against full resolution, no gate; embed ms = median embed() "
                    + "call incl. decode, two at a time on the two workers, engine without the minimum)");
            rows.put(f.name(), fr);
        }
        return new Conclusion(rows);
    }

    /** 40 untimed calls at full resolution in this framing, so the first step's times are not the JIT's. */
    static void warmUp(FaceEngineImpl product, ExecutorService ex, List<Ref> refs, Framing f, Codec codec) throws Exception {
        List<Ref> some = refs.stream().filter(r -> r.v() != null).limit(40).toList();
        parallel(ex, some.size(), i -> {
            byte[] b = render(some.get(i).photo().file(), 1.0, f, codec);
            try {
                return call(() -> product.embed(b));
            } catch (FaceException e) {
                return null;
            }
        });
    }

    private static int countBase(List<Shot> base, List<Ref> refs, float tFar) {
        int c = 0;
        for (int j = 0; j < refs.size(); j++) {
            Shot b = base.get(j);
            if (b == null || b.v(true) == null) {
                continue;
            }
            for (int i = 0; i < refs.size(); i++) {
                if (i != j && refs.get(i).v() != null && refs.get(i).photo().person().equals(refs.get(j).photo().person())
                        && OpenSetBench.dot(refs.get(i).v(), b.v(true)) > tFar) {
                    c++;
                }
            }
        }
        return c;
    }

    // ------------------------------------------------------------------ lfw-dev open set

    static Conclusion dev(FaceEngineImpl product, FaceEngineImpl ungated, ExecutorService ex, Path dir, double[] steps,
                          List<Framing> framings, Codec codec, BandMath bands, int devMax, List<String> summary)
            throws Exception {
        OpenSetBench.Split split = OpenSetBench.split(OpenSetBench.identities(dir), OpenSetBench.DEFAULT_SEED);
        java.util.Set<String> samePerson = OpenSetBench.samePerson(OpenSetBench.DEFAULT_SAME_PERSON);
        List<OpenSetBench.Photo> galleryPhotos = new ArrayList<>();
        split.multi().forEach(l -> galleryPhotos.add(l.get(0)));
        galleryPhotos.addAll(split.distractors());
        List<OpenSetBench.Photo> mated = new ArrayList<>(split.multi().stream().map(l -> l.get(1)).toList());
        List<OpenSetBench.Photo> strangers = new ArrayList<>(split.strangers());
        if (devMax > 0) {
            Collections.shuffle(mated, new Random(OpenSetBench.DEFAULT_SEED));
            Collections.shuffle(strangers, new Random(OpenSetBench.DEFAULT_SEED));
            mated = new ArrayList<>(mated.subList(0, Math.min(devMax, mated.size())));
            strangers = new ArrayList<>(strangers.subList(0, Math.min(devMax, strangers.size())));
        }
        long g0 = System.nanoTime();
        List<Ref> gallery = parallel(ex, galleryPhotos.size(), i -> ref(product, galleryPhotos.get(i)));
        List<OpenSetBench.Photo> mp = mated;
        List<OpenSetBench.Photo> sp = strangers;
        List<Ref> matedRefs = parallel(ex, mp.size(), i -> probeRef(product, mp.get(i)));
        List<Ref> strangerRefs = parallel(ex, sp.size(), i -> probeRef(product, sp.get(i)));
        float minIdentify = product.config().minInterEyeDistanceIdentify();
        System.out.printf("%n== lfw-dev open set (OpenSetBench split, seed %d): gallery %d photos (enrolment path), %d mated "
                        + "probes, %d strangers%s (%.1f s for the full-resolution pass)%n", OpenSetBench.DEFAULT_SEED,
                gallery.size(), mated.size(), strangers.size(), devMax > 0 ? " (seeded subsample, smallface.devMax=" + devMax + ")" : "",
                (System.nanoTime() - g0) / 1e9);
        refusals("  gallery: enrolment refused (embed template used instead)", gallery.stream().map(Ref::enrolRefused).toList());
        refusals("  gallery: refused by embed too", gallery.stream().map(Ref::refused).toList());
        QuantizedGallery g = new QuantizedGallery(512);
        java.util.Set<String> enrolled = new java.util.HashSet<>();
        for (Ref r : gallery) {
            if (r.v() != null) {
                g.add("dev", r.photo().person(), r.v());
                enrolled.add(r.photo().person());
            }
        }
        int nGallery = g.size("dev");
        OperatingBands ob = bands.bands("dev", nGallery, TARGET_FPIR, VERIFY_FMR);
        float accept = ob.accept();
        float verify = ob.verify();
        System.out.printf(Locale.ROOT, "  product bands for %d templates (shipped calibration, target FPIR %.1f %%, 1:1 FMR %.0e): "
                        + "accept %.3f%s, verify = reject %.3f (expected FNIR at accept %.1f %%)%n", nGallery,
                100 * TARGET_FPIR, VERIFY_FMR, accept, ob.extrapolated() ? " (tail fit)" : "", verify, 100 * ob.expectedFnir());
        // mated probes whose person is enrolled; strangers not enrolled under another name
        List<Ref> probes = matedRefs.stream().filter(r -> enrolled.contains(r.photo().person()) && r.v() != null).toList();
        List<Ref> strs = strangerRefs.stream().filter(r -> r.v() != null).filter(r -> enrolled.stream()
                .noneMatch(id -> samePerson.contains(r.photo().person() + "=" + id))).toList();
        double[] ieds = probes.stream().mapToDouble(Ref::ied).toArray();
        System.out.printf(Locale.ROOT, "  mated probes used %d (full-resolution eye distance median %.1f px, min %.1f), strangers used %d "
                        + "(left out: refused at full resolution or enrolled under another name)%n", probes.size(), median(ieds),
                Arrays.stream(ieds).min().orElse(Double.NaN), strs.size());

        Map<String, List<StepRow>> rows = new TreeMap<>();
        summary.add("");
        summary.add(String.format(Locale.ROOT, "lfw-dev open set (%d gallery templates from full-resolution photos, %d mated "
                        + "probes, %d strangers, downscaled); product bands for this size: accept %.3f, verify = reject %.3f; "
                        + "FNIR = refused, wrong rank-1 or best below the threshold (all mated probes); FPIR = strangers whose "
                        + "best is at or above it (all strangers)", nGallery, probes.size(), strs.size(), accept, verify));
        for (Framing f : framings) {
            System.out.printf("%n  -- %s%n", f.name());
            System.out.println("     step  eyes med  refused mated (product)            rank-1   FNIR@acc  no gate  FNIR@rej  "
                    + "FPIR@acc  FPIR@rej  z(FNIR) gate/no gate  embed ms");
            summary.add("");
            summary.add("**" + f.name() + "**");
            summary.add("");
            summary.add("| eyes target | eyes measured (median) | mated refused | rank-1 | FNIR @ accept | no gate | FNIR @ reject (→ REJECT) | "
                    + "FPIR @ accept | FPIR @ reject | embed ms (median) |");
            summary.add("|---|---|---|---|---|---|---|---|---|---|");
            warmUp(product, ex, probes, f, codec);
            boolean[] baseHit = null;
            List<StepRow> fr = new ArrayList<>();
            double errFull = Double.NaN;
            for (int si = -1; si < steps.length; si++) {
                double target = si < 0 ? 0 : steps[si];
                List<Shot> ms = parallel(ex, probes.size(), i -> shot(ungated, minIdentify, probes.get(i), target, f, codec));
                List<Shot> ss = parallel(ex, strs.size(), i -> shot(ungated, minIdentify, strs.get(i), target, f, codec));
                int m = probes.size();
                int rank1 = 0, hitAcc = 0, hitAccNo = 0, hitRej = 0, lost = 0, gained = 0, lostNo = 0, gainedNo = 0;
                boolean[] hits = new boolean[m];
                for (int i = 0; i < m; i++) {
                    String who = probes.get(i).photo().person();
                    for (boolean gate : new boolean[] {true, false}) {
                        float[] v = ms.get(i).v(gate);
                        boolean r1 = false;
                        float best = Float.NEGATIVE_INFINITY;
                        if (v != null) {
                            Candidate c = g.search("dev", v, 1).get(0);
                            r1 = c.subjectId().equals(who);
                            best = c.score();
                        }
                        boolean hit = r1 && best >= accept;
                        if (gate) {
                            rank1 += r1 ? 1 : 0;
                            hitAcc += hit ? 1 : 0;
                            hitRej += r1 && best >= verify ? 1 : 0;
                            hits[i] = hit;
                            if (baseHit != null) {
                                lost += baseHit[i] && !hit ? 1 : 0;
                                gained += !baseHit[i] && hit ? 1 : 0;
                            }
                        } else {
                            hitAccNo += hit ? 1 : 0;
                            if (baseHit != null) {
                                lostNo += baseHit[i] && !hit ? 1 : 0;
                                gainedNo += !baseHit[i] && hit ? 1 : 0;
                            }
                        }
                    }
                }
                if (baseHit == null) {
                    baseHit = hits;
                    errFull = 1 - (double) hitAcc / m;
                }
                int sAcc = 0, sRej = 0;
                for (Shot s : ss) {
                    float[] v = s.v(true);
                    if (v != null) {
                        float best = g.search("dev", v, 1).get(0).score();
                        sAcc += best >= accept ? 1 : 0;
                        sRej += best >= verify ? 1 : 0;
                    }
                }
                List<Shot> all = new ArrayList<>(ms);
                all.addAll(ss);
                double medIed = median(ms.stream().filter(x -> !Float.isNaN(x.ied())).mapToDouble(Shot::ied).toArray());
                double medMs = median(all.stream().mapToDouble(x -> x.nanos() / 1e6).toArray());
                String refused = codes(ms.stream().map(Shot::code).toList());
                String refusedNo = codes(ms.stream().map(Shot::noGateCode).toList());
                String strRefused = codes(ss.stream().map(Shot::code).toList());
                double fnir = 1 - (double) hitAcc / m;
                double fnirNo = 1 - (double) hitAccNo / m;
                double z = mcnemarZ(lost, gained);
                double zNo = mcnemarZ(lostNo, gainedNo);
                String stepName = si < 0 ? "full" : String.format(Locale.ROOT, "%.0f", target);
                System.out.printf(Locale.ROOT, "     %-5s %6.1f   %-34s %6.2f %%  %6.2f %%  %6.2f %%  %6.2f %%  %6.2f %%  %6.2f %%  %5.1f / %5.1f   %5.1f%n",
                        stepName, medIed, refused, 100.0 * rank1 / m, 100 * fnir, 100 * fnirNo, 100 - 100.0 * hitRej / m,
                        100.0 * sAcc / ss.size(), 100.0 * sRej / ss.size(), z, zNo, medMs);
                if (!refusedNo.equals(refused)) {
                    System.out.printf("           mated, no gate refused: %s%n", refusedNo);
                }
                if (!strRefused.equals("0")) {
                    System.out.printf("           strangers refused: %s%n", strRefused);
                }
                summary.add(String.format(Locale.ROOT, "| %s | %.1f | %s | %.2f %% | %.2f %% | %.2f %% | %.2f %% | %.2f %% (%d) | %.2f %% (%d) | %.1f |",
                        stepName, medIed, refused, 100.0 * rank1 / m, 100 * fnir, 100 * fnirNo, 100 - 100.0 * hitRej / m,
                        100.0 * sAcc / ss.size(), sAcc, 100.0 * sRej / ss.size(), sRej, medMs));
                long tooSmall = ms.stream().filter(x -> "FACE_TOO_SMALL".equals(x.code())).count();
                long refusedCount = ms.stream().filter(x -> x.code() != null).count();
                fr.add(new StepRow(target, medIed, (double) refusedCount / m, (double) tooSmall / m, fnir, fnirNo, errFull,
                        z, zNo, "FNIR@accept"));
            }
            System.out.println("     (FNIR@acc = misses at the accept threshold (refused, wrong rank-1, or below); no gate = the same "
                    + "without the identify minimum; FNIR@rej = mated probes that would end in REJECT (no second factor offered); "
                    + "FPIR over all strangers; z(FNIR) = McNemar z of the mated probes' accept decisions against full resolution; "
                    + "embed ms as above, mated and strangers)");
            rows.put(f.name(), fr);
        }
        g.close();
        return new Conclusion(rows);
    }

    // ------------------------------------------------------------------ output

    static String codes(List<String> codes) {
        Map<String, Integer> by = new TreeMap<>();
        codes.stream().filter(c -> c != null).forEach(c -> by.merge(c, 1, Integer::sum));
        if (by.isEmpty()) {
            return "0";
        }
        int total = by.values().stream().mapToInt(Integer::intValue).sum();
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%.1f %% (%d:", 100.0 * total / codes.size(), total));
        by.forEach((c, k) -> sb.append(' ').append(c).append(' ').append(k));
        return sb.append(')').toString();
    }

    static void refusals(String what, List<String> codes) {
        System.out.printf("%s: %s%n", what, codes(codes));
    }

    /**
     * The first step (going down from 40 px) from which accuracy is measurably worse than at full resolution
     * (McNemar z >= 2, no gate, so the gate does not hide it), per set and framing; and what the identify minimum does.
     */
    static void conclude(Conclusion lfw7, Conclusion dev, float minIdentify) {
        System.out.println();
        System.out.println("CONCLUSION (McNemar z >= " + Z_MEASURED + " against the same probes at full resolution = measurable; "
                + "judged without the gate so the gate does not hide it)");
        for (Conclusion c : new Conclusion[] {lfw7, dev}) {
            if (c == null) {
                continue;
            }
            String set = c == lfw7 ? "lfw7-full" : "lfw-dev";
            c.rows().forEach((framing, rows) -> {
                StepRow first = null;
                for (StepRow r : rows) {
                    if (r.target() > 0 && r.zNoGate() >= Z_MEASURED && first == null) {
                        first = r;
                    }
                }
                StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "  %s, %s (%s, full resolution %.2f %%): ",
                        set, framing, rows.get(0).what(), 100 * rows.get(0).errFull()));
                if (first == null) {
                    sb.append("no step measurably worse down to ").append(fmt(rows.get(rows.size() - 1).target())).append(" px");
                } else {
                    sb.append(String.format(Locale.ROOT, "measurably worse from %s px on (%.2f %%, z %.1f)", fmt(first.target()),
                            100 * first.errNoGate(), first.zNoGate()));
                }
                for (StepRow r : rows) {
                    if (r.target() > 0 && r.target() <= 24) {
                        sb.append(String.format(Locale.ROOT, "; %s px: %.2f %% (no gate %.2f %%, refused %.1f %%, of which too small %.1f %%)",
                                fmt(r.target()), 100 * r.errGate(), 100 * r.errNoGate(), 100 * r.refusedShare(), 100 * r.tooSmallShare()));
                    }
                }
                System.out.println(sb);
            });
        }
        System.out.printf(Locale.ROOT, "  identify minimum (EngineConfig.minInterEyeDistanceIdentify) = %.0f px: compare the rows "
                + "at and below it above; a minimum is right when the no-gate error just below it is clearly worse than just "
                + "above it and the steps above it are not measurably worse than full resolution.%n", minIdentify);
    }

    static String fmt(double t) {
        return String.format(Locale.ROOT, "%.0f", t);
    }
}

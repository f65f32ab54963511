package org.gatehouse.recognition.bench;

import org.gatehouse.recognition.api.Candidate;
import org.gatehouse.recognition.api.FaceException;
import org.gatehouse.recognition.api.FaceTemplate;
import org.gatehouse.recognition.api.Quality;
import org.gatehouse.recognition.internal.EngineConfig;
import org.gatehouse.recognition.internal.FaceEngineImpl;
import org.gatehouse.recognition.internal.gallery.QuantizedGallery;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Open-set benchmark ({@code -Dbench=openset}): 1:N identification with strangers on full frames, through the
 * engine as the OSGi bundle builds it (metatype defaults, the detector, primary face, alignment and embedder
 * of {@code embed}, which {@code /api/faces/identify} calls) and the bundle's gallery.
 *
 * <p>Protocol (seeded): gallery = the first photo of every identity with ≥ 2 photos plus half of the single-photo
 * identities (distractors, chosen by the seed); mated probes = the second photo of each identity with ≥ 2
 * photos; strangers = the other half of the single-photo identities.
 *
 * <p>Properties: {@code openset.dir} (default {@code ../shared/data/faces/lfw-dev} from the repository root),
 * {@code openset.seed} (default 13), {@code openset.out} (default {@code bundles/recognition/target/openset}),
 * {@code openset.writeCalibration} (write {@code src/main/resources/.../calibration/<model id as a file name>.json},
 * {@link org.gatehouse.recognition.internal.calibration.Calibration#resourceName}).
 * Relative paths are taken from the repository root.
 */
public final class OpenSetBench {

    static final long DEFAULT_SEED = 13;
    /**
     * LFW identities that are one person under two names, found among the highest impostor scores of lfw-dev:
     * Andrew_Caldecott_0001 and Andrew_Gilligan_0001 are the same photo of the same man; Cristina Fernandez and
     * Cristina Kirchner are Cristina Fernandez de Kirchner. Their cross comparisons are not impostors.
     */
    static final String DEFAULT_SAME_PERSON = "Andrew_Caldecott=Andrew_Gilligan,Cristina_Fernandez=Cristina_Kirchner";
    static final double RULE = 0.45; // the face registry's matchThreshold default
    static final double[] TARGETS = {0.001, 0.005, 0.01};
    static final int[] GALLERY_SIZES = {1_000, 3_000, 10_000, 30_000, 100_000};

    private OpenSetBench() {
    }

    record Photo(String person, Path file) {
    }

    /**
     * What the engine made of one photo: a template, or the refusal code; for gallery photos the enrolment verdict;
     * the quality the engine reported for the face it used (null when refused).
     */
    record Result(Photo photo, float[] v, String refused, String enrollRefused, Quality quality) {
    }

    public static void main(String[] args) throws Exception {
        run();
    }

    static String prop(String key, String def) {
        String v = System.getProperty(key);
        return v == null || v.isBlank() || v.startsWith("${") ? def : v.trim(); // ${..}: not set in Maven
    }

    /** The repository root: the nearest folder above the module (or the working directory) holding bundles/. */
    static Path repoRoot() {
        Path start = Paths.get(prop("gatehouse.module", System.getProperty("user.dir"))).toAbsolutePath().normalize();
        for (Path p = start; p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("bundles/recognition")) && Files.isRegularFile(p.resolve("pom.xml"))) {
                return p;
            }
        }
        throw new IllegalStateException("repository root (with bundles/recognition) not found above " + start);
    }

    static Path resolve(Path root, String p) {
        Path path = Paths.get(p);
        return (path.isAbsolute() ? path : root.resolve(path)).normalize();
    }

    static List<List<Photo>> identities(Path dir) throws IOException {
        List<List<Photo>> out = new ArrayList<>();
        try (Stream<Path> people = Files.list(dir)) {
            for (Path person : people.filter(Files::isDirectory).sorted().toList()) {
                try (Stream<Path> files = Files.list(person)) {
                    List<Photo> photos = files.filter(Files::isRegularFile)
                            .filter(f -> f.getFileName().toString().toLowerCase(Locale.ROOT).matches(".*\\.(jpe?g|png|bmp|webp)"))
                            .sorted().map(f -> new Photo(person.getFileName().toString(), f)).toList();
                    if (!photos.isEmpty()) {
                        out.add(photos);
                    }
                }
            }
        }
        return out;
    }

    /** "A=B,C=D" (or "none"): the pairs of LFW names that are one person, both ways round, as "A=B". */
    static java.util.Set<String> samePerson(String spec) {
        java.util.Set<String> same = new java.util.HashSet<>();
        if (!spec.equalsIgnoreCase("none")) {
            for (String pair : spec.split(",")) {
                String[] ab = pair.trim().split("=");
                same.add(ab[0] + "=" + ab[1]);
                same.add(ab[1] + "=" + ab[0]);
            }
        }
        return same;
    }

    /**
     * The seeded protocol: identities with >= 2 photos (enrolled), single-photo identities shuffled by
     * {@code java.util.Random(seed)}, the first half distractors (enrolled), the second half strangers.
     */
    record Split(List<List<Photo>> multi, List<Photo> distractors, List<Photo> strangers) {
    }

    static Split split(List<List<Photo>> ids, long seed) {
        List<List<Photo>> multi = ids.stream().filter(l -> l.size() >= 2).toList();
        List<List<Photo>> singles = new ArrayList<>(ids.stream().filter(l -> l.size() == 1).toList());
        Collections.shuffle(singles, new java.util.Random(seed));
        int half = singles.size() / 2;
        return new Split(multi, singles.subList(0, half).stream().map(l -> l.get(0)).toList(),
                singles.subList(half, singles.size()).stream().map(l -> l.get(0)).toList());
    }

    static void run() throws Exception {
        long t0 = System.nanoTime();
        Path root = repoRoot();
        Path dir = resolve(root, prop("openset.dir", "../shared/data/faces/lfw-dev"));
        long seed = Long.parseLong(prop("openset.seed", String.valueOf(DEFAULT_SEED)));
        Path out = resolve(root, prop("openset.out", "bundles/recognition/target/openset"));
        boolean writeCalibration = Boolean.parseBoolean(prop("openset.writeCalibration", "false"));
        String sp = prop("openset.samePerson", DEFAULT_SAME_PERSON);
        java.util.Set<String> samePerson = samePerson(sp);
        if (!Files.isDirectory(dir)) {
            System.out.println("OPENSET skipped: " + dir + " absent (set -Dopenset.dir=...; see shared/data/README.md)");
            return;
        }
        List<List<Photo>> ids = identities(dir);
        int photos = ids.stream().mapToInt(List::size).sum();
        Split split = split(ids, seed);
        List<List<Photo>> multi = split.multi();
        List<Photo> distractors = split.distractors();
        List<Photo> strangers = split.strangers();
        int singlesCount = distractors.size() + strangers.size();
        List<Photo> galleryPhotos = new ArrayList<>();
        multi.forEach(l -> galleryPhotos.add(l.get(0)));
        galleryPhotos.addAll(distractors);
        List<Photo> matedPhotos = multi.stream().map(l -> l.get(1)).toList();
        String protocol = String.format(Locale.ROOT, "gallery = first photo of each of the %d identities with >= 2 "
                        + "photos + %d of the %d single-photo identities (distractors, java.util.Random(%d) shuffle of the "
                        + "names in order, first half); mated probes = the second photo of each identity with >= 2 photos; "
                        + "strangers = the other %d single-photo identities; templates from FaceEngine.embed "
                        + "(metatype defaults), full frames; same person under two LFW names not an impostor: %s",
                multi.size(), distractors.size(), singlesCount, seed, strangers.size(),
                samePerson.isEmpty() ? "none" : sp);
        String dataset = String.format(Locale.ROOT, "%s: %d identities, %d full frames%s", dir.getFileName(), ids.size(),
                photos, dir.getFileName().toString().equals("lfw-dev") ? " (LFW names A-C)" : "");
        System.out.printf("OPENSET %s%n  data: %s (%s)%n  protocol: %s%n", dataset, dir, "seed " + seed, protocol);

        EngineConfig cfg = EngineConfig.defaults();
        List<Result> gallery;
        List<Result> mated;
        List<Result> stranger;
        String modelId;
        long e0 = System.nanoTime();
        try (FaceEngineImpl engine = new FaceEngineImpl(cfg, OpenSetBench.class.getClassLoader())) {
            modelId = engine.modelId();
            System.out.printf("  engine: model %s, detector %s, %d workers, min eye distance identify %.0f px "
                            + "(metatype defaults, as the OSGi component builds it)%n", modelId, cfg.detector(),
                    cfg.effectivePoolSize(), cfg.minInterEyeDistanceIdentify());
            ExecutorService callers = Executors.newFixedThreadPool(cfg.effectivePoolSize() + 2);
            try {
                e0 = System.nanoTime();
                gallery = process(engine, callers, galleryPhotos, true);
                mated = process(engine, callers, matedPhotos, false);
                stranger = process(engine, callers, strangers, false);
            } finally {
                callers.shutdownNow();
            }
        }
        double embedSeconds = (System.nanoTime() - e0) / 1e9;
        System.out.printf("  %d photos through the engine in %.1f s%n", galleryPhotos.size() + matedPhotos.size()
                + strangers.size(), embedSeconds);

        // ---- refusals
        System.out.println("  refused by embed (the identification path), by code:");
        refusals("gallery", gallery, Result::refused);
        refusals("mated probes", mated, Result::refused);
        refusals("strangers", stranger, Result::refused);
        System.out.println("  gallery photos enrollmentTemplate would refuse (product enrolment gates; their embed"
                + " template is used here all the same):");
        refusals("gallery (enrol)", gallery, Result::enrollRefused);

        // ---- gallery (the bundle's own search) and all comparisons
        List<Result> enrolled = gallery.stream().filter(r -> r.v() != null).toList();
        Map<String, float[]> templateOf = new TreeMap<>();
        QuantizedGallery g = new QuantizedGallery(512);
        List<float[]> galleryVectors = new ArrayList<>();
        List<String> galleryIds = new ArrayList<>();
        for (Result r : enrolled) {
            g.add("dev", r.photo().person(), r.v());
            templateOf.put(r.photo().person(), r.v());
            galleryVectors.add(r.v());
            galleryIds.add(r.photo().person());
        }
        int n = enrolled.size();
        float[] genuine = new float[mated.size()];
        int gn = 0;
        float[] impostor = new float[(mated.size() + stranger.size()) * n];
        int in = 0;
        List<OpenSetMetrics.Mated> matedSearches = new ArrayList<>();
        int notEnrolled = 0;
        int searchDisagrees = 0;
        List<String> sameSkipped = new ArrayList<>();
        List<String[]> high = new ArrayList<>(); // impostor comparisons >= HIGH: score, kind, probe, gallery photo
        List<String> galleryFiles = enrolled.stream().map(r -> r.photo().file().getFileName().toString()).toList();
        for (Result r : mated) {
            String who = r.photo().person();
            if (!templateOf.containsKey(who)) {
                notEnrolled++; // its gallery photo was refused: the person is not in the gallery
                continue;
            }
            if (r.v() == null) {
                matedSearches.add(OpenSetMetrics.Mated.refusedPhoto());
                continue;
            }
            Candidate best = g.search("dev", r.v(), 1).get(0);
            matedSearches.add(new OpenSetMetrics.Mated(false, best.subjectId().equals(who), best.score()));
            float top = Float.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                float s = dot(r.v(), galleryVectors.get(i));
                top = Math.max(top, s);
                if (galleryIds.get(i).equals(who)) {
                    genuine[gn++] = s;
                } else if (samePerson.contains(who + "=" + galleryIds.get(i))) {
                    sameSkipped.add(String.format(Locale.ROOT, "%.3f %s vs %s", s,
                            r.photo().file().getFileName(), galleryFiles.get(i)));
                } else {
                    impostor[in++] = s;
                    high(high, s, "mated probe", r, galleryFiles.get(i));
                }
            }
            if (Math.abs(top - best.score()) > 1e-5f) {
                searchDisagrees++;
            }
        }
        List<Float> strangerBest = new ArrayList<>();
        int strangersRefused = 0;
        for (Result r : stranger) {
            if (r.v() == null) {
                strangersRefused++;
                continue;
            }
            String who = r.photo().person();
            java.util.Optional<String> twin = galleryIds.stream().filter(id -> samePerson.contains(who + "=" + id)).findFirst();
            if (twin.isPresent()) { // enrolled under another name: not a stranger
                int i = galleryIds.indexOf(twin.get());
                sameSkipped.add(String.format(Locale.ROOT, "%.3f %s vs %s (stranger left out)",
                        dot(r.v(), galleryVectors.get(i)), r.photo().file().getFileName(), galleryFiles.get(i)));
                continue;
            }
            Candidate best = g.search("dev", r.v(), 1).get(0);
            strangerBest.add(best.score());
            float top = Float.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                float s = dot(r.v(), galleryVectors.get(i));
                top = Math.max(top, s);
                impostor[in++] = s;
                high(high, s, "stranger", r, galleryFiles.get(i));
            }
            if (Math.abs(top - best.score()) > 1e-5f) {
                searchDisagrees++;
            }
        }
        g.close();
        float[] sb = new float[strangerBest.size()];
        for (int i = 0; i < sb.length; i++) {
            sb[i] = strangerBest.get(i);
        }
        OpenSetMetrics m = new OpenSetMetrics(java.util.Arrays.copyOf(genuine, gn), java.util.Arrays.copyOf(impostor, in),
                matedSearches, sb, strangersRefused);

        System.out.printf("%n  counts: gallery %d templates (%d photos, %d refused), mated searches %d (%d refused by "
                        + "embed = misses; %d more not searched: their gallery photo was refused), strangers %d searched "
                        + "(%d refused, not counted in FPIR)%n", n, galleryPhotos.size(), galleryPhotos.size() - n,
                m.matedSearches(), m.matedRefused(), notEnrolled, m.strangerSearches(), m.strangersRefused());
        System.out.printf("  comparisons: genuine %,d, impostor %,d (%d stranger x gallery + %d non-mated probe x "
                        + "gallery); smallest measurable FMR = 1/%d = %.2e; best of the bundle's gallery search = best"
                        + " of the float comparisons in %d of %d searches%n", m.genuineComparisons(),
                m.impostorComparisons(), m.strangerSearches() * n, m.impostorComparisons() - m.strangerSearches() * n,
                m.impostorComparisons(), m.smallestMeasurableFmr(),
                m.matedSearches() - m.matedRefused() + m.strangerSearches() - searchDisagrees,
                m.matedSearches() - m.matedRefused() + m.strangerSearches());
        System.out.printf("  rank-1 identification rate: %.2f %% of the mated searches (%.2f %% of those embed answered)%n",
                100 * m.rank1(), 100 * m.rank1Answered());

        System.out.printf("  same person under two LFW names, left out of the impostors (-Dopenset.samePerson=none keeps"
                + " them): %s%n", sameSkipped.isEmpty() ? "none" : sameSkipped);
        high.sort((a, b) -> Float.compare(Float.parseFloat(b[0]), Float.parseFloat(a[0])));
        System.out.printf("  highest impostor comparisons (>= %.2f; %d of them):%n", HIGH, high.size());
        high.stream().limit(12).forEach(h -> System.out.printf("    %s  %-11s %-34s vs gallery %s%n", h[0], h[1], h[2], h[3]));

        // ---- table
        double[] table = OpenSetMetrics.grid(0.25, 0.70, 0.025);
        System.out.printf("%n  threshold table (N = dev gallery = %d; FPIR pred = 1-(1-FMR)^N, independence assumed; "
                + "FNIR counts refused probes as misses; wrong = mated probe whose best is someone else >= t)%n", n);
        System.out.println("      t      FMR        FNMR     FNIR     FPIR meas  FPIR pred   wrong");
        for (double t : table) {
            System.out.printf(Locale.ROOT, "  %s %.3f  %-9s  %6.2f %%  %6.2f %%  %6.2f %%  %7.2f %%   %d%n",
                    Math.abs(t - RULE) < 1e-9 ? "*" : " ", t, sci(m.fmr(t)), 100 * m.fnmr(t), 100 * m.fnir(t),
                    100 * m.fpir(t), 100 * OpenSetMetrics.fpirExtrapolated(m.fmr(t), n), m.matedWrongAccepted(t));
        }
        System.out.printf(Locale.ROOT, "  * current rule %.2f: FNIR %.2f %% (%.2f %% of answered), FPIR %.2f %% measured "
                        + "(%d of %d strangers), FMR %s (%d of %,d impostor comparisons), FNMR %.2f %%%n", RULE,
                100 * m.fnir(RULE), 100 * m.fnirAnswered(RULE), 100 * m.fpir(RULE),
                Math.round(m.fpir(RULE) * m.strangerSearches()), m.strangerSearches(), sci(m.fmr(RULE)),
                m.impostorsAtLeast(RULE), m.impostorComparisons(), 100 * m.fnmr(RULE));

        // ---- FPIR at the rule and thresholds per gallery size
        double[] fine = OpenSetMetrics.grid(0.0, 1.0, 0.001);
        double[] fit = m.tailFit(fine, 10, 1e-2);
        System.out.printf("%n  extrapolation to larger galleries: FPIR(N,t) = 1-(1-FMR(t))^N, which assumes a stranger's"
                + " N comparisons are independent (look-alikes make them correlated: the measured FPIR at the dev size is"
                + " the check)%n");
        if (fit != null) {
            System.out.printf(Locale.ROOT, "  impostor tail fit (for FMR below 1/%d): ln FMR = %.2f %+.2f t (grid points "
                    + "with >= 10 impostors and FMR <= 1e-2)%n", m.impostorComparisons(), fit[0], fit[1]);
        }
        System.out.print(String.format(Locale.ROOT, "  %-7s %-14s", "N", "FPIR at 0.45"));
        for (double p : TARGETS) {
            System.out.printf(Locale.ROOT, " | FPIR %.1f %%: t data / fit, FNIR", 100 * p);
        }
        System.out.println();
        int[] sizes = new int[GALLERY_SIZES.length + 1];
        sizes[0] = n;
        System.arraycopy(GALLERY_SIZES, 0, sizes, 1, GALLERY_SIZES.length);
        for (int size : sizes) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "  %-7s %8.2f %%    ",
                    size == n ? n + "*" : String.valueOf(size), 100 * OpenSetMetrics.fpirExtrapolated(m.fmr(RULE), size)));
            for (double p : TARGETS) {
                boolean ok = m.measurable(p, size);
                double data = m.thresholdFor(p, size, fine);
                double tail = fit == null ? Double.NaN : OpenSetMetrics.tailThreshold(fit, OpenSetMetrics.fmrForFpir(p, size));
                double use = ok || fit == null ? data : tail;
                row.append(String.format(Locale.ROOT, " | %-5s / %5.3f, %5.1f %%          ",
                        ok ? String.format(Locale.ROOT, "%.3f", data) : "  -", tail, 100 * m.fnir(use)));
            }
            System.out.println(row);
        }
        System.out.printf("  * N = the dev gallery. 'data' = smallest t (0.001 grid) whose measured FMR gives the FPIR; '-' ="
                + " the FMR needed, 1-(1-FPIR)^(1/N), is below one impostor in %d, beyond the data; 'fit' = from the tail"
                + " fit; FNIR = measured on the dev mated probes at the data threshold, or the fit one where there is none"
                + " (FNIR itself grows a little with N: more look-alikes outrank the mate)%n", m.impostorComparisons());
        for (double p : TARGETS) {
            double t = m.thresholdFor(p, n, fine);
            double tm = Double.NaN;
            for (double x : fine) {
                if (m.fpir(x) <= p) {
                    tm = x;
                    break;
                }
            }
            System.out.printf(Locale.ROOT, "  check at N=%d, FPIR %.1f %%: extrapolated threshold %.3f, measured on the "
                    + "%d strangers %.3f (FPIR resolution 1/%d = %.2f %%)%n", n, 100 * p, t, m.strangerSearches(), tm,
                    m.strangerSearches(), 100.0 / m.strangerSearches());
        }

        // ---- correlated comparisons: strangers accepted more often than independence predicts
        double factor = m.comparisonFactor(OpenSetMetrics.grid(0.2, 0.8, 0.005), n, 5);
        System.out.printf(Locale.ROOT, "%n  comparison factor (measured FPIR over the independence prediction, "
                + "largest where >= 5 strangers reached t): %.3f — the calibration multiplies a gallery's template "
                + "count by it%n", factor);

        // ---- files
        Files.createDirectories(out);
        writeCsv(out.resolve("openset-scores.csv"), m, n);
        DetPlot.write(m, n, RULE, fine, fit, out.resolve("openset-det.png"), out.resolve("openset-det.svg"), dataset);
        System.out.printf("%n  wrote %s (thresholds 0.200..0.800 step 0.005), openset-det.png, openset-det.svg%n",
                out.resolve("openset-scores.csv"));
        if (writeCalibration) {
            // the name the engine's GalleryBands reads (the model id made a file name)
            Path cal = root.resolve("bundles/recognition/src/main/resources").resolve(
                    org.gatehouse.recognition.internal.calibration.Calibration.resourceName(modelId));
            Files.createDirectories(cal.getParent());
            Files.writeString(cal, calibrationJson(m, modelId, dataset, protocol, factor), StandardCharsets.UTF_8);
            System.out.printf("  wrote calibration %s (FMR 0 where no impostor reached t; smallest measurable FMR = "
                    + "1/%d)%n", cal, m.impostorComparisons());
        }
        System.out.printf("  total %.1f s%n", (System.nanoTime() - t0) / 1e9);
    }

    static List<Result> process(FaceEngineImpl engine, ExecutorService callers, List<Photo> photos, boolean enrol)
            throws Exception {
        List<Future<Result>> fs = new ArrayList<>();
        for (Photo p : photos) {
            fs.add(callers.submit(() -> one(engine, p, enrol)));
        }
        List<Result> res = new ArrayList<>();
        for (Future<Result> f : fs) {
            res.add(f.get());
        }
        return res;
    }

    static Result one(FaceEngineImpl engine, Photo p, boolean enrol) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(p.file());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String enrolRefused = null;
        if (enrol) {
            try {
                // same primary face and pipeline as embed, so the same template when accepted
                FaceTemplate t = engine.enrollmentTemplate(bytes);
                return new Result(p, t.vector(), null, null, t.face().quality());
            } catch (FaceException e) {
                enrolRefused = e.code().name();
            }
        }
        for (int attempt = 0; ; attempt++) {
            try {
                FaceTemplate t = engine.embed(bytes);
                return new Result(p, t.vector(), null, enrolRefused, t.face().quality());
            } catch (FaceException e) {
                if (e.code() == FaceException.Code.ENGINE_UNAVAILABLE && attempt < 100) {
                    sleep(); // busy: not a verdict on the photo
                    continue;
                }
                return new Result(p, null, e.code().name(), enrolRefused, null);
            }
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static void refusals(String what, List<Result> rs, java.util.function.Function<Result, String> code) {
        Map<String, List<String>> by = new TreeMap<>();
        for (Result r : rs) {
            String c = code.apply(r);
            if (c != null) {
                by.computeIfAbsent(c, k -> new ArrayList<>()).add(r.photo().file().getFileName().toString());
            }
        }
        int total = by.values().stream().mapToInt(List::size).sum();
        StringBuilder sb = new StringBuilder(String.format("    %-16s %d of %d", what, total, rs.size()));
        by.forEach((c, files) -> sb.append(String.format("; %s %d%s", c, files.size(),
                files.size() <= 6 ? " " + files : "")));
        System.out.println(sb);
    }

    static final float HIGH = 0.45f;

    static void high(List<String[]> high, float s, String kind, Result probe, String galleryFile) {
        if (s >= HIGH) {
            high.add(new String[] {String.format(Locale.ROOT, "%.3f", s), kind,
                    probe.photo().file().getFileName().toString(), galleryFile});
        }
    }

    static float dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return (float) s;
    }

    static String sci(double v) {
        return v == 0 ? "0" : String.format(Locale.ROOT, "%.2e", v);
    }

    /** A fraction for JSON/CSV: 0 as 0, else 6 significant digits. */
    static String num(double v) {
        if (v == 0) {
            return "0";
        }
        return new BigDecimal(v).round(new MathContext(6)).stripTrailingZeros().toString();
    }

    static void writeCsv(Path file, OpenSetMetrics m, int n) throws IOException {
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8))) {
            w.println("threshold,fmr,impostors_at_or_above,fnmr,fnir,fnir_answered,fpir_measured,fpir_extrapolated_dev_n,"
                    + "mated_wrong_accepted");
            for (double t : OpenSetMetrics.grid(0.2, 0.8, 0.005)) {
                w.printf(Locale.ROOT, "%.3f,%s,%d,%s,%s,%s,%s,%s,%d%n", t, num(m.fmr(t)), m.impostorsAtLeast(t),
                        num(m.fnmr(t)), num(m.fnir(t)), num(m.fnirAnswered(t)), num(m.fpir(t)),
                        num(OpenSetMetrics.fpirExtrapolated(m.fmr(t), n)), m.matedWrongAccepted(t));
            }
            w.printf(Locale.ROOT, "# impostor comparisons %d, genuine %d, mated searches %d (refused %d), strangers %d "
                            + "(refused %d), dev gallery %d%n", m.impostorComparisons(), m.genuineComparisons(),
                    m.matedSearches(), m.matedRefused(), m.strangerSearches(), m.strangersRefused(), n);
        }
    }

    static String calibrationJson(OpenSetMetrics m, String modelId, String dataset, String protocol, double factor) {
        double[] ts = OpenSetMetrics.grid(0.2, 0.8, 0.005);
        StringBuilder t = new StringBuilder();
        StringBuilder f = new StringBuilder();
        StringBuilder nm = new StringBuilder();
        for (int i = 0; i < ts.length; i++) {
            String sep = i == 0 ? "" : ", ";
            t.append(sep).append(String.format(Locale.ROOT, "%.3f", ts[i]));
            f.append(sep).append(num(m.fmr(ts[i])));
            nm.append(sep).append(num(m.fnmr(ts[i])));
        }
        return "{\n"
                + "  \"modelId\": " + json(modelId) + ",\n"
                + "  \"dataset\": " + json(dataset) + ",\n"
                + "  \"protocol\": " + json(protocol) + ",\n"
                + "  \"measuredAt\": " + json(LocalDate.now().toString()) + ",\n"
                + "  \"impostorComparisons\": " + m.impostorComparisons() + ",\n"
                + "  \"genuineComparisons\": " + m.genuineComparisons() + ",\n"
                + "  \"comparisonFactor\": " + String.format(Locale.ROOT, "%.3f", factor) + ",\n"
                + "  \"thresholds\": [" + t + "],\n"
                + "  \"falseMatchRate\": [" + f + "],\n"
                + "  \"falseNonMatchRate\": [" + nm + "]\n"
                + "}\n";
    }

    static String json(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}

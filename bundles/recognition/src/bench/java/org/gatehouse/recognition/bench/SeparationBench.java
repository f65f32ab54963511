package org.gatehouse.recognition.bench;

import org.gatehouse.recognition.api.Quality;
import org.gatehouse.recognition.bench.OpenSetBench.Photo;
import org.gatehouse.recognition.bench.OpenSetBench.Result;
import org.gatehouse.recognition.bench.SeparationMetrics.Fusion;
import org.gatehouse.recognition.bench.SeparationMetrics.Point;
import org.gatehouse.recognition.bench.SeparationMetrics.Ranked;
import org.gatehouse.recognition.internal.EngineConfig;
import org.gatehouse.recognition.internal.FaceEngineImpl;
import org.gatehouse.recognition.internal.gallery.QuantizedGallery;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiFunction;

/**
 * Separation benchmark ({@code -Dbench=separation}): what moves FNIR/FPIR on lfw-dev beyond one threshold on the best
 * score, on the seeded protocol of {@link OpenSetBench} (same split, same engine path, same LFW name duplicates left
 * out). Every rule turns a search into one decision score (accept when &ge; t); reported: rank-1, FNIR at measured
 * FPIR 0.5 % and 1 %, FPIR at FNIR 3 % ({@link SeparationMetrics#evaluate}).
 *
 * <ul>
 *   <li>P1 (the open-set protocol): gallery = photo 1 of the identities with &ge; 2 photos + the distractors; mated
 *       = photo 2; rules: baseline, margin over the second-best subject, quality penalties, cohort Z-norm and a cohort
 *       shift of the threshold.</li>
 *   <li>P2 (several photos at enrolment): the identities with &ge; 3 photos, probe = photo 3; gallery photo 1 only
 *       vs photos 1 + 2 (max or mean of the subject's scores, or their mean template); the others as in P1.</li>
 *   <li>P3 (two frames agree): identities with &ge; 2 photos split in half (Random(seed + 1)); half A enrolled
 *       (photo 1), its members with &ge; 3 photos probed with photos 2 and 3 as two frames; half B are strangers
 *       with two different photos (photos 1 and 2) — decorrelated frames, the optimistic case; the single-photo
 *       strangers can only repeat their one frame (the pessimistic case: agreement gains nothing).</li>
 * </ul>
 */
public final class SeparationBench {

    private SeparationBench() {
    }

    /** A gallery by subject: templates, their subject index, subject names. */
    static final class Gallery {
        final List<String> names = new ArrayList<>();
        final Map<String, Integer> index = new HashMap<>();
        final List<float[]> templates = new ArrayList<>();
        final List<Integer> subjectOfList = new ArrayList<>();
        int[] subjectOf;

        Gallery() {
        }

        Gallery(Gallery g) {
            for (int i = 0; i < g.templates.size(); i++) {
                add(g.names.get(g.subjectOfList.get(i)), g.templates.get(i));
            }
        }

        void add(String subject, float[] v) {
            int s = index.computeIfAbsent(subject, k -> {
                names.add(k);
                return names.size() - 1;
            });
            templates.add(v);
            subjectOfList.add(s);
            subjectOf = null;
        }

        Ranked search(float[] probe, Fusion f) {
            if (subjectOf == null) {
                subjectOf = subjectOfList.stream().mapToInt(Integer::intValue).toArray();
            }
            float[] scores = new float[templates.size()];
            for (int i = 0; i < scores.length; i++) {
                scores[i] = OpenSetBench.dot(probe, templates.get(i));
            }
            return SeparationMetrics.rank(scores, subjectOf, names.size(), f);
        }

        boolean correct(Ranked r, String person) {
            return r.best() >= 0 && names.get(r.best()).equals(person);
        }
    }

    /** One search kept for the rules: the ranking, whether its best is the person (mated), the probe's quality. */
    record Search(Ranked r, boolean correct, Quality q) {
    }

    record Rule(String name, BiFunction<Ranked, Quality, Float> score) {
    }

    static void run() throws Exception {
        long t0 = System.nanoTime();
        Path root = OpenSetBench.repoRoot();
        Path dir = OpenSetBench.resolve(root, OpenSetBench.prop("openset.dir", "../shared/data/faces/lfw-dev"));
        long seed = Long.parseLong(OpenSetBench.prop("openset.seed", String.valueOf(OpenSetBench.DEFAULT_SEED)));
        Set<String> same = OpenSetBench.samePerson(OpenSetBench.prop("openset.samePerson", OpenSetBench.DEFAULT_SAME_PERSON));
        if (!Files.isDirectory(dir)) {
            System.out.println("SEPARATION skipped: " + dir + " absent (set -Dopenset.dir=...)");
            return;
        }
        List<List<Photo>> ids = OpenSetBench.identities(dir);
        OpenSetBench.Split split = OpenSetBench.split(ids, seed);
        List<Photo> all = new ArrayList<>();
        split.multi().forEach(l -> all.addAll(l.subList(0, Math.min(3, l.size()))));
        all.addAll(split.distractors());
        all.addAll(split.strangers());
        System.out.printf("SEPARATION %s, seed %d: the open-set split (%d identities with >= 2 photos, %d distractors,"
                        + " %d strangers); %d photos through the engine (the first 3 of each identity)%n", dir, seed,
                split.multi().size(), split.distractors().size(), split.strangers().size(), all.size());

        // one pass through the engine with both embedders: a fused template [sqrt(1-w) a, sqrt(w) b] at w = 0.5 is
        // split back into the first embedder's a (every rule but (f) uses a alone) and the second's b
        Map<Path, Result> emb = new HashMap<>();
        Map<Path, float[]> second = new HashMap<>();
        double embedMs;
        double embedBothMs;
        EngineConfig cfg = EngineConfig.defaults();
        EngineConfig both = cfg.toBuilder().secondEmbedderWeight(0.5f).build();
        try (FaceEngineImpl engine = new FaceEngineImpl(both, SeparationBench.class.getClassLoader())) {
            ExecutorService callers = Executors.newFixedThreadPool(cfg.effectivePoolSize() + 2);
            try {
                for (Result r : OpenSetBench.process(engine, callers, all, false)) {
                    float[][] ab = r.v() == null ? null : split(r.v(), FaceEngineImpl.DIM, 0.5f);
                    emb.put(r.photo().file(), new Result(r.photo(), ab == null ? null : ab[0], r.refused(),
                            r.enrollRefused(), r.quality()));
                    if (ab != null) {
                        second.put(r.photo().file(), ab[1]);
                    }
                }
            } finally {
                callers.shutdownNow();
            }
            embedBothMs = medianEmbedMs(engine, split.strangers());
        }
        try (FaceEngineImpl engine = new FaceEngineImpl(cfg, SeparationBench.class.getClassLoader())) {
            embedMs = medianEmbedMs(engine, split.strangers());
        }
        long refused = emb.values().stream().filter(r -> r.v() == null).count();
        System.out.printf("  embedded in %.1f s; refused by embed: %d%n", (System.nanoTime() - t0) / 1e9, refused);

        // strangers: not one enrolled under another LFW name (as OpenSetBench)
        Set<String> enrolledNames = new java.util.HashSet<>();
        split.multi().forEach(l -> enrolledNames.add(l.get(0).person()));
        split.distractors().forEach(p -> enrolledNames.add(p.person()));
        List<Photo> strangers = split.strangers().stream()
                .filter(p -> enrolledNames.stream().noneMatch(n -> same.contains(p.person() + "=" + n))).toList();

        // ================= P1: the open-set protocol
        Gallery g1 = new Gallery();
        split.multi().forEach(l -> g1.add(l.get(0).person(), emb.get(l.get(0).file()).v()));
        split.distractors().forEach(p -> g1.add(p.person(), emb.get(p.file()).v()));
        List<Search> mated1 = searches(g1, split.multi().stream().map(l -> l.get(1)).toList(), emb, Fusion.MAX);
        List<Search> str1 = searches(g1, strangers, emb, Fusion.MAX);

        List<Quality> qs = new ArrayList<>();
        mated1.forEach(s -> qs.add(s.q()));
        str1.forEach(s -> qs.add(s.q()));
        double[] ied = qs.stream().mapToDouble(Quality::interEyeDistance).sorted().toArray();
        double[] sharp = qs.stream().mapToDouble(Quality::sharpness).sorted().toArray();
        double[] yaw = qs.stream().mapToDouble(q -> Math.abs(q.yaw())).sorted().toArray();
        System.out.printf(Locale.ROOT, "  probe quality (P1 probes): inter-eye px p10 %.1f p25 %.1f p50 %.1f; sharpness"
                        + " p10 %.0f p25 %.0f p50 %.0f; |yaw| p50 %.2f p75 %.2f p90 %.2f%n", q(ied, .1), q(ied, .25),
                q(ied, .5), q(sharp, .1), q(sharp, .25), q(sharp, .5), q(yaw, .5), q(yaw, .75), q(yaw, .9));

        List<Rule> rules = new ArrayList<>();
        rules.add(new Rule("baseline: best >= t", (r, q) -> r.bestScore()));
        for (double m : new double[] {0.02, 0.04, 0.06, 0.08, 0.10, 0.12, 0.15}) {
            rules.add(new Rule(String.format(Locale.ROOT, "(b) margin best-second >= %.2f", m),
                    (r, q) -> SeparationMetrics.withMargin(r, m)));
        }
        for (double p : new double[] {0.1, 0.25, 0.5}) {
            double x = q(ied, p);
            for (double d : new double[] {0.03, 0.05, 0.10}) {
                rules.add(new Rule(String.format(Locale.ROOT, "(c) t+%.2f when eyes < %.0f px (p%.0f)", d, x, 100 * p),
                        (r, q) -> SeparationMetrics.qualityPenalty(r.bestScore(), q.interEyeDistance() < x, d)));
            }
        }
        for (double p : new double[] {0.1, 0.25}) {
            double x = q(sharp, p);
            for (double d : new double[] {0.03, 0.05, 0.10}) {
                rules.add(new Rule(String.format(Locale.ROOT, "(c) t+%.2f when sharpness < %.0f (p%.0f)", d, x, 100 * p),
                        (r, q) -> SeparationMetrics.qualityPenalty(r.bestScore(), q.sharpness() < x, d)));
            }
        }
        for (double p : new double[] {0.75, 0.9}) {
            double x = q(yaw, p);
            for (double d : new double[] {0.03, 0.05}) {
                rules.add(new Rule(String.format(Locale.ROOT, "(c) t+%.2f when |yaw| > %.2f (p%.0f)", d, x, 100 * p),
                        (r, q) -> SeparationMetrics.qualityPenalty(r.bestScore(), Math.abs(q.yaw()) > x, d)));
            }
        }
        for (int k : new int[] {5, 10, 20, 50, 100, 1_000_000}) {
            rules.add(new Rule("(d) Z-norm vs top-" + (k >= 1_000_000 ? "all" : k) + " others",
                    (r, q) -> SeparationMetrics.zNorm(r, k)));
        }
        for (int k : new int[] {10, 50, 1_000_000}) {
            for (double a : new double[] {0.5, 1.0}) {
                rules.add(new Rule(String.format(Locale.ROOT, "(d) best - %.1f x mean(top-%s others)", a,
                        k >= 1_000_000 ? "all" : String.valueOf(k)), (r, q) -> SeparationMetrics.cohortShift(r, k, a)));
            }
        }
        rules.add(new Rule("(b+d) margin 0.06, Z-norm top-10", (r, q) ->
                SeparationMetrics.withMargin(r, 0.06) == Float.NEGATIVE_INFINITY ? Float.NEGATIVE_INFINITY
                        : SeparationMetrics.zNorm(r, 10)));
        System.out.printf("%n  P1 = the open-set protocol: gallery %d templates, %d mated probes (photo 2), %d strangers%n",
                g1.templates.size(), mated1.size(), str1.size());
        header();
        for (Rule rule : rules) {
            row(rule.name(), evaluate(mated1, str1, rule));
        }

        // ================= P2: several photos per resident at enrolment
        List<List<Photo>> three = split.multi().stream().filter(l -> l.size() >= 3).toList();
        Set<String> threeNames = new java.util.HashSet<>();
        three.forEach(l -> threeNames.add(l.get(0).person()));
        Gallery two = new Gallery(g1);
        three.forEach(l -> two.add(l.get(1).person(), emb.get(l.get(1).file()).v()));
        Gallery meanT = new Gallery();
        split.multi().forEach(l -> meanT.add(l.get(0).person(), threeNames.contains(l.get(0).person())
                ? SeparationMetrics.meanTemplate(List.of(emb.get(l.get(0).file()).v(), emb.get(l.get(1).file()).v()))
                : emb.get(l.get(0).file()).v()));
        split.distractors().forEach(p -> meanT.add(p.person(), emb.get(p.file()).v()));
        List<Photo> probe3 = three.stream().map(l -> l.get(2)).toList();
        System.out.printf("%n  P2 = several photos at enrolment: the %d identities with >= 3 photos probed with photo 3;"
                + " strangers as P1 (%d)%n", three.size(), str1.size());
        header();
        Rule base = rules.get(0);
        Rule margin06 = new Rule("margin 0.06", (r, q) -> SeparationMetrics.withMargin(r, 0.06));
        Rule z10 = new Rule("Z-norm top-10", (r, q) -> SeparationMetrics.zNorm(r, 10));
        Object[][] variants = {
                {"1 photo enrolled (" + g1.templates.size() + " templates)", g1, Fusion.MAX},
                {"(a) 2 photos, max of the subject's scores (" + two.templates.size() + ")", two, Fusion.MAX},
                {"(a) 2 photos, mean of the subject's scores (" + two.templates.size() + ")", two, Fusion.MEAN},
                {"(a) 2 photos, their mean template (" + meanT.templates.size() + ")", meanT, Fusion.MAX}};
        for (Object[] v : variants) {
            Gallery g = (Gallery) v[1];
            Fusion f = (Fusion) v[2];
            List<Search> ms = searches(g, probe3, emb, f);
            List<Search> ss = searches(g, strangers, emb, f);
            row(v[0] + "", evaluate(ms, ss, base));
            row("   + margin 0.06", evaluate(ms, ss, margin06));
            row("   + Z-norm top-10", evaluate(ms, ss, z10));
        }

        // ================= P3: two frames must agree
        List<List<Photo>> shuffled = new ArrayList<>(split.multi());
        Collections.shuffle(shuffled, new java.util.Random(seed + 1));
        List<List<Photo>> a = shuffled.subList(0, shuffled.size() / 2);
        List<List<Photo>> b = shuffled.subList(shuffled.size() / 2, shuffled.size());
        Gallery g3 = new Gallery();
        a.forEach(l -> g3.add(l.get(0).person(), emb.get(l.get(0).file()).v()));
        split.distractors().forEach(p -> g3.add(p.person(), emb.get(p.file()).v()));
        List<List<Photo>> aThree = a.stream().filter(l -> l.size() >= 3).toList();
        List<Search> f1 = searches(g3, aThree.stream().map(l -> l.get(1)).toList(), emb, Fusion.MAX);
        List<Search> f2 = searches(g3, aThree.stream().map(l -> l.get(2)).toList(), emb, Fusion.MAX);
        List<Search> b1 = searches(g3, b.stream().map(l -> l.get(0)).toList(), emb, Fusion.MAX);
        List<Search> b2 = searches(g3, b.stream().map(l -> l.get(1)).toList(), emb, Fusion.MAX);
        List<Search> singles = searches(g3, strangers, emb, Fusion.MAX);
        List<OpenSetMetrics.Mated> one = f1.stream().map(s -> mated(s, s.r().bestScore())).toList();
        List<OpenSetMetrics.Mated> agreeM = new ArrayList<>();
        List<OpenSetMetrics.Mated> meanM = new ArrayList<>();
        for (int i = 0; i < f1.size(); i++) {
            Ranked x = f1.get(i).r();
            Ranked y = f2.get(i).r();
            agreeM.add(SeparationMetrics.agree(x.best(), x.bestScore(), y.best(), y.bestScore(),
                    f1.get(i).correct() && f2.get(i).correct()));
            Ranked fused = SeparationMetrics.meanOfFrames(x, y);
            meanM.add(new OpenSetMetrics.Mated(false, g3.correct(fused, aThree.get(i).get(0).person()), fused.bestScore()));
        }
        float[] bOne = new float[b1.size()];
        float[] bTwo = new float[b1.size()];
        float[] bMean = new float[b1.size()];
        for (int i = 0; i < bOne.length; i++) {
            Ranked x = b1.get(i).r();
            Ranked y = b2.get(i).r();
            bOne[i] = x.bestScore();
            bTwo[i] = SeparationMetrics.agree(x.best(), x.bestScore(), y.best(), y.bestScore());
            bMean[i] = SeparationMetrics.meanOfFrames(x, y).bestScore();
        }
        float[] singleOne = best(singles);
        System.out.printf("%n  P3 = two frames agree (weak LFW stand-in for several frames of one passage): gallery %d "
                        + "templates (half A of the %d identities with >= 2 photos, Random(seed+1), + distractors); mated ="
                        + " the %d of A with >= 3 photos, frames = photos 2 and 3; strangers = half B (%d, two different "
                        + "photos) [+ the %d single-photo strangers, whose one frame can only repeat]%n",
                g3.templates.size(), split.multi().size(), aThree.size(), b.size(), singleOne.length);
        header();
        row("1 frame (photo 2), strangers B", SeparationMetrics.evaluate(one, bOne));
        row("(e) 2 frames agree, strangers B", SeparationMetrics.evaluate(agreeM, bTwo));
        row("(e) 2 frames, mean score by subject, strangers B", SeparationMetrics.evaluate(meanM, bMean));
        row("1 frame, strangers B + singles", SeparationMetrics.evaluate(one, concat(bOne, singleOne)));
        row("(e) 2 frames agree, strangers B + singles", SeparationMetrics.evaluate(agreeM, concat(bTwo, singleOne)));
        row("(e) 2 frames mean, strangers B + singles", SeparationMetrics.evaluate(meanM, concat(bMean, singleOne)));

        // ================= P4: a second, independent embedder fused with the first
        System.out.printf("%n  P4 = a second embedder (face-api.js, dlib ResNet 128-d on a 150x150 dlib chip) fused with the"
                + " first: score = (1-w) cos(first) + w cos(second); P1 and P2 protocols%n");
        header();
        for (float w : new float[] {0f, 0.2f, 0.3f, 0.4f, 0.5f, 1f}) {
            Map<Path, Result> fused = new HashMap<>();
            emb.forEach((file, r) -> fused.put(file, r.v() == null ? r : new Result(r.photo(),
                    w == 1f ? second.get(file) : org.gatehouse.recognition.internal.Fusion.fuse(r.v(), second.get(file), w), r.refused(),
                    r.enrollRefused(), r.quality())));
            Gallery p1 = new Gallery();
            split.multi().forEach(l -> p1.add(l.get(0).person(), fused.get(l.get(0).file()).v()));
            split.distractors().forEach(p -> p1.add(p.person(), fused.get(p.file()).v()));
            Gallery p2 = new Gallery(p1);
            three.forEach(l -> p2.add(l.get(1).person(), fused.get(l.get(1).file()).v()));
            String label = w == 0f ? "first embedder only" : w == 1f ? "second embedder only"
                    : String.format(Locale.ROOT, "(f) fused, w = %.1f", w);
            row("P1 " + label, evaluate(searches(p1, split.multi().stream().map(l -> l.get(1)).toList(), fused, Fusion.MAX),
                    searches(p1, strangers, fused, Fusion.MAX), base));
            row("P2 " + label + ", 2 photos", evaluate(searches(p2, probe3, fused, Fusion.MAX),
                    searches(p2, strangers, fused, Fusion.MAX), base));
        }

        // ================= cost per frame
        System.out.printf("%n  cost per frame (one thread, this VM):%n");
        System.out.printf(Locale.ROOT, "    embed (detect + align + embed) of one frame: median %.1f ms (= the cost of (e)'s"
                + " second frame)%n", embedMs);
        System.out.printf(Locale.ROOT, "    the same with the second embedder (f): median %.1f ms (+%.1f ms)%n", embedBothMs,
                embedBothMs - embedMs);
        List<float[]> probes = new ArrayList<>();
        split.multi().forEach(l -> probes.add(emb.get(l.get(1).file()).v()));
        strangers.forEach(p -> probes.add(emb.get(p.file()).v()));
        for (Object[] c : new Object[][] {{g1, 1, "P1 gallery, k=1 (baseline)"}, {g1, 2, "P1 gallery, k=2 (margin)"},
                {g1, 11, "P1 gallery, k=11 (Z-norm top-10)"}, {g1, 101, "P1 gallery, k=101 (Z-norm top-100)"},
                {g1, g1.names.size(), "P1 gallery, every subject (Z-norm all)"},
                {two, 1, "P2 gallery with 2 photos, k=1"}}) {
            Gallery g = (Gallery) c[0];
            System.out.printf(Locale.ROOT, "    search %-40s %.3f ms%n", c[2], searchMs(g, probes, (Integer) c[1]));
        }
        System.out.printf(Locale.ROOT, "  total %.1f s%n", (System.nanoTime() - t0) / 1e9);
    }

    /** Splits a fused template [sqrt(1-w) a, sqrt(w) b] (a of {@code dimA} values) into a and b. */
    static float[][] split(float[] v, int dimA, float w) {
        float[] a = new float[dimA];
        float[] b = new float[v.length - dimA];
        float ia = (float) (1 / Math.sqrt(1 - w));
        float ib = (float) (1 / Math.sqrt(w));
        for (int i = 0; i < dimA; i++) {
            a[i] = v[i] * ia;
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = v[dimA + i] * ib;
        }
        return new float[][] {a, b};
    }

    /** Median of 40 single calls of {@code embed} on strangers' photos (after 5 warm-ups), one call at a time. */
    static double medianEmbedMs(FaceEngineImpl engine, List<Photo> photos) throws java.io.IOException {
        double[] ms = new double[40];
        for (int i = -5; i < ms.length; i++) {
            byte[] b = Files.readAllBytes(photos.get(Math.floorMod(i, photos.size())).file());
            long s = System.nanoTime();
            try {
                engine.embed(b);
            } catch (org.gatehouse.recognition.api.FaceException ignored) {
                // a refusal costs about as much
            }
            if (i >= 0) {
                ms[i] = (System.nanoTime() - s) / 1e6;
            }
        }
        Arrays.sort(ms);
        return ms[ms.length / 2];
    }

    static double searchMs(Gallery g, List<float[]> probes, int k) {
        QuantizedGallery q = new QuantizedGallery(512);
        try {
            for (int i = 0; i < g.templates.size(); i++) {
                q.add("c", g.names.get(g.subjectOfList.get(i)), g.templates.get(i));
            }
            double best = Double.MAX_VALUE;
            for (int round = 0; round < 7; round++) { // best of 7 rounds: this VM is shared
                long s = System.nanoTime();
                for (float[] p : probes) {
                    q.search("c", p, k);
                }
                best = Math.min(best, (System.nanoTime() - s) / 1e6 / probes.size());
            }
            return best;
        } finally {
            q.close();
        }
    }

    static float[] concat(float[] x, float[] y) {
        float[] c = Arrays.copyOf(x, x.length + y.length);
        System.arraycopy(y, 0, c, x.length, y.length);
        return c;
    }

    static float[] best(List<Search> ss) {
        float[] f = new float[ss.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = ss.get(i).r().bestScore();
        }
        return f;
    }

    static OpenSetMetrics.Mated mated(Search s, float score) {
        return s.r() == null ? OpenSetMetrics.Mated.refusedPhoto() : new OpenSetMetrics.Mated(false, s.correct(), score);
    }

    static Point evaluate(List<Search> mated, List<Search> strangers, Rule rule) {
        List<OpenSetMetrics.Mated> m = mated.stream()
                .map(s -> s.r() == null ? OpenSetMetrics.Mated.refusedPhoto() : mated(s, rule.score().apply(s.r(), s.q())))
                .toList();
        float[] st = new float[strangers.size()];
        for (int i = 0; i < st.length; i++) {
            st[i] = rule.score().apply(strangers.get(i).r(), strangers.get(i).q());
        }
        return SeparationMetrics.evaluate(m, st);
    }

    /** Searches for the photos; refused photos are left out (the run prints how many there were: none on lfw-dev). */
    static List<Search> searches(Gallery g, List<Photo> photos, Map<Path, Result> emb, Fusion f) {
        List<Search> out = new ArrayList<>();
        for (Photo p : photos) {
            Result r = emb.get(p.file());
            if (r.v() == null) {
                continue;
            }
            Ranked rk = g.search(r.v(), f);
            out.add(new Search(rk, g.correct(rk, p.person()), r.quality()));
        }
        return out;
    }

    static double q(double[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.floor(p * sorted.length))];
    }

    static void header() {
        System.out.println("    rule                                              rank-1   FNIR@FPIR0.5% (t)     "
                + "FNIR@FPIR1% (t)       FPIR@FNIR3% (t)");
    }

    static void row(String name, Point p) {
        System.out.printf(Locale.ROOT, "    %-48s %6.2f %%  %6.2f %% (%7.3f)   %6.2f %% (%7.3f)   %s%n", name,
                100 * p.rank1(), 100 * p.fnir05(), p.t05(), 100 * p.fnir1(), p.t1(),
                Double.isNaN(p.tFnir3()) ? "unreachable (rank-1 misses)"
                        : String.format(Locale.ROOT, "%6.2f %% (%7.3f)", 100 * p.fpirAtFnir3(), p.tFnir3()));
    }
}

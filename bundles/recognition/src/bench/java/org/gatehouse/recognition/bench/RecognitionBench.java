package org.gatehouse.recognition.bench;

import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.gatehouse.recognition.TestVectors;
import org.gatehouse.recognition.api.Candidate;
import org.gatehouse.recognition.api.FaceException;
import org.gatehouse.recognition.internal.EngineConfig;
import org.gatehouse.recognition.internal.FaceEngineImpl;
import org.gatehouse.recognition.internal.gallery.QuantizedGallery;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imread;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

/**
 * Benchmarks (not unit tests). Run:
 * mvn -f bundles/recognition/pom.xml -Pbench test-compile exec:exec -Dbench=all|speed|search|accuracy|ann|openset|separation
 */
public final class RecognitionBench {

    public static void main(String[] args) throws Exception {
        String what = args.length > 0 ? args[0] : "all";
        if (what.equals("all") || what.equals("accuracy")) {
            accuracy(false);
            accuracy(true);
        }
        if (what.equals("acc1")) {
            accuracy(Boolean.getBoolean("flip"));
        }
        if (what.equals("all") || what.equals("speed")) {
            speed();
        }
        if (what.equals("all") || what.equals("search")) {
            search();
        }
        if (what.equals("fullframe")) FullFrameBench.run();
        if (what.equals("all") || what.equals("ann")) {
            ann();
        }
        if (what.equals("openset")) { // not part of "all": OpenSetBench, lfw-dev 1:N with strangers
            OpenSetBench.main(args);
        }
        if (what.equals("separation")) SeparationBench.run(); // not in "all": lfw-dev, rules beyond one threshold
        if (what.equals("smallface")) SmallFaceBench.run(); // not in "all": downscaled probes, lfw7-full + lfw-dev
    }

    // ---------------------------------------------------------------- (b2) exact vs approximate

    /**
     * Exact (int8 scan + re-rank) vs approximate (-Dann.method=sketch, the default: sign sketches, the
     * nearest -Dann.candidates rows scored exactly; or hnsw: graph + exact re-rank) on random unit vectors.
     * -Dann.n=100000,1000000; hnsw: -Dann.ef / -Dann.efs=128,256,512 (several search beams on the same
     * graph), -Dann.m, -Dann.beam (defaults: the metatype's), -Dann.threads=cores (index build);
     * -Dann.queries=1000 -Dann.searchThreads=1 (see README)
     */
    static void ann() {
        int dim = 512;
        org.gatehouse.recognition.internal.osgi.RecognitionConfig defaults =
                org.gatehouse.recognition.internal.osgi.RecognitionConfigs.defaults();
        int ef = Integer.getInteger("ann.ef", defaults.galleryEfSearch());
        int mConn = Integer.getInteger("ann.m", defaults.galleryMaxConn());
        int beam = Integer.getInteger("ann.beam", defaults.galleryBeamWidth());
        int nq = Integer.getInteger("ann.queries", 1000);
        int buildThreads = Integer.getInteger("ann.threads", Runtime.getRuntime().availableProcessors());
        String method = System.getProperty("ann.method", "sketch");
        int searchThreads = Integer.getInteger("ann.searchThreads", 1);
        boolean hnsw = method.equalsIgnoreCase("hnsw");
        // hnsw: several search beams on the same graph; sketch: several numbers of rows scored exactly
        int[] efList = Arrays.stream(System.getProperty(hnsw ? "ann.efs" : "ann.candidates",
                        hnsw ? String.valueOf(ef) : "1000,2000,4000").split(","))
                .mapToInt(x -> Integer.parseInt(x.trim())).toArray();
        List<String> rows = new ArrayList<>();
        for (String ns : System.getProperty("ann.n", "100000,1000000").split(",")) {
            int n = Integer.parseInt(ns.trim());
            Random rnd = new Random(7);
            System.gc();
            long before = used();
            // searches on one thread, or split over -Dann.searchThreads (the OSGi gallery uses every core)
            QuantizedGallery g = new QuantizedGallery(dim, 64, searchThreads > 1 ? new java.util.concurrent.ForkJoinPool(searchThreads) : null);
            g.configureApproximate(0, ef, mConn, beam);
            g.configureApproximateMethod(method, efList[0]);
            double[] noises = Arrays.stream(System.getProperty("ann.noise", "0.02,0.05,0.07").split(","))
                    .mapToDouble(x -> Double.parseDouble(x.trim())).toArray();
            // the probes' source templates are chosen first, so only those are kept besides the gallery
            int[][] srcIdx = new int[noises.length][nq];
            Map<Integer, float[]> sources = new HashMap<>();
            for (int[] row : srcIdx) {
                for (int i = 0; i < nq; i++) {
                    row[i] = rnd.nextInt(n);
                    sources.put(row[i], null);
                }
            }
            long addT0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                float[] v = randomUnit(rnd, dim);
                g.add("c", "s" + i, v);
                if (sources.containsKey(i)) {
                    sources.put(i, v);
                }
            }
            double addUs = (System.nanoTime() - addT0) / 1e3 / n;
            g.rebuild("c");
            System.gc();
            long heapExact = used() - before;
            System.out.printf("N=%,d: %.1f us per add (random vector, int8 row, sketch), heap %.0f MB%n", n, addUs, heapExact / 1048576.0);
            float[][][] probes = new float[noises.length][nq][];
            double[] cosToSource = new double[noises.length];
            for (int v = 0; v < noises.length; v++) {
                for (int i = 0; i < nq; i++) {
                    float[] src = sources.get(srcIdx[v][i]);
                    float[] p = src.clone();
                    for (int j = 0; j < dim; j++) {
                        p[j] += (float) (rnd.nextGaussian() * noises[v]);
                    }
                    probes[v][i] = p;
                    cosToSource[v] += TestVectors.cosine(p, src) / nq;
                }
            }
            int ne = Math.min(nq, n >= 500_000 ? 100 : 300);
            for (int i = 0; i < 20; i++) {
                g.searchExact("c", probes[0][i], 10);
            }
            long[][] te = new long[noises.length][ne];
            String[][] exactTop = new String[noises.length][nq];
            for (int v = 0; v < noises.length; v++) {
                for (int i = 0; i < nq; i++) {
                    long t0 = System.nanoTime();
                    List<Candidate> e = g.searchExact("c", probes[v][i], 10);
                    if (i < ne) {
                        te[v][i] = System.nanoTime() - t0;
                    }
                    exactTop[v][i] = e.get(0).subjectId();
                }
            }
            long b0 = System.nanoTime();
            g.setIndexBuildThreads(buildThreads);
            g.configureApproximate(1, ef, mConn, beam);
            g.rebuild("c");                                       // builds the HNSW index (sketch: nothing to build)
            double buildS = (System.nanoTime() - b0) / 1e9;
            if (!g.isApproximate("c")) {
                throw new IllegalStateException("index not built");
            }
            System.gc();
            long heapAnn = used() - before;
            // JIT warm-up of the approximate path before the first timed setting (50 queries were too few)
            for (int i = 0; i < 300; i++) {
                g.search("c", probes[i % noises.length][i % nq], 10);
            }
            for (int efs : efList) {
                if (hnsw) {
                    g.configureApproximate(1, efs, mConn, beam);      // same graph, other search beam
                } else {
                    g.configureApproximateMethod(method, efs);        // rows scored exactly
                }
                for (int v = 0; v < noises.length; v++) {
                    for (int i = 0; i < 50; i++) {
                        g.search("c", probes[v][i], 10);
                    }
                    long[] ta = new long[nq];
                    int hit = 0;
                    for (int i = 0; i < nq; i++) {
                        long t0 = System.nanoTime();
                        List<Candidate> a = g.search("c", probes[v][i], 10);
                        ta[i] = System.nanoTime() - t0;
                        if (a.get(0).subjectId().equals(exactTop[v][i])) {
                            hit++;
                        }
                    }
                    String row = String.format("| %,9d | %.2f (cos %.2f) | %s | %4d | %6.2f / %6.2f | %5.2f / %5.2f | %6.2f %% (%d/%d) | %7.1f s (%d thr) | %5.0f MB | %5.0f MB |",
                            n, noises[v], cosToSource[v], hnsw ? "hnsw M=" + mConn + " beam " + beam : "sketch", efs, med(te[v]), p90(te[v]), med(ta), p90(ta), 100.0 * hit / nq, hit, nq,
                            buildS, buildThreads, heapExact / 1048576.0, heapAnn / 1048576.0);
                    System.out.println(row);
                    rows.add(row);
                }
            }
            g.clear("c");
            g.close();
        }
        System.out.printf("%nANN bench: search on " + searchThreads + " thread(s), k=10, queries = a stored vector + N(0, noise) per component; kernel %s%n",
                org.gatehouse.recognition.internal.gallery.Int8Dot.INSTANCE.name());
        System.out.println("|         N | noise (mean cos to source) | method | efSearch / rows scored | exact median/p90 ms | approx median/p90 ms | recall@1 vs exact | index build | heap exact | heap +index |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        rows.forEach(System.out::println);
    }

    static Path lfw7() {
        return Paths.get(System.getProperty("gatehouse.lfw7", "../../../shared/data/faces/lfw7"));
    }

    // ---------------------------------------------------------------- (a) speed

    static void speed() throws Exception {
        EngineConfig cfg = EngineConfig.builder().poolSize(1).minInterEyeDistance(0).minInterEyeDistanceIdentify(0).build();
        try (FaceEngineImpl engine = new FaceEngineImpl(cfg, RecognitionBench.class.getClassLoader())) {
            Path src = lfw7().resolve("George_W_Bush");
            Path img;
            try (Stream<Path> s = Files.list(src)) {
                img = s.sorted().findFirst().orElseThrow();
            }
            Mat frame = new Mat(480, 640, CV_8UC3, new Scalar(90, 110, 120, 0));
            try (Mat face = imread(img.toString()); Mat big = new Mat()) {
                resize(face, big, new Size(250, 250));
                big.copyTo(new Mat(frame, new Rect(195, 115, 250, 250)));
            }
            int warm = 30, n = 200;
            long[][] st = new long[n][];
            long[] total = new long[n];
            for (int i = 0; i < warm + n; i++) {
                long t0 = System.nanoTime();
                long[] s = engine.stageNanos(frame);
                long t = System.nanoTime() - t0;
                if (i >= warm) {
                    st[i - warm] = s;
                    total[i - warm] = t;
                }
            }
            long[] dae = new long[n];
            for (int i = 0; i < n; i++) {
                dae[i] = st[i][0] + st[i][1] + st[i][2];
            }
            System.out.printf("SPEED 640x480 one worker, ORT intra-op 1, OpenCV threads 1, flipTta=%s, n=%d%n", cfg.flipTta(), n);
            System.out.printf("  detect+align+embed   median %.2f ms  p90 %.2f ms%n", med(dae), p90(dae));
            System.out.printf("  detect               median %.2f ms%n", med(col(st, 0)));
            System.out.printf("  landmarks+align+qual median %.2f ms%n", med(col(st, 1)));
            System.out.printf("  embed                median %.2f ms%n", med(col(st, 2)));
            System.out.printf("  liveness             median %.2f ms%n", med(col(st, 3)));
            System.out.printf("  all incl. liveness   median %.2f ms  p90 %.2f ms%n", med(total), p90(total));
            try (FaceEngineImpl tta = new FaceEngineImpl(cfg.toBuilder().flipTta(true).build(), RecognitionBench.class.getClassLoader())) {
                long[] t = new long[n];
                for (int i = 0; i < warm + n; i++) {
                    long[] s = tta.stageNanos(frame);
                    if (i >= warm) {
                        t[i - warm] = s[0] + s[1] + s[2];
                    }
                }
                System.out.printf("  with flip TTA: detect+align+embed median %.2f ms  p90 %.2f ms%n", med(t), p90(t));
            }
            frame.close();
        }
    }

    static long[] col(long[][] a, int c) {
        long[] r = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[i][c];
        }
        return r;
    }

    static double med(long[] ns) {
        long[] s = ns.clone();
        Arrays.sort(s);
        return s[s.length / 2] / 1e6;
    }

    static double p90(long[] ns) {
        long[] s = ns.clone();
        Arrays.sort(s);
        return s[(int) Math.min(s.length - 1, Math.ceil(s.length * 0.9) - 1)] / 1e6;
    }

    // ---------------------------------------------------------------- (b) search

    static void search() {
        int dim = 512;
        long maxHeap = Runtime.getRuntime().maxMemory();
        int cores = Runtime.getRuntime().availableProcessors();
        System.out.printf("SEARCH exact (int8 scan + float re-rank of the best 64), k=10, random unit 512-d, kernel %s%n",
                org.gatehouse.recognition.internal.gallery.Int8Dot.INSTANCE.name());
        for (int n : Arrays.stream(System.getProperty("search.n", "10000,100000,1000000").split(","))
                .mapToInt(x -> Integer.parseInt(x.trim())).toArray()) {
            long need = (long) n * dim * 5 + (long) n * 100;
            if (need > maxHeap * 0.8) {
                System.out.printf("SEARCH N=%d skipped (needs ~%d MB, heap max %d MB)%n", n, need >> 20, maxHeap >> 20);
                continue;
            }
            // one thread (the gate's figure), then the default gallery (scan split over the cores above 16k rows)
            for (boolean parallel : new boolean[] {false, true}) {
                if (parallel && cores == 1) {
                    continue;
                }
                Random rnd = new Random(42);
                System.gc();
                long before = used();
                QuantizedGallery g = parallel ? new QuantizedGallery(dim) : new QuantizedGallery(dim, 64, null);
                org.gatehouse.recognition.internal.osgi.RecognitionConfig d =
                        org.gatehouse.recognition.internal.osgi.RecognitionConfigs.defaults();
                g.configureApproximate(0, d.galleryEfSearch(), d.galleryMaxConn(), d.galleryBeamWidth()); // exact at every N
                for (int i = 0; i < n; i++) {
                    g.add("c", "s" + i, randomUnit(rnd, dim));
                }
                g.rebuild("c");
                System.gc();
                long heap = used() - before;
                int q = n >= 1_000_000 ? 30 : 100;
                float[][] probes = new float[q][];
                for (int i = 0; i < q; i++) {
                    probes[i] = randomUnit(rnd, dim);
                }
                for (int i = 0; i < 20; i++) {
                    g.search("c", probes[i % q], 10);
                }
                long[] t = new long[q];
                for (int i = 0; i < q; i++) {
                    long t0 = System.nanoTime();
                    g.search("c", probes[i], 10);
                    t[i] = System.nanoTime() - t0;
                }
                System.out.printf("SEARCH N=%,d %s: median %.2f ms  p90 %.2f ms  heap used %.0f MB (stats %d MB)%n",
                        n, parallel ? cores + " threads" : "one thread", med(t), p90(t), heap / 1048576.0, g.stats("c").memoryBytes() >> 20);
                if (!parallel) {
                    // agreement with brute force float
                    int agree = 0;
                    for (int i = 0; i < Math.min(q, 20); i++) {
                        List<Candidate> a = g.search("c", probes[i], 10);
                        List<Candidate> b = g.searchExactFloat("c", probes[i], 10);
                        if (a.stream().map(Candidate::subjectId).toList().equals(b.stream().map(Candidate::subjectId).toList())) {
                            agree++;
                        }
                    }
                    System.out.printf("  top-10 identical to brute-force float search in %d/%d queries%n", agree, Math.min(q, 20));
                }
                g.clear("c");
                g.close();
            }
        }
    }

    static long used() {
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }

    static float[] randomUnit(Random rnd, int dim) {
        float[] v = new float[dim];
        double s = 0;
        for (int i = 0; i < dim; i++) {
            v[i] = (float) rnd.nextGaussian();
            s += v[i] * v[i];
        }
        float inv = (float) (1 / Math.sqrt(s));
        for (int i = 0; i < dim; i++) {
            v[i] *= inv;
        }
        return v;
    }

    // ---------------------------------------------------------------- (c) accuracy

    record Emb(String person, String file, float[] v) {
    }

    static List<Path> lfwFiles() throws Exception {
        List<Path> all = new ArrayList<>();
        try (Stream<Path> people = Files.list(lfw7())) {
            for (Path person : people.sorted().toList()) {
                try (Stream<Path> files = Files.list(person)) {
                    all.addAll(files.sorted().toList());
                }
            }
        }
        return all;
    }

    static List<Emb> embedAll(FaceEngineImpl engine) throws Exception {
        List<Path> all = lfwFiles();
        List<Emb> res = all.parallelStream().map(f -> {
            try {
                return new Emb(f.getParent().getFileName().toString(), f.getFileName().toString(),
                        engine.embed(Files.readAllBytes(f)).vector());
            } catch (FaceException e) {
                System.out.println("  no template: " + f.getFileName() + " " + e.code());
                return null;
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).toList();
        List<Emb> out = res.stream().filter(java.util.Objects::nonNull).toList();
        System.out.printf("  %d templates, %d failures%n", out.size(), all.size() - out.size());
        return out;
    }

    static void accuracy(boolean flip) throws Exception {
        if (!Files.isDirectory(lfw7())) {
            System.out.println("ACCURACY skipped: " + lfw7() + " absent");
            return;
        }
        EngineConfig.Builder cb = EngineConfig.builder().minInterEyeDistance(0).minInterEyeDistanceIdentify(0).flipTta(flip);
        if (System.getProperty("yunet") != null) {
            cb.detector("yunet").yunetModel(Paths.get(System.getProperty("yunet")));
        }
        EngineConfig cfg = cb.build();
        try (FaceEngineImpl engine = new FaceEngineImpl(cfg, RecognitionBench.class.getClassLoader())) {
            System.out.printf("ACCURACY lfw7 all pairs, flipTta=%s%n", flip);
            long t0 = System.nanoTime();
            List<Emb> e = embedAll(engine);
            System.out.printf("  embedding took %.1f s%n", (System.nanoTime() - t0) / 1e9);
            report(e);
        }
    }

    static void report(List<Emb> e) {
        int n = e.size();
        int pairs = n * (n - 1) / 2;
        float[] score = new float[pairs];
        boolean[] same = new boolean[pairs];
        int p = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                score[p] = dot(e.get(i).v(), e.get(j).v());
                same[p] = e.get(i).person().equals(e.get(j).person());
                p++;
            }
        }
        // 10 folds, random assignment with a fixed seed
        int[] fold = new int[pairs];
        Random rnd = new Random(7);
        for (int i = 0; i < pairs; i++) {
            fold[i] = rnd.nextInt(10);
        }
        double accSum = 0;
        double[] accs = new double[10];
        double thrSum = 0;
        for (int f = 0; f < 10; f++) {
            double thr = bestThreshold(score, same, fold, f);
            thrSum += thr;
            int ok = 0, cnt = 0;
            for (int i = 0; i < pairs; i++) {
                if (fold[i] == f) {
                    cnt++;
                    if ((score[i] >= thr) == same[i]) {
                        ok++;
                    }
                }
            }
            accs[f] = ok / (double) cnt;
            accSum += accs[f];
        }
        double mean = accSum / 10;
        double var = 0;
        for (double a : accs) {
            var += (a - mean) * (a - mean);
        }
        System.out.printf("  10-fold accuracy %.3f %% (+- %.3f), mean threshold %.3f, %d pairs%n",
                mean * 100, Math.sqrt(var / 10) * 100, thrSum / 10, pairs);
        // TAR @ FAR
        List<Float> imp = new ArrayList<>();
        List<Float> gen = new ArrayList<>();
        for (int i = 0; i < pairs; i++) {
            (same[i] ? gen : imp).add(score[i]);
        }
        float[] is = toSortedDesc(imp);
        float[] gs = toSortedDesc(gen);
        for (double far : new double[] {1e-2, 1e-3, 1e-4}) {
            int idx = (int) Math.floor(far * is.length);
            float thr = is[Math.min(idx, is.length - 1)];
            int acc = 0;
            for (float g : gs) {
                if (g > thr) {
                    acc++;
                }
            }
            System.out.printf("  TAR @ FAR=%.0e: %.2f %% (threshold %.3f; %d genuine, %d impostor pairs)%n",
                    far, 100.0 * acc / gs.length, thr, gs.length, is.length);
        }
    }

    static float[] toSortedDesc(List<Float> l) {
        float[] a = new float[l.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = -l.get(i);
        }
        Arrays.sort(a);
        for (int i = 0; i < a.length; i++) {
            a[i] = -a[i];
        }
        return a;
    }

    static double bestThreshold(float[] score, boolean[] same, int[] fold, int test) {
        int m = 0;
        for (int i = 0; i < score.length; i++) {
            if (fold[i] != test) {
                m++;
            }
        }
        float[] s = new float[m];
        boolean[] y = new boolean[m];
        Integer[] idx = new Integer[m];
        int k = 0;
        int pos = 0;
        for (int i = 0; i < score.length; i++) {
            if (fold[i] != test) {
                s[k] = score[i];
                y[k] = same[i];
                if (same[i]) {
                    pos++;
                }
                idx[k] = k;
                k++;
            }
        }
        Arrays.sort(idx, (a, b) -> Float.compare(s[a], s[b]));
        // threshold between consecutive sorted scores: everything >= thr predicted same
        int correct = m - pos; // thr below all: all predicted same -> correct = pos; start with thr above all
        correct = m - pos;     // thr above all: all predicted different
        int best = correct;
        double bestThr = s[idx[m - 1]] + 1e-6;
        // walk from the top down: lowering the threshold below s[idx[i]] flips it to "same"
        for (int i = m - 1; i >= 0; i--) {
            correct += y[idx[i]] ? 1 : -1;
            if (correct > best) {
                best = correct;
                bestThr = i > 0 ? (s[idx[i]] + s[idx[i - 1]]) / 2.0 : s[idx[i]] - 1e-6;
            }
        }
        return bestThr;
    }

    static float dot(float[] a, float[] b) {
        float s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}

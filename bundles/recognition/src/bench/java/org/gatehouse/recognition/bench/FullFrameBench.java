package org.gatehouse.recognition.bench;

import org.bytedeco.javacpp.indexer.DoubleIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.gatehouse.recognition.api.DetectedFace;
import org.gatehouse.recognition.api.FaceAnalysis;
import org.gatehouse.recognition.api.FaceException;
import org.gatehouse.recognition.api.FaceTemplate;
import org.gatehouse.recognition.internal.EngineConfig;
import org.gatehouse.recognition.internal.FaceEngineImpl;
import org.gatehouse.recognition.internal.geom.Similarity;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_core.CV_64FC1;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imread;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.warpAffine;

/**
 * Full frames vs centre crops ({@code -Dbench=fullframe}): lfw7 all-pairs verification (the protocol of
 * the {@code accuracy} mode: 10-fold accuracy, TAR at FAR) on the 125x125 crops ({@code lfw7}) and on the
 * same photos as 250x250 frames ({@code lfw7-full}), every photo through the product path
 * ({@code FaceEngine.embed} on the file's bytes, default settings), plus the genuine pairs of
 * {@code lfw-dev} (identities with 2+ photos). Reports refusals by code, genuine pairs scoring below 0, and
 * for every frame with several faces which one was chosen and which one is the labelled person (the face
 * whose template is closest to the crop of the same photo; for lfw-dev, to the person's other photos).
 *
 * <p>Properties: {@code -Dfullframe.sets=crops,full,dev} (default all three), {@code -Dfullframe.pad=0.2}
 * (detection padding), {@code -Dfullframe.landmarkPad=false} (landmark crop shifted inside the image instead of
 * black-padded), {@code -Dfullframe.minIed=N} (identification minimum eye distance),
 * {@code -Dfullframe.dump=all|wrong|none} (default wrong: frames where the chosen face is not the person),
 * {@code -Dfullframe.csv=FILE} (every detected face of lfw7-full and lfw-dev with its measures and its
 * cosine to the person, for studying selection rules).
 */
final class FullFrameBench {

    private FullFrameBench() {
    }

    record Photo(String person, Path file) {
    }

    record Result(Photo photo, float[] v, String refused, FaceAnalysis analysis) {
    }

    static void run() throws Exception {
        Path lfw7 = RecognitionBench.lfw7();
        Path full = lfw7.resolveSibling("lfw7-full");
        Path dev = lfw7.resolveSibling("lfw-dev");
        List<String> sets = Arrays.asList(System.getProperty("fullframe.sets", "crops,full,dev").split(","));
        String dump = System.getProperty("fullframe.dump", "wrong");
        EngineConfig.Builder cb = EngineConfig.builder();
        if (System.getProperty("fullframe.pad") != null) {
            cb.detectPad(Float.parseFloat(System.getProperty("fullframe.pad")));
        }
        if (System.getProperty("fullframe.landmarkPad") != null) {
            cb.landmarkPad(Boolean.getBoolean("fullframe.landmarkPad"));
        }
        if (System.getProperty("fullframe.minIed") != null) {
            cb.minInterEyeDistanceIdentify(Float.parseFloat(System.getProperty("fullframe.minIed")));
        }
        EngineConfig cfg = cb.build();
        PrintWriter csv = System.getProperty("fullframe.csv") == null ? null
                : new PrintWriter(Files.newBufferedWriter(Paths.get(System.getProperty("fullframe.csv"))));
        if (csv != null) {
            csv.println("set,person,file,w,h,face,chosen,cx,cy,side,score,ied,yaw,roll,sharpness,cos");
        }
        System.out.printf("FULLFRAME detectPad=%.2f landmarkPad=%s minInterEyeDistanceIdentify=%.0f%n",
                cfg.detectPad(), cfg.landmarkPad(), cfg.minInterEyeDistanceIdentify());
        try (FaceEngineImpl engine = new FaceEngineImpl(cfg, FullFrameBench.class.getClassLoader())) {
            Map<String, float[]> cropByName = new HashMap<>();
            if (!Files.isDirectory(lfw7)) {
                System.out.println("FULLFRAME lfw7 skipped: " + lfw7 + " absent");
            } else if (sets.contains("crops") || sets.contains("full")) {
                List<Result> crops = embedAll(engine, photos(lfw7), false);
                crops.stream().filter(r -> r.v != null).forEach(r -> cropByName.put(r.photo.file.getFileName().toString(), r.v));
                if (sets.contains("crops")) {
                    System.out.println("== lfw7 crops (125x125), embed()");
                    verification(crops);
                }
            }
            if (sets.contains("full") && Files.isDirectory(full)) {
                System.out.println("== lfw7-full frames (250x250), embed()");
                List<Result> res = embedAll(engine, photos(full), true);
                verification(res);
                choices(engine, res, name -> cropByName.get(name), dump, csv, "full");
                timing(engine, res);
            } else if (sets.contains("full")) {
                System.out.println("FULLFRAME lfw7-full skipped: " + full + " absent");
            }
            if (sets.contains("dev") && Files.isDirectory(dev)) {
                System.out.println("== lfw-dev frames (250x250), embed(): genuine pairs of people with 2+ photos");
                List<Photo> ps = photos(dev);
                Map<String, Long> perPerson = new TreeMap<>();
                ps.forEach(p -> perPerson.merge(p.person, 1L, Long::sum));
                List<Photo> multi = ps.stream().filter(p -> perPerson.get(p.person) >= 2).toList();
                List<Result> res = embedAll(engine, multi, true);
                genuine(res);
                // the person's other photos stand in for the crop (the mean of their templates)
                Map<String, List<float[]>> byPerson = new HashMap<>();
                res.stream().filter(r -> r.v != null).forEach(r -> byPerson.computeIfAbsent(r.photo.person, k -> new ArrayList<>()).add(r.v));
                devChoices(engine, res, byPerson, dump, csv);
            } else if (sets.contains("dev")) {
                System.out.println("FULLFRAME lfw-dev skipped: " + dev + " absent");
            }
        } finally {
            if (csv != null) {
                csv.close();
            }
        }
    }

    static List<Photo> photos(Path root) throws IOException {
        List<Photo> all = new ArrayList<>();
        try (Stream<Path> people = Files.list(root)) {
            for (Path person : people.filter(Files::isDirectory).sorted().toList()) {
                try (Stream<Path> files = Files.list(person)) {
                    files.filter(f -> f.toString().endsWith(".jpg")).sorted()
                            .forEach(f -> all.add(new Photo(person.getFileName().toString(), f)));
                }
            }
        }
        return all;
    }

    /** embed() on the file bytes (refusals kept with their code); analyze() too when {@code analyze}. */
    static List<Result> embedAll(FaceEngineImpl engine, List<Photo> photos, boolean analyze) {
        long t0 = System.nanoTime();
        List<Result> res = photos.parallelStream().map(p -> {
            byte[] b;
            try {
                b = Files.readAllBytes(p.file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            FaceAnalysis a = analyze ? engine.analyze(b) : null;
            try {
                return new Result(p, engine.embed(b).vector(), null, a);
            } catch (FaceException e) {
                return new Result(p, null, e.code() + " " + e.getMessage(), a);
            }
        }).toList();
        Map<String, Integer> codes = new TreeMap<>();
        res.stream().filter(r -> r.refused != null).forEach(r -> codes.merge(r.refused.split(" ")[0], 1, Integer::sum));
        System.out.printf("  %d photos, %d templates, refused %d %s (%.1f s)%n", res.size(),
                res.stream().filter(r -> r.v != null).count(), res.size() - res.stream().filter(r -> r.v != null).count(),
                codes, (System.nanoTime() - t0) / 1e9);
        res.stream().filter(r -> r.refused != null).forEach(r -> System.out.println("    refused " + r.photo.file.getFileName() + ": " + r.refused
                + (r.analysis == null ? "" : " | " + describe(r.analysis.faces()))));
        return res;
    }

    static void verification(List<Result> res) {
        List<RecognitionBench.Emb> e = res.stream().filter(r -> r.v != null)
                .map(r -> new RecognitionBench.Emb(r.photo.person, r.photo.file.getFileName().toString(), r.v)).toList();
        RecognitionBench.report(e);
        genuine(res);
    }

    /** Genuine pairs (same person, both with a template) scoring below 0 and below the 0.36 operating threshold. */
    static void genuine(List<Result> res) {
        List<Result> ok = res.stream().filter(r -> r.v != null).toList();
        int pairs = 0, below0 = 0, belowThr = 0;
        Map<String, Integer> lowPhotos = new TreeMap<>();
        for (int i = 0; i < ok.size(); i++) {
            for (int j = i + 1; j < ok.size(); j++) {
                if (!ok.get(i).photo.person.equals(ok.get(j).photo.person)) {
                    continue;
                }
                pairs++;
                float s = RecognitionBench.dot(ok.get(i).v, ok.get(j).v);
                if (s < 0) {
                    below0++;
                    lowPhotos.merge(ok.get(i).photo.file.getFileName().toString(), 1, Integer::sum);
                    lowPhotos.merge(ok.get(j).photo.file.getFileName().toString(), 1, Integer::sum);
                }
                if (s < 0.36f) {
                    belowThr++;
                }
            }
        }
        System.out.printf("  genuine pairs %d: below 0 %d, below 0.36 %d%n", pairs, below0, belowThr);
        // the photos behind most of them (a wrong face in one photo puts all its pairs below 0)
        lowPhotos.entrySet().stream().filter(en -> en.getValue() >= 3)
                .sorted((x, y) -> y.getValue() - x.getValue())
                .forEach(en -> System.out.println("    in " + en.getValue() + " pairs below 0: " + en.getKey()));
    }

    interface CropLookup {
        float[] crop(String fileName);
    }

    /**
     * lfw7-full: for each frame with several faces, every face's template (aligned here from the engine's
     * five points exactly as the engine does) compared with the crop of the same photo; the face closest
     * to it is the labelled person. Counts frames where embed's face is another one.
     */
    static void choices(FaceEngineImpl engine, List<Result> res, CropLookup crops, String dump, PrintWriter csv, String set) {
        int multi = 0, wrong = 0, checked = 0;
        double maxDiff = 0;
        for (Result r : res) {
            FaceAnalysis a = r.analysis;
            if (a == null || a.faces().isEmpty()) {
                continue;
            }
            boolean several = a.faces().size() > 1;
            if (several) {
                multi++;
            }
            if (!several && csv == null) {
                continue;
            }
            float[][] t = faceTemplates(engine, r.photo.file, a.faces());
            if (r.v != null) {
                maxDiff = Math.max(maxDiff, 1 - RecognitionBench.dot(r.v, t[0]));
            }
            float[] ref = crops == null ? null : crops.crop(r.photo.file.getFileName().toString());
            int truth = -1;
            float[] cos = new float[t.length];
            if (ref != null) {
                for (int i = 0; i < t.length; i++) {
                    cos[i] = RecognitionBench.dot(ref, t[i]);
                    if (truth < 0 || cos[i] > cos[truth]) {
                        truth = i;
                    }
                }
            }
            if (csv != null) {
                csvRows(csv, set, r, t, ref == null ? null : cos);
            }
            if (!several || ref == null) {
                continue;
            }
            checked++;
            boolean isWrong = truth != 0;
            if (isWrong) {
                wrong++;
            }
            if (dump.equals("all") || (dump.equals("wrong") && isWrong)) {
                System.out.printf("    %s %s: chose #0, person is #%d | %s | cos to crop %s%n", isWrong ? "WRONG" : "ok   ",
                        r.photo.file.getFileName(), truth, describe(a.faces()), Arrays.toString(round(cos)));
            }
        }
        if (crops != null) {
            System.out.printf("  frames with several faces %d; the chosen face is not the person in %d of %d checked%n", multi, wrong, checked);
            System.out.printf("  (the bench's own alignment of the chosen face vs embed(): largest 1 - cos %.2e)%n", maxDiff);
        }
    }

    static void csvRows(PrintWriter csv, String set, Result r, float[][] t, float[] cos) {
        FaceAnalysis a = r.analysis;
        for (int i = 0; i < t.length; i++) {
            DetectedFace f = a.faces().get(i);
            csv.printf("%s,%s,%s,%d,%d,%d,%d,%.1f,%.1f,%.1f,%.4f,%.2f,%.3f,%.1f,%.1f,%s%n", set, r.photo.person,
                    r.photo.file.getFileName(), a.imageWidth(), a.imageHeight(), i, i == 0 ? 1 : 0,
                    f.box().centerX(), f.box().centerY(), f.box().height(), f.detectorScore(),
                    f.quality().interEyeDistance(), f.quality().yaw(), f.quality().roll(), f.quality().sharpness(),
                    cos == null ? "" : String.format("%.4f", cos[i]));
        }
    }

    /** lfw-dev: the person is the face closest to the mean of the person's other templates. */
    static void devChoices(FaceEngineImpl engine, List<Result> res, Map<String, List<float[]>> byPerson, String dump, PrintWriter csv) {
        int multi = 0, wrong = 0, checked = 0;
        for (Result r : res) {
            FaceAnalysis a = r.analysis;
            if (a == null || a.faces().size() < 2) {
                continue;
            }
            multi++;
            float[] mean = new float[512];
            int n = 0;
            for (float[] v : byPerson.getOrDefault(r.photo.person, List.of())) {
                if (v != r.v) {
                    for (int i = 0; i < 512; i++) {
                        mean[i] += v[i];
                    }
                    n++;
                }
            }
            if (n == 0) {
                continue;
            }
            float[][] t = faceTemplates(engine, r.photo.file, a.faces());
            float[] cos = new float[t.length];
            int truth = 0;
            for (int i = 0; i < t.length; i++) {
                cos[i] = RecognitionBench.dot(mean, t[i]) / n;
                if (cos[i] > cos[truth]) {
                    truth = i;
                }
            }
            if (csv != null) {
                csvRows(csv, "dev", r, t, cos);
            }
            if (cos[truth] < 0.2f) {
                continue; // nobody here resembles the person's other photos: no verdict
            }
            checked++;
            if (truth != 0) {
                wrong++;
                if (!dump.equals("none")) {
                    System.out.printf("    WRONG %s: chose #0, person is #%d | %s | cos to others %s%n", r.photo.file.getFileName(), truth,
                            describe(a.faces()), Arrays.toString(round(cos)));
                }
            }
        }
        System.out.printf("  frames with several faces %d; the chosen face is not the person in %d of %d with a verdict%n", multi, wrong, checked);
    }

    /** Per-frame cost of embed() on lfw7-full, one request at a time, by number of faces found. */
    static void timing(FaceEngineImpl engine, List<Result> res) throws IOException {
        Map<Integer, List<Long>> byFaces = new TreeMap<>();
        for (int pass = 0; pass < 2; pass++) {
            for (Result r : res) {
                byte[] b = Files.readAllBytes(r.photo.file);
                long t0 = System.nanoTime();
                try {
                    engine.embed(b);
                } catch (FaceException e) {
                    // timed anyway
                }
                long dt = System.nanoTime() - t0;
                if (pass == 1) {
                    int nf = r.analysis == null ? 0 : Math.min(3, r.analysis.faces().size());
                    byFaces.computeIfAbsent(nf, k -> new ArrayList<>()).add(dt);
                }
            }
        }
        StringBuilder sb = new StringBuilder("  embed() per frame, one at a time, median ms by faces found:");
        byFaces.forEach((k, v) -> {
            long[] a = v.stream().mapToLong(Long::longValue).sorted().toArray();
            sb.append(String.format(" %s%d: %.2f (%d)", k == 3 ? ">=" : "", k, a[a.length / 2] / 1e6, a.length));
        });
        System.out.println(sb);
    }

    static String describe(List<DetectedFace> faces) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < faces.size(); i++) {
            DetectedFace f = faces.get(i);
            sb.append(String.format("%s#%d c(%.0f,%.0f) side %.0f score %.2f ied %.1f yaw %.2f", i == 0 ? "" : "; ", i,
                    f.box().centerX(), f.box().centerY(), f.box().height(), f.detectorScore(),
                    f.quality() == null ? Float.NaN : f.quality().interEyeDistance(), f.quality() == null ? Float.NaN : f.quality().yaw()));
        }
        return sb.toString();
    }

    static float[] round(float[] a) {
        float[] r = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = Math.round(a[i] * 100) / 100f;
        }
        return r;
    }

    /** Templates of every face: five points -> ArcFace similarity -> warpAffine bilinear, black border (as Aligner). */
    static float[][] faceTemplates(FaceEngineImpl engine, Path file, List<DetectedFace> faces) {
        float[][] out = new float[faces.size()][];
        try (Mat img = imread(file.toString())) {
            for (int k = 0; k < faces.size(); k++) {
                double[][] src = new double[5][];
                for (int i = 0; i < 5; i++) {
                    src[i] = new double[] {faces.get(k).landmarks().get(i).x(), faces.get(k).landmarks().get(i).y()};
                }
                double[] m = Similarity.estimate(src, Similarity.ARCFACE_112);
                try (Mat mm = new Mat(2, 3, CV_64FC1); Mat al = new Mat(); Size sz = new Size(112, 112);
                     Scalar black = new Scalar(0.0)) {
                    DoubleIndexer ix = mm.createIndexer();
                    for (int i = 0; i < 6; i++) {
                        ix.put(i / 3, i % 3, m[i]);
                    }
                    ix.release();
                    warpAffine(img, al, mm, sz, INTER_LINEAR, BORDER_CONSTANT, black);
                    byte[] b = new byte[112 * 112 * 3];
                    al.data().get(b);
                    out[k] = engine.embedAlignedBgr(b);
                }
            }
        }
        return out;
    }
}

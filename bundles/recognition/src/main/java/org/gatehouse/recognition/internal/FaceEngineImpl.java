package org.gatehouse.recognition.internal;

import org.bytedeco.javacpp.indexer.DoubleIndexer;
import org.bytedeco.javacpp.indexer.FloatIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_objdetect.FaceDetectorYN;
import org.gatehouse.recognition.api.DetectedFace;
import org.gatehouse.recognition.api.FaceAnalysis;
import org.gatehouse.recognition.api.FaceBox;
import org.gatehouse.recognition.api.FaceEngine;
import org.gatehouse.recognition.api.FaceException;
import org.gatehouse.recognition.api.FaceException.Code;
import org.gatehouse.recognition.api.FaceTemplate;
import org.gatehouse.recognition.api.Point2;
import org.gatehouse.recognition.api.Quality;
import org.gatehouse.recognition.internal.geom.Similarity;
import org.gatehouse.recognition.internal.image.ImageDecoder;
import org.gatehouse.recognition.internal.onnx.Denormals;
import org.gatehouse.recognition.internal.onnx.OnnxNets;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_core.CV_64FC1;
import static org.bytedeco.opencv.global.opencv_core.copyMakeBorder;
import static org.bytedeco.opencv.global.opencv_core.setNumThreads;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.WARP_INVERSE_MAP;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.bytedeco.opencv.global.opencv_imgproc.warpAffine;

/**
 * The face pipeline: decode (OpenCV) - detect (fr_detect / optional YuNet) - 68 landmarks
 * (fr_landmark) - 5 points - least-squares similarity alignment to ArcFace 112x112 - embedding
 * (fr_feature, 512-d, L2-normalised) - liveness (fr_liveness). Thread-safe: a bounded pool of
 * workers, each with its own predictors; every ONNX session runs with one intra-op thread.
 *
 * <p>Memory: an image is checked (size, format, header dimensions, completeness) on the caller's thread
 * but decoded on its worker, so at most {@code poolSize} decoded images exist at once however many
 * requests arrive; at most {@code queueSize} more requests wait for a worker (holding only their
 * compressed bytes), the rest are refused at once with {@link Code#ENGINE_UNAVAILABLE} ("busy").
 */
public final class FaceEngineImpl implements FaceEngine, AutoCloseable {

    public static final int DIM = 512;
    public static final String MODEL_ID = "faceplugin-0.0.1/fr_feature@87aacdfe";

    private static final AtomicInteger WORKER_IDS = new AtomicInteger();

    private final EngineConfig cfg;
    private final ImageDecoder decoder;
    /** The same checks with the (lower) pixel limit of images to identify ({@link #embed}). */
    private final ImageDecoder identifyDecoder;
    private final OnnxNets nets;
    private final BlockingQueue<Worker> pool;
    /** Requests in the engine: being worked on (at most poolSize) or waiting for a worker (at most queueSize). */
    private final Semaphore admission;
    private final List<Worker> all = new ArrayList<>();
    private volatile boolean closed;

    public FaceEngineImpl(EngineConfig cfg, ClassLoader loader) throws IOException {
        this.cfg = cfg;
        this.decoder = new ImageDecoder(cfg.maxImageBytes(), cfg.maxImagePixels(), cfg.maxImageSide());
        this.identifyDecoder = new ImageDecoder(cfg.maxImageBytes(), cfg.effectiveMaxImagePixelsIdentify(), cfg.maxImageSide());
        if (cfg.opencvThreads() > 0) {
            setNumThreads(cfg.opencvThreads());
        }
        this.nets = new OnnxNets(cfg.modelDirectory(), loader);
        int n = cfg.effectivePoolSize();
        this.pool = new ArrayBlockingQueue<>(n);
        this.admission = new Semaphore(n + cfg.effectiveQueueSize());
        try {
            for (int i = 0; i < n; i++) {
                int id = WORKER_IDS.incrementAndGet();
                ExecutorService exec = Executors.newSingleThreadExecutor(r -> {
                    Thread t = new Thread(r, "gatehouse-face-" + id);
                    t.setDaemon(true);
                    t.setContextClassLoader(loader);
                    return t;
                });
                Worker w;
                try {
                    w = exec.submit(() -> new Worker(exec)).get();
                } catch (ExecutionException e) {
                    exec.shutdownNow();
                    Throwable c = e.getCause();
                    throw c instanceof IOException io ? io : new IOException("cannot start inference worker: " + c, c);
                } catch (InterruptedException e) {
                    exec.shutdownNow();
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while starting inference workers", e);
                }
                all.add(w);
                pool.add(w);
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Requests that could still be admitted now (workers free plus places in the queue). */
    int admissionAvailable() {
        return admission.availablePermits();
    }

    /** True if every inference thread runs with denormals flushed to zero (fast path). */
    public boolean denormalsFlushed() {
        return all.stream().allMatch(w -> w.flushDenormals);
    }

    public EngineConfig config() {
        return cfg;
    }

    @Override
    public int templateDimension() {
        return DIM;
    }

    @Override
    public String modelId() {
        return MODEL_ID + (cfg.flipTta() ? "+flip" : "");
    }

    // ------------------------------------------------------------------ public API

    @Override
    public FaceAnalysis analyze(byte[] image) {
        decoder.check(image); // bad input is answered at once, without waiting for a worker
        return withWorker(w -> {
            try (Mat img = decoder.decode(image)) {
                List<Face> faces = order(w.detect(img), img.cols(), img.rows());
                List<DetectedFace> out = new ArrayList<>(faces.size());
                for (Face f : faces) {
                    w.complete(img, f);
                    out.add(f.toApi());
                }
                return new FaceAnalysis(img.cols(), img.rows(), out);
            }
        });
    }

    @Override
    public FaceTemplate embed(byte[] image) {
        identifyDecoder.check(image);
        return withWorker(w -> {
            try (Mat img = identifyDecoder.decode(image)) {
                return template(w, img, false);
            }
        });
    }

    @Override
    public FaceTemplate enrollmentTemplate(byte[] image) {
        decoder.check(image);
        return withWorker(w -> {
            try (Mat img = decoder.decode(image)) {
                return template(w, img, true);
            }
        });
    }

    /** Pipeline on an already decoded BGR image (used by benchmarks). */
    public FaceTemplate embedMat(Mat img, boolean enrollment) {
        return withWorker(w -> template(w, img, enrollment));
    }

    private FaceTemplate template(Worker w, Mat img, boolean enrollment) {
        List<Face> faces = order(w.detect(img), img.cols(), img.rows());
        if (faces.isEmpty()) {
            throw new FaceException(Code.NO_FACE);
        }
        Face primary = faces.get(0);
        if (enrollment) {
            // exactly one face: other detections at least half the primary's size count
            long others = faces.stream().skip(1).filter(f -> f.side >= 0.5f * primary.side).count();
            if (others > 0) {
                throw new FaceException(Code.MULTIPLE_FACES, others + 1);
            }
        }
        w.complete(img, primary);
        Quality q = primary.quality;
        float minIed = enrollment ? cfg.minInterEyeDistance() : cfg.minInterEyeDistanceIdentify();
        if (q.interEyeDistance() < minIed) {
            throw new FaceException(Code.FACE_TOO_SMALL, Math.round(q.interEyeDistance()), Math.round(minIed));
        }
        if (enrollment) {
            if (Math.abs(q.yaw()) > cfg.maxYaw() || Math.abs(q.roll()) > cfg.maxRoll()) {
                throw new FaceException(Code.NOT_FRONTAL);
            }
            if (q.brightness() < cfg.minBrightness()) {
                throw new FaceException(Code.TOO_DARK);
            }
            if (q.brightness() > cfg.maxBrightness()) {
                throw new FaceException(Code.TOO_BRIGHT);
            }
            if (q.sharpness() < cfg.minSharpness()) {
                throw new FaceException(Code.BLURRY, Math.round(q.sharpness()), Math.round(cfg.minSharpness()));
            }
        }
        float[] v = w.embedAligned(primary.aligned);
        return new FaceTemplate(v, modelId(), primary.toApi());
    }

    /**
     * Benchmark hook: runs the pipeline on the primary face of a decoded image and returns the
     * nanoseconds spent in {detect, landmarks + 5 points + alignment + quality, embedding, liveness}.
     */
    public long[] stageNanos(Mat img) {
        return withWorker(w -> {
            long t0 = System.nanoTime();
            List<Face> faces = order(w.detect(img), img.cols(), img.rows());
            long t1 = System.nanoTime();
            if (faces.isEmpty()) {
                throw new FaceException(Code.NO_FACE);
            }
            Face f = faces.get(0);
            if (f.five == null) {
                f.five = w.landmarks(img, f);
            }
            w.align(img, f);
            f.quality = w.quality(f);
            long t2 = System.nanoTime();
            w.embedAligned(f.aligned);
            long t3 = System.nanoTime();
            w.liveness(img, f);
            long t4 = System.nanoTime();
            return new long[] {t1 - t0, t2 - t1, t3 - t2, t4 - t3};
        });
    }

    /** Template of an already aligned 112x112 BGR face (tests, benchmarks). */
    public float[] embedAlignedBgr(byte[] aligned) {
        return withWorker(w -> w.embedAligned(aligned));
    }

    // ------------------------------------------------------------------ pool

    interface Job<T> {
        T run(Worker w);
    }

    /**
     * Runs the job on a free worker's thread. Refused at once (busy) when poolSize requests are being
     * worked on and queueSize more are waiting; a waiting request gives up after 60 s. The worker and the
     * admission slot are given back when the job has finished on the worker's thread, not when the caller
     * stops waiting, so an interrupted caller never lets more images in than there are workers.
     */
    <T> T withWorker(Job<T> job) {
        if (closed) {
            throw new FaceException(Code.ENGINE_UNAVAILABLE, "closed");
        }
        if (!admission.tryAcquire()) {
            throw new FaceException(Code.ENGINE_UNAVAILABLE, "busy, try again");
        }
        Worker w;
        try {
            w = pool.poll(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            admission.release();
            Thread.currentThread().interrupt();
            throw new FaceException(Code.ENGINE_UNAVAILABLE, "interrupted");
        }
        if (w == null) {
            admission.release();
            throw new FaceException(Code.ENGINE_UNAVAILABLE, "busy");
        }
        Future<T> result;
        try {
            // run on the worker's own thread: its ORT sessions were created there (denormal flush)
            result = w.exec.submit(() -> {
                try {
                    return job.run(w);
                } finally {
                    pool.add(w);
                    admission.release();
                }
            });
        } catch (RejectedExecutionException e) {
            pool.add(w);
            admission.release();
            throw new FaceException(Code.ENGINE_UNAVAILABLE, "closed");
        }
        try {
            return result.get();
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof FaceException fe) {
                throw new FaceException(fe.code(), fe, fe.args());
            }
            throw new FaceException(Code.INTERNAL_ERROR, c, String.valueOf(c));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FaceException(Code.ENGINE_UNAVAILABLE, "interrupted");
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Worker w : all) {
            try {
                w.exec.submit(w::close).get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                // shutting down anyway
            }
            w.exec.shutdownNow();
        }
        all.clear();
        if (nets != null) {
            nets.close();
        }
    }

    // ------------------------------------------------------------------ face records

    /** Mutable per-face working state. */
    static final class Face {
        float cx, cy, side;       // square box (unclipped)
        float score;
        FaceBox box;              // clipped for reporting
        float[][] five;           // 5 x 2
        Quality quality;
        float liveness = Float.NaN;
        byte[] aligned;           // 112x112x3 BGR

        DetectedFace toApi() {
            List<Point2> pts = new ArrayList<>(5);
            if (five != null) {
                for (float[] p : five) {
                    pts.add(new Point2(p[0], p[1]));
                }
            }
            return new DetectedFace(box, score, pts, quality, liveness);
        }
    }

    /** Largest face first; among faces within 10 % of the largest area the one closest to the centre wins. */
    static List<Face> order(List<Face> faces, int cols, int rows) {
        List<Face> list = new ArrayList<>(faces);
        list.sort((a, b) -> Float.compare(b.side, a.side));
        if (list.size() > 1) {
            float maxArea = list.get(0).side * list.get(0).side;
            int best = 0;
            double bestD = Double.MAX_VALUE;
            for (int i = 0; i < list.size(); i++) {
                Face f = list.get(i);
                if (f.side * f.side < 0.9f * maxArea) {
                    break;
                }
                double d = Math.hypot(f.cx - cols / 2.0, f.cy - rows / 2.0);
                if (d < bestD) {
                    bestD = d;
                    best = i;
                }
            }
            list.add(0, list.remove(best));
        }
        return list;
    }

    static float[] l2(float[] v) {
        double s = 0;
        for (float x : v) {
            s += (double) x * x;
        }
        float inv = (float) (1.0 / Math.sqrt(Math.max(s, 1e-24)));
        float[] r = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = v[i] * inv;
        }
        return r;
    }

    static byte[] bytes(Mat m) {
        byte[] b = new byte[(int) m.total() * m.channels()];
        if (m.isContinuous()) {
            m.data().get(b);
        } else {
            try (Mat c = m.clone()) {
                c.data().get(b);
            }
        }
        return b;
    }

    // ------------------------------------------------------------------ worker

    /** One inference context; used by one thread at a time. */
    final class Worker implements AutoCloseable {
        final ExecutorService exec;
        private final OnnxNets.Session s;

        final boolean flushDenormals;

        Worker(ExecutorService exec) throws IOException {
            this.exec = exec;
            this.flushDenormals = Denormals.flushToZeroOnThisThread();
            this.s = nets.newSession();
        }

        private final float[] detIn = new float[3 * 240 * 320];
        private final float[] lmkIn = new float[64 * 64];
        private final float[] liveIn = new float[3 * 128 * 128];
        private FaceDetectorYN yunet;
        private int yunetW = -1, yunetH = -1;

        List<Face> detect(Mat img) {
            if ("yunet".equalsIgnoreCase(cfg.detector())) {
                return detectYunet(img);
            }
            int cols = img.cols(), rows = img.rows();
            Pad pad = Pad.of(cols, rows, cfg.detectPad(), cfg.detectAspect());
            byte[] px = detectorInput(img, pad, (long) pad.w * pad.h <= PADDED_COPY_MAX_PIXELS);
            int plane = 240 * 320;
            for (int i = 0, p = 0; i < plane; i++, p += 3) {
                // BGR -> RGB planes, (x - 127) / 128
                detIn[i] = ((px[p + 2] & 0xFF) - 127f) / 128f;
                detIn[plane + i] = ((px[p + 1] & 0xFF) - 127f) / 128f;
                detIn[2 * plane + i] = ((px[p] & 0xFF) - 127f) / 128f;
            }
            float[][] out = s.detect(detIn);
            float[] boxes = out[0], scores = out[1];
            int n = scores.length / 2;
            List<float[]> cand = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                float sc = scores[2 * i + 1];
                if (sc >= cfg.detectorThreshold()) {
                    float x1 = boxes[4 * i] * 320f, y1 = boxes[4 * i + 1] * 240f;
                    float x2 = boxes[4 * i + 2] * 320f, y2 = boxes[4 * i + 3] * 240f;
                    if (x2 > x1 && y2 > y1) {
                        cand.add(new float[] {x1, y1, x2, y2, sc});
                    }
                }
            }
            List<float[]> kept = nms(cand, cfg.nmsIou());
            List<Face> faces = new ArrayList<>(kept.size());
            float sx = pad.w / 320f, sy = pad.h / 240f;
            for (float[] b : kept) {
                float x1 = b[0] * sx - pad.left, y1 = b[1] * sy - pad.top;
                float x2 = b[2] * sx - pad.left, y2 = b[3] * sy - pad.top;
                Face f = new Face();
                f.side = y2 - y1;
                f.cx = (x1 + x2) / 2f;
                f.cy = (y1 + y2) / 2f;
                f.score = b[4];
                f.box = clippedBox(f, cols, rows);
                faces.add(f);
            }
            return faces;
        }

        private List<Face> detectYunet(Mat img) {
            int cols = img.cols(), rows = img.rows();
            if (yunet == null) {
                if (cfg.yunetModel() == null) {
                    throw new FaceException(Code.ENGINE_UNAVAILABLE, "yunet model path not configured");
                }
                yunet = FaceDetectorYN.create(cfg.yunetModel().toString(), "", new Size(cols, rows),
                        cfg.detectorThreshold(), cfg.nmsIou(), 5000, 0, 0);
            }
            if (cols != yunetW || rows != yunetH) {
                yunet.setInputSize(new Size(cols, rows));
                yunetW = cols;
                yunetH = rows;
            }
            List<Face> faces = new ArrayList<>();
            try (Mat out = new Mat()) {
                yunet.detect(img, out);
                if (out.empty()) {
                    return faces;
                }
                FloatIndexer ix = out.createIndexer();
                for (int r = 0; r < out.rows(); r++) {
                    float x = ix.get(r, 0), y = ix.get(r, 1), w = ix.get(r, 2), h = ix.get(r, 3);
                    Face f = new Face();
                    f.side = h;
                    f.cx = x + w / 2f;
                    f.cy = y + h / 2f;
                    f.score = ix.get(r, 14);
                    f.box = clippedBox(f, cols, rows);
                    f.five = new float[5][];
                    for (int k = 0; k < 5; k++) {
                        f.five[k] = new float[] {ix.get(r, 4 + 2 * k), ix.get(r, 5 + 2 * k)};
                    }
                    faces.add(f);
                }
                ix.release();
            }
            return faces;
        }

        /** Landmarks (unless the detector gave them), alignment, quality and liveness. */
        void complete(Mat img, Face f) {
            if (f.five == null) {
                f.five = landmarks(img, f);
            }
            align(img, f);
            f.quality = quality(f);
            f.liveness = liveness(img, f);
        }

        private float[][] landmarks(Mat img0, Face f) {
            // crop from a view padded with black where the square box leaves the image
            int side0 = Math.max(1, Math.round(f.side));
            int bx = Math.round(f.cx - side0 / 2f), by = Math.round(f.cy - side0 / 2f);
            int padL = cfg.landmarkPad() ? Math.max(0, -bx) : 0;
            int padT = cfg.landmarkPad() ? Math.max(0, -by) : 0;
            int padR = cfg.landmarkPad() ? Math.max(0, bx + side0 - img0.cols()) : 0;
            int padB = cfg.landmarkPad() ? Math.max(0, by + side0 - img0.rows()) : 0;
            int cols = img0.cols() + padL + padR, rows = img0.rows() + padT + padB;
            int side = Math.max(1, Math.min(side0, Math.min(cols, rows)));
            int x1 = clamp(bx + padL, 0, cols - side);
            int y1 = clamp(by + padT, 0, rows - side);
            byte[] g;
            try (Mat crop = paddedCrop(img0, x1 - padL, y1 - padT, side); Mat small = new Mat(); Mat grey = new Mat()) {
                resize(crop, small, new Size(64, 64), 0, 0, INTER_LINEAR);
                cvtColor(small, grey, COLOR_BGR2GRAY);
                g = bytes(grey);
            }
            for (int i = 0; i < g.length; i++) {
                lmkIn[i] = (g[i] & 0xFF) / 256f;
            }
            float[] o = s.landmarks(lmkIn);
            float[] xs = new float[68], ys = new float[68];
            for (int i = 0; i < 68; i++) {
                xs[i] = o[2 * i] * side + x1 - padL;
                ys[i] = o[2 * i + 1] * side + y1 - padT;
            }
            return new float[][] {
                {(xs[37] + xs[38] + xs[40] + xs[41]) / 4f, (ys[37] + ys[38] + ys[40] + ys[41]) / 4f},
                {(xs[43] + xs[44] + xs[46] + xs[47]) / 4f, (ys[43] + ys[44] + ys[46] + ys[47]) / 4f},
                {xs[30], ys[30]},
                {(xs[48] + xs[60]) / 2f, (ys[48] + ys[60]) / 2f},
                {(xs[54] + xs[64]) / 2f, (ys[54] + ys[64]) / 2f}};
        }

        private void align(Mat img, Face f) {
            double[][] src = new double[5][];
            for (int i = 0; i < 5; i++) {
                src[i] = new double[] {f.five[i][0], f.five[i][1]};
            }
            double[] m = Similarity.estimate(src, Similarity.ARCFACE_112);
            try (Mat mm = new Mat(2, 3, CV_64FC1); Mat out = new Mat(); Size sz = new Size(112, 112);
                 Scalar black = new Scalar(0.0)) {
                DoubleIndexer ix = mm.createIndexer();
                for (int i = 0; i < 6; i++) {
                    ix.put(i / 3, i % 3, m[i]);
                }
                ix.release();
                warpAffine(img, out, mm, sz, INTER_LINEAR, BORDER_CONSTANT, black);
                f.aligned = bytes(out);
            }
        }

        private Quality quality(Face f) {
            float[] le = f.five[0], re = f.five[1], nose = f.five[2];
            float ex = re[0] - le[0], ey = re[1] - le[1];
            float ied = (float) Math.hypot(ex, ey);
            float roll = (float) Math.toDegrees(Math.atan2(ey, ex));
            float mx = (le[0] + re[0]) / 2f, my = (le[1] + re[1]) / 2f;
            float yaw = ied > 0 ? ((nose[0] - mx) * ex + (nose[1] - my) * ey) / (ied * ied) : 0f;
            // grey aligned face: brightness and Laplacian variance over the central face region
            byte[] a = f.aligned;
            float[] g = new float[112 * 112];
            for (int i = 0, p = 0; i < g.length; i++, p += 3) {
                g[i] = 0.114f * (a[p] & 0xFF) + 0.587f * (a[p + 1] & 0xFF) + 0.299f * (a[p + 2] & 0xFF);
            }
            double sum = 0, sum2 = 0, bsum = 0;
            int n = 0;
            for (int y = 24; y < 104; y++) {
                for (int x = 24; x < 88; x++) {
                    int i = y * 112 + x;
                    float lap = g[i - 1] + g[i + 1] + g[i - 112] + g[i + 112] - 4 * g[i];
                    sum += lap;
                    sum2 += lap * lap;
                    bsum += g[i];
                    n++;
                }
            }
            double mean = sum / n;
            float sharp = (float) (sum2 / n - mean * mean);
            return new Quality(ied, yaw, roll, sharp, (float) (bsum / n));
        }

        private float liveness(Mat img, Face f) {
            int cols = img.cols(), rows = img.rows();
            float s0 = Math.max(1f, f.side);
            float factor = Math.min(2.7f, Math.min(cols / s0, rows / s0));
            int side = Math.max(1, Math.min(Math.round(s0 * factor), Math.min(cols, rows)));
            int x1 = clamp(Math.round(f.cx - side / 2f), 0, cols - side);
            int y1 = clamp(Math.round(f.cy - side / 2f), 0, rows - side);
            byte[] px;
            try (Rect roi = new Rect(x1, y1, side, side); Mat crop = new Mat(img, roi); Mat small = new Mat()) {
                resize(crop, small, new Size(128, 128), 0, 0, INTER_LINEAR);
                px = bytes(small);
            }
            int plane = 128 * 128;
            for (int i = 0, p = 0; i < plane; i++, p += 3) {
                liveIn[i] = px[p + 2] & 0xFF;
                liveIn[plane + i] = px[p + 1] & 0xFF;
                liveIn[2 * plane + i] = px[p] & 0xFF;
            }
            float[] o = s.liveness(liveIn);
            double mx = Math.max(o[0], Math.max(o[1], o[2]));
            double e0 = Math.exp(o[0] - mx), e1 = Math.exp(o[1] - mx), e2 = Math.exp(o[2] - mx);
            return (float) (e0 / (e0 + e1 + e2));
        }

        float[] embedAligned(byte[] a) {
            int plane = 112 * 112;
            if (!cfg.flipTta()) {
                float[] in = new float[3 * plane];
                fillBgr(a, in, 0, false);
                return l2(s.feature(in));
            }
            float[] in = new float[3 * plane];
            fillBgr(a, in, 0, false);
            float[] o1 = l2(s.feature(in));
            fillBgr(a, in, 0, true);
            float[] o2 = l2(s.feature(in));
            float[] sum = new float[DIM];
            for (int i = 0; i < DIM; i++) {
                sum[i] = o1[i] + o2[i];
            }
            return l2(sum);
        }

        private void fillBgr(byte[] a, float[] in, int off, boolean flip) {
            int plane = 112 * 112;
            for (int y = 0; y < 112; y++) {
                for (int x = 0; x < 112; x++) {
                    int sx = flip ? 111 - x : x;
                    int p = (y * 112 + sx) * 3;
                    int i = off + y * 112 + x;
                    in[i] = ((a[p] & 0xFF) - 127f) / 128f;
                    in[plane + i] = ((a[p + 1] & 0xFF) - 127f) / 128f;
                    in[2 * plane + i] = ((a[p + 2] & 0xFF) - 127f) / 128f;
                }
            }
        }

        @Override
        public void close() {
            s.close();
            if (yunet != null) {
                yunet.close();
            }
        }
    }

    /**
     * Above this many pixels of padded image (24 MB) the detector's input is sampled from the image directly
     * instead of from a black-bordered copy: for an 8000x5000 image the copy alone is 11200x8400 (282 MB).
     * Up to it (any frame up to 1920x1080 with the default padding) the input is exactly what it always was.
     */
    static final long PADDED_COPY_MAX_PIXELS = 8_000_000L;

    /**
     * The detector's 320x240 BGR input: the image in its black margin ({@code pad}) stretched to 320x240
     * by bilinear resampling. {@code copy}: build the padded image and {@code resize} it (the reference);
     * otherwise {@code warpAffine} samples the same source positions ((x + 0.5) * scale - 0.5, black
     * outside the image) from the image itself, with no copy; values differ from the reference only by
     * the rounding of the interpolation weights (DetectorInputTest).
     */
    static byte[] detectorInput(Mat img, Pad pad, boolean copy) {
        try (Mat small = new Mat(); Size size = new Size(320, 240)) {
            if (copy) {
                try (Mat padded = pad.apply(img)) {
                    resize(padded, small, size, 0, 0, INTER_LINEAR);
                }
            } else {
                double sx = pad.w / 320.0, sy = pad.h / 240.0;
                try (Mat m = new Mat(2, 3, CV_64FC1); Scalar black = new Scalar(0.0)) {
                    DoubleIndexer ix = m.createIndexer();
                    ix.put(0, 0, sx);
                    ix.put(0, 1, 0);
                    ix.put(0, 2, 0.5 * sx - 0.5 - pad.left);
                    ix.put(1, 0, 0);
                    ix.put(1, 1, sy);
                    ix.put(1, 2, 0.5 * sy - 0.5 - pad.top);
                    ix.release();
                    warpAffine(img, small, m, size, INTER_LINEAR | WARP_INVERSE_MAP, BORDER_CONSTANT, black);
                }
            }
            return bytes(small);
        }
    }

    /**
     * The {@code side x side} square at ({@code x}, {@code y}) of the image extended with black on every side:
     * a view when it lies inside the image, else a copy of the square alone (never of the whole image).
     */
    static Mat paddedCrop(Mat img, int x, int y, int side) {
        int ix1 = Math.max(x, 0), iy1 = Math.max(y, 0);
        int ix2 = Math.min(x + side, img.cols()), iy2 = Math.min(y + side, img.rows());
        if (ix1 == x && iy1 == y && ix2 == x + side && iy2 == y + side) {
            try (Rect roi = new Rect(x, y, side, side)) {
                return new Mat(img, roi);
            }
        }
        try (Scalar black = new Scalar(0.0)) {
            if (ix2 <= ix1 || iy2 <= iy1) {
                return new Mat(side, side, img.type(), black);
            }
            Mat out = new Mat();
            try (Rect roi = new Rect(ix1, iy1, ix2 - ix1, iy2 - iy1); Mat inside = new Mat(img, roi)) {
                copyMakeBorder(inside, out, iy1 - y, y + side - iy2, ix1 - x, x + side - ix2, BORDER_CONSTANT, black);
            }
            return out;
        }
    }

    /** Black border around an image (left/top offsets, padded size). */
    record Pad(int left, int top, int w, int h) {
        static Pad of(int cols, int rows, float margin, boolean aspect43) {
            int m = Math.round(margin * Math.max(cols, rows));
            int w = cols + 2 * m, h = rows + 2 * m;
            if (aspect43) {
                if (w * 3 < h * 4) {
                    w = (h * 4 + 2) / 3;
                } else {
                    h = (w * 3 + 3) / 4;
                }
            }
            return new Pad((w - cols) / 2, (h - rows) / 2, w, h);
        }

        /** Returns a new Mat (a shallow reference when no padding is needed); caller closes it. */
        Mat apply(Mat img) {
            if (left == 0 && top == 0 && w == img.cols() && h == img.rows()) {
                return new Mat(img);
            }
            Mat out = new Mat();
            try (Scalar black = new Scalar(0.0)) {
                copyMakeBorder(img, out, top, h - img.rows() - top, left, w - img.cols() - left, BORDER_CONSTANT, black);
            }
            return out;
        }
    }

    static FaceBox clippedBox(Face f, int cols, int rows) {
        float x1 = Math.max(0f, f.cx - f.side / 2f), y1 = Math.max(0f, f.cy - f.side / 2f);
        float x2 = Math.min(cols - 1f, f.cx + f.side / 2f), y2 = Math.min(rows - 1f, f.cy + f.side / 2f);
        return new FaceBox(x1, y1, Math.max(0f, x2 - x1), Math.max(0f, y2 - y1));
    }

    static int clamp(int v, int lo, int hi) {
        return v < lo ? lo : Math.min(v, hi);
    }

    /** Standard score-ordered greedy NMS with IoU; boxes are {x1,y1,x2,y2,score}. */
    static List<float[]> nms(List<float[]> boxes, float iouThr) {
        float[][] b = boxes.toArray(new float[0][]);
        Arrays.sort(b, (p, q) -> Float.compare(q[4], p[4]));
        boolean[] dead = new boolean[b.length];
        List<float[]> keep = new ArrayList<>();
        for (int i = 0; i < b.length; i++) {
            if (dead[i]) {
                continue;
            }
            keep.add(b[i]);
            float ai = (b[i][2] - b[i][0]) * (b[i][3] - b[i][1]);
            for (int j = i + 1; j < b.length; j++) {
                if (dead[j]) {
                    continue;
                }
                float w = Math.min(b[i][2], b[j][2]) - Math.max(b[i][0], b[j][0]);
                float h = Math.min(b[i][3], b[j][3]) - Math.max(b[i][1], b[j][1]);
                if (w <= 0 || h <= 0) {
                    continue;
                }
                float inter = w * h;
                float aj = (b[j][2] - b[j][0]) * (b[j][3] - b[j][1]);
                if (inter / (ai + aj - inter) > iouThr) {
                    dead[j] = true;
                }
            }
        }
        return keep;
    }
}

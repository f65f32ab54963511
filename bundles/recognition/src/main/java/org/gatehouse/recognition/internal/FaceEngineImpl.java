package org.gatehouse.recognition.internal;

import org.bytedeco.opencv.opencv_core.Mat;
import org.gatehouse.recognition.api.DetectedFace;
import org.gatehouse.recognition.api.FaceAnalysis;
import org.gatehouse.recognition.api.FaceEngine;
import org.gatehouse.recognition.api.FaceException;
import org.gatehouse.recognition.api.FaceException.Code;
import org.gatehouse.recognition.api.FaceTemplate;
import org.gatehouse.recognition.api.StageTimes;
import org.gatehouse.recognition.api.StageTimes.Stage;
import org.gatehouse.recognition.internal.image.ImageDecoder;
import org.gatehouse.recognition.internal.onnx.Denormals;
import org.gatehouse.recognition.internal.onnx.FaceApiGraph;
import org.gatehouse.recognition.internal.onnx.OnnxNets;

import java.io.IOException;
import java.util.ArrayList;
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

import static org.bytedeco.opencv.global.opencv_core.setNumThreads;

/**
 * The face pipeline: decode (OpenCV) - detect ({@link Detector}: fr_detect / optional YuNet) - 68
 * landmarks (fr_landmark, {@link Landmarks}) - 5 points - alignment to ArcFace 112x112 ({@link Aligner}) - quality and
 * its gates ({@link QualityGate}) - embedding (fr_feature, 512-d, L2-normalised) - liveness
 * (fr_liveness, {@link Liveness}). Thread-safe: a bounded pool of
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
    /** The second embedder's id part: face-api.js's recogniser, weights file SHA-256 prefix. */
    public static final String SECOND_MODEL_ID = "face-api/face_recognition_model@b413e420";

    private static final AtomicInteger WORKER_IDS = new AtomicInteger();

    private final EngineConfig cfg;
    private final ImageDecoder decoder;
    private final FacePhotos photos;
    /** The same checks with the (lower) pixel limit of images to identify ({@link #embed}). */
    private final ImageDecoder identifyDecoder;
    private final OnnxNets nets;
    private final QualityGate gate;
    private final BlockingQueue<Worker> pool;
    /** Requests in the engine: being worked on (at most poolSize) or waiting for a worker (at most queueSize). */
    private final Semaphore admission;
    private final List<Worker> all = new ArrayList<>();
    private volatile boolean closed;

    public FaceEngineImpl(EngineConfig cfg, ClassLoader loader) throws IOException {
        this.cfg = cfg;
        this.decoder = new ImageDecoder(cfg.maxImageBytes(), cfg.maxImagePixels(), cfg.maxImageSide());
        this.photos = new FacePhotos(decoder);
        this.identifyDecoder = new ImageDecoder(cfg.maxImageBytes(), cfg.effectiveMaxImagePixelsIdentify(), cfg.maxImageSide());
        if (cfg.opencvThreads() > 0) {
            setNumThreads(cfg.opencvThreads());
        }
        this.nets = new OnnxNets(cfg.modelDirectory(), loader, cfg.secondEmbedderWeight() > 0f);
        this.gate = new QualityGate(cfg);
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
        return cfg.secondEmbedderWeight() > 0f ? DIM + FaceApiGraph.DIM : DIM;
    }

    @Override
    public String modelId() {
        String id = MODEL_ID + (cfg.flipTta() ? "+flip" : "");
        float w = cfg.secondEmbedderWeight();
        return w > 0f ? id + "&" + SECOND_MODEL_ID + String.format(java.util.Locale.ROOT, ":w%.2f", w) : id;
    }

    // ------------------------------------------------------------------ public API

    @Override
    public FaceAnalysis analyze(byte[] image) {
        decoder.check(image); // bad input is answered at once, without waiting for a worker
        return withWorker(w -> {
            try (Mat img = decoder.decode(image)) {
                List<Face> faces = w.faces(img);
                List<DetectedFace> out = new ArrayList<>(faces.size());
                for (Face f : faces) {
                    w.complete(img, f, true);
                    out.add(f.toApi());
                }
                return new FaceAnalysis(img.cols(), img.rows(), out);
            }
        });
    }

    @Override
    public FaceTemplate embed(byte[] image) {
        return embed(image, true);
    }

    @Override
    public FaceTemplate embed(byte[] image, boolean liveness) {
        identifyDecoder.check(image);
        return withWorker(w -> {
            try (Mat img = identifyDecoder.decode(image)) {
                StageTimes.lap(Stage.DECODE);
                return template(w, img, false, liveness);
            }
        });
    }

    @Override
    public byte[] facePhoto(byte[] image, org.gatehouse.recognition.api.FaceBox box) {
        return photos.photo(image, box);
    }

    @Override
    public FaceTemplate enrollmentTemplate(byte[] image) {
        decoder.check(image);
        return withWorker(w -> {
            try (Mat img = decoder.decode(image)) {
                return template(w, img, true, true);
            }
        });
    }

    /** Pipeline on an already decoded BGR image (used by benchmarks). */
    public FaceTemplate embedMat(Mat img, boolean enrollment) {
        return withWorker(w -> template(w, img, enrollment, true));
    }

    private FaceTemplate template(Worker w, Mat img, boolean enrollment, boolean liveness) {
        List<Face> faces = w.faces(img);
        StageTimes.lap(Stage.DETECT);
        if (faces.isEmpty()) {
            throw new FaceException(Code.NO_FACE);
        }
        Face primary = faces.get(0);
        if (enrollment) {
            gate.requireSingleFace(faces);
        }
        w.complete(img, primary, liveness);
        gate.check(primary.quality, enrollment);
        StageTimes.lap(Stage.ALIGN);
        float[] v = w.embed(primary);
        StageTimes.lap(Stage.EMBED);
        return new FaceTemplate(v, modelId(), primary.toApi());
    }

    /**
     * Benchmark hook: runs the pipeline on the primary face of a decoded image and returns the
     * nanoseconds spent in {detect, landmarks + 5 points + alignment + quality, embedding, liveness}.
     */
    public long[] stageNanos(Mat img) {
        return withWorker(w -> {
            long t0 = System.nanoTime();
            List<Face> faces = w.faces(img);
            long t1 = System.nanoTime();
            if (faces.isEmpty()) {
                throw new FaceException(Code.NO_FACE);
            }
            Face f = faces.get(0);
            w.complete(img, f, false);
            long t2 = System.nanoTime();
            w.embed(f);
            long t3 = System.nanoTime();
            w.liveness.score(img, f);
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
        StageTimes times = StageTimes.current(); // a caller's decision timings follow the job to the worker
        if (times != null) {
            times.lapNow(Stage.REQUEST);
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
                StageTimes before = times == null ? null : StageTimes.attach(times);
                try {
                    if (times != null) {
                        times.lapNow(Stage.QUEUE);
                    }
                    return job.run(w);
                } finally {
                    if (times != null) {
                        StageTimes.attach(before);
                    }
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

    /** A 150x150 BGR chip as the face-api.js input: RGB planes, (pixel - mean) / 255. */
    static float[] chipInput(byte[] bgr) {
        int n = FaceApiGraph.SIZE * FaceApiGraph.SIZE;
        float[] in = new float[3 * n];
        float[] mean = FaceApiGraph.MEAN_RGB;
        for (int i = 0; i < n; i++) {
            in[i] = ((bgr[3 * i + 2] & 0xFF) - mean[0]) / 255f;
            in[n + i] = ((bgr[3 * i + 1] & 0xFF) - mean[1]) / 255f;
            in[2 * n + i] = ((bgr[3 * i] & 0xFF) - mean[2]) / 255f;
        }
        return in;
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

    // ------------------------------------------------------------------ worker

    /** One inference context; used by one thread at a time. */
    final class Worker implements AutoCloseable {
        final ExecutorService exec;
        private final OnnxNets.Session s;
        private final Detector detector;
        final Landmarks landmarks;
        final Liveness liveness;

        final boolean flushDenormals;

        Worker(ExecutorService exec) throws IOException {
            this.exec = exec;
            this.flushDenormals = Denormals.flushToZeroOnThisThread();
            this.s = nets.newSession();
            this.detector = Detector.of(cfg, s);
            this.landmarks = new Landmarks(cfg, s);
            this.liveness = new Liveness(s);
        }


        /** The faces of an image, the primary ({@link PrimaryFace}) first. */
        List<Face> faces(Mat img) {
            return PrimaryFace.order(detector.detect(img), img.cols(), img.rows(), f -> landmarks.fivePoints(img, f));
        }

        /** Landmarks (unless the detector gave them), alignment, quality and liveness. */
        /** Landmarks, alignment, quality and (when asked) the liveness score, NaN when not. */
        void complete(Mat img, Face f, boolean withLiveness) {
            if (f.five == null) {
                f.five = landmarks.fivePoints(img, f);
            }
            f.aligned = Aligner.align(img, f.five);
            f.quality = QualityGate.measure(f.five, f.aligned);
            if (cfg.secondEmbedderWeight() > 0f) {
                f.chip = Aligner.alignDlib(img, f.five);
            }
            f.liveness = withLiveness ? liveness.score(img, f) : Float.NaN;
        }

        /** The template of a completed face: the first embedder's, or both fused ({@link EngineConfig#secondEmbedderWeight}). */
        float[] embed(Face f) {
            float[] first = embedAligned(f.aligned);
            float w = cfg.secondEmbedderWeight();
            if (w <= 0f) {
                return first;
            }
            float[] second = l2(s.secondFeature(chipInput(f.chip)));
            return Fusion.fuse(first, second, w);
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
            detector.close();
            s.close();
        }
    }
}

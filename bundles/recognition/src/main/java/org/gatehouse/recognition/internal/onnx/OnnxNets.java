package org.gatehouse.recognition.internal.onnx;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The four faceplugin ONNX networks for DJL's ONNX Runtime engine. The model bytes are read
 * once; every {@link Session} creates its own ORT sessions and must be created and used on one
 * thread: ONNX Runtime's "flush denormals to zero" setting only takes effect on the thread that
 * creates the session (with one intra-op thread the inference runs on the caller), and without
 * it fr_feature is about ten times slower (54 ms instead of 4.5 ms on one core).
 */
public final class OnnxNets implements AutoCloseable {

    public static final String DETECT = "fr_detect";
    public static final String LANDMARK = "fr_landmark";
    public static final String FEATURE = "fr_feature";
    public static final String LIVENESS = "fr_liveness";
    public static final String RESOURCE_DIR = "models/faceplugin/";
    public static final String FACE_API = "face_api_recognition";
    /** The face-api.js recogniser's weights (npm {@code @vladmandic/face-api}), rebuilt by {@link FaceApiGraph}. */
    public static final String FACE_API_DIR = "models/faceapi/";
    public static final String FACE_API_MANIFEST = "face_recognition_model-weights_manifest.json";
    public static final String FACE_API_WEIGHTS = "face_recognition_model.bin";

    private final ClassLoader loader;
    private final byte[] detect;
    private final byte[] landmark;
    private final byte[] feature;
    private final byte[] liveness;
    private final byte[] faceApi; // null: no second embedder

    /**
     * @param modelDir directory holding the .onnx files, or null to read them from the class
     *                 path (bundle) under {@value #RESOURCE_DIR}
     * @param loader   class loader for the bundled models and DJL's engine discovery
     */
    public OnnxNets(Path modelDir, ClassLoader loader) throws IOException {
        this(modelDir, loader, false);
    }

    /**
     * @param secondEmbedder also load the face-api.js recogniser ({@link FaceApiGraph}; its weights from
     *                       {@value #FACE_API_DIR} in the bundle, or from {@code modelDir})
     */
    public OnnxNets(Path modelDir, ClassLoader loader, boolean secondEmbedder) throws IOException {
        this.loader = loader;
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        detect = read(DETECT, modelDir, loader);
        landmark = read(LANDMARK, modelDir, loader);
        feature = read(FEATURE, modelDir, loader);
        liveness = read(LIVENESS, modelDir, loader);
        faceApi = secondEmbedder ? FaceApiGraph.onnx(readFile(FACE_API_MANIFEST, modelDir, loader),
                readFile(FACE_API_WEIGHTS, modelDir, loader)) : null;
    }

    private static byte[] readFile(String file, Path dir, ClassLoader loader) throws IOException {
        if (dir != null) {
            return Files.readAllBytes(dir.resolve(file));
        }
        try (InputStream in = loader.getResourceAsStream(FACE_API_DIR + file)) {
            if (in == null) {
                throw new IOException("model resource missing: " + FACE_API_DIR + file);
            }
            return in.readAllBytes();
        }
    }

    private static byte[] read(String name, Path dir, ClassLoader loader) throws IOException {
        try (InputStream in = open(name, dir, loader)) {
            return in.readAllBytes();
        }
    }

    /**
     * One intra-op and one inter-op thread per session (parallelism comes from the worker pool),
     * denormals flushed to zero.
     */
    private static OrtSession.SessionOptions sessionOptions() throws IOException {
        try {
            OrtSession.SessionOptions so = new OrtSession.SessionOptions();
            so.setIntraOpNumThreads(1);
            so.setInterOpNumThreads(1);
            so.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            so.addConfigEntry("session.set_denormal_as_zero", "1");
            return so;
        } catch (OrtException e) {
            throw new IOException("ONNX Runtime session options: " + e.getMessage(), e);
        }
    }

    private static InputStream open(String name, Path dir, ClassLoader loader) throws IOException {
        if (dir != null) {
            return Files.newInputStream(dir.resolve(name + ".onnx"));
        }
        InputStream in = loader.getResourceAsStream(RESOURCE_DIR + name + ".onnx");
        if (in == null) {
            throw new IOException("model resource missing: " + RESOURCE_DIR + name + ".onnx");
        }
        return in;
    }

    /** Creates the sessions of one worker; call on the worker's own thread. */
    public Session newSession() throws IOException {
        return new Session();
    }

    @Override
    public void close() {
        // sessions own all native resources
    }

    /** Per-thread sessions and predictors; not thread-safe, use on the creating thread. */
    public final class Session implements AutoCloseable {
        private final List<Model> models = new ArrayList<>();
        private final List<OrtSession.SessionOptions> options = new ArrayList<>();
        private final Predictor<NDList, NDList> det;
        private final Predictor<NDList, NDList> lmk;
        private final Predictor<NDList, NDList> feat;
        private final Predictor<NDList, NDList> live;
        private final Predictor<NDList, NDList> second; // null: no second embedder
        private final NDManager manager;

        private Session() throws IOException {
            Thread t = Thread.currentThread();
            ClassLoader old = t.getContextClassLoader();
            t.setContextClassLoader(loader); // DJL discovers engines once, through the TCCL
            try {
                det = load(DETECT, detect).newPredictor(new NoopTranslator());
                lmk = load(LANDMARK, landmark).newPredictor(new NoopTranslator());
                Model f = load(FEATURE, feature);
                feat = f.newPredictor(new NoopTranslator());
                live = load(LIVENESS, liveness).newPredictor(new NoopTranslator());
                second = faceApi == null ? null : load(FACE_API, faceApi).newPredictor(new NoopTranslator());
                manager = f.getNDManager().newSubManager();
            } catch (IOException | RuntimeException e) {
                closeModels();
                throw e;
            } finally {
                t.setContextClassLoader(old);
            }
        }

        private Model load(String name, byte[] bytes) throws IOException {
            Model m = Model.newInstance(name, "OnnxRuntime");
            models.add(m);
            OrtSession.SessionOptions so = sessionOptions();
            options.add(so);
            try (InputStream in = new ByteArrayInputStream(bytes)) {
                m.load(in, Map.of("sessionOptions", so));
            } catch (MalformedModelException e) {
                throw new IOException("cannot load " + name + ": " + e.getMessage(), e);
            }
            return m;
        }

        private void closeModels() {
            for (Model m : models) {
                try {
                    m.close();
                } catch (RuntimeException ignored) {
                    // best effort
                }
            }
            models.clear();
            for (OrtSession.SessionOptions so : options) {
                so.close();
            }
            options.clear();
        }

        /** @return {boxes[4420*4], scores[4420*2]} */
        public float[][] detect(float[] chw) {
            return run(det, chw, new Shape(1, 3, 240, 320), "boxes", "scores");
        }

        public float[] landmarks(float[] chw) {
            return run(lmk, chw, new Shape(1, 1, 64, 64))[0];
        }

        public float[] feature(float[] chw) {
            return run(feat, chw, new Shape(1, 3, 112, 112))[0];
        }

        /** Batch of two (original + flipped) in one call. */
        public float[] feature2(float[] chw2) {
            return run(feat, chw2, new Shape(2, 3, 112, 112))[0];
        }

        /** The face-api.js recogniser's 128 values for one 150x150 RGB chip ({@link FaceApiGraph} input). */
        public float[] secondFeature(float[] chw) {
            if (second == null) {
                throw new IllegalStateException("no second embedder loaded");
            }
            return run(second, chw, new Shape(1, 3, FaceApiGraph.SIZE, FaceApiGraph.SIZE))[0];
        }

        public float[] liveness(float[] chw) {
            return run(live, chw, new Shape(1, 3, 128, 128))[0];
        }

        private float[][] run(Predictor<NDList, NDList> p, float[] data, Shape shape, String... names) {
            try (NDManager sub = manager.newSubManager()) {
                NDArray x = sub.create(data, shape);
                x.setName("input");
                NDList out = p.predict(new NDList(x));
                try {
                    float[][] r;
                    if (names.length == 0) {
                        r = new float[out.size()][];
                        for (int i = 0; i < out.size(); i++) {
                            r[i] = out.get(i).toFloatArray();
                        }
                    } else {
                        r = new float[names.length][];
                        for (int i = 0; i < names.length; i++) {
                            NDArray a = out.contains(names[i]) ? out.get(names[i]) : out.get(i);
                            r[i] = a.toFloatArray();
                        }
                    }
                    return r;
                } finally {
                    out.close();
                }
            } catch (TranslateException e) {
                throw new IllegalStateException("inference failed: " + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            det.close();
            lmk.close();
            feat.close();
            live.close();
            if (second != null) {
                second.close();
            }
            manager.close();
            closeModels();
        }
    }
}

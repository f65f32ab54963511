package org.gatehouse.recognition;

import org.gatehouse.recognition.internal.EngineConfig;
import org.gatehouse.recognition.internal.FaceEngineImpl;
import org.gatehouse.recognition.internal.onnx.FaceApiGraph;
import org.gatehouse.recognition.internal.onnx.OnnxNets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The second embedder (face-api.js's recogniser rebuilt as ONNX by {@link FaceApiGraph}) measured by
 * {@code -Dbench=separation} (P4): the graph built from the npm weights runs, a fused template is unit length and its
 * dot products are the weighted sum of the two embedders', the second part alone tells people apart, and weights
 * that do not fit the network are refused with a clear message.
 */
class SecondEmbedderTest {

    static FaceEngineImpl both;

    @BeforeAll
    static void start() throws Exception {
        both = new FaceEngineImpl(EngineConfig.builder().poolSize(1).secondEmbedderWeight(0.5f).build(),
                SecondEmbedderTest.class.getClassLoader());
    }

    @AfterAll
    static void stop() {
        both.close();
    }

    @Test
    void fusedTemplatesSeparatePeopleInBothParts() {
        float[] bush1 = both.embed(TestImages.fixture("George_W_Bush_0001.jpg")).vector();
        float[] bush2 = both.embed(TestImages.fixture("George_W_Bush_0002.jpg")).vector();
        float[] powell = both.embed(TestImages.fixture("Colin_Powell_0001.jpg")).vector();
        float[] blair = both.embed(TestImages.fixture("Tony_Blair_0001.jpg")).vector();
        assertEquals(FaceEngineImpl.DIM + FaceApiGraph.DIM, bush1.length);
        assertEquals(FaceEngineImpl.DIM + FaceApiGraph.DIM, both.templateDimension());
        assertEquals(1.0, dot(bush1, bush1, 0, bush1.length), 1e-4, "unit length");
        assertTrue(both.modelId().contains("&face-api/face_recognition_model@b413e420:w0.50"), both.modelId());
        // the second part alone (128-d, scaled by sqrt(0.5)): same person clearly closer than two others
        int a = FaceEngineImpl.DIM;
        int n = bush1.length;
        double same = 2 * dot(bush1, bush2, a, n);
        double other1 = 2 * dot(bush1, powell, a, n);
        double other2 = 2 * dot(bush1, blair, a, n);
        assertTrue(same > other1 + 0.05 && same > other2 + 0.05,
                "second embedder: same person " + same + ", others " + other1 + ", " + other2);
        // and the first part is the default engine's template
        float[] first = Arrays.copyOf(bush1, a);
        assertEquals(0.5, dot(first, first, 0, a), 1e-4);
    }

    @Test
    void weightsThatDoNotFitAreRefused() throws Exception {
        byte[] manifest = resource(OnnxNets.FACE_API_MANIFEST);
        byte[] bin = resource(OnnxNets.FACE_API_WEIGHTS);
        IOException shortFile = assertThrows(IOException.class,
                () -> FaceApiGraph.onnx(manifest, Arrays.copyOf(bin, bin.length - 100)));
        assertTrue(shortFile.getMessage().contains("weights file too short"), shortFile.getMessage());
        IOException longFile = assertThrows(IOException.class,
                () -> FaceApiGraph.onnx(manifest, Arrays.copyOf(bin, bin.length + 4)));
        assertTrue(longFile.getMessage().contains("longer than its manifest"), longFile.getMessage());
        String json = new String(manifest, StandardCharsets.UTF_8);
        byte[] otherShape = json.replace("\"shape\":[256,128]", "\"shape\":[128,256]").getBytes(StandardCharsets.UTF_8);
        IOException shape = assertThrows(IOException.class, () -> FaceApiGraph.onnx(otherShape, bin));
        assertTrue(shape.getMessage().contains("fc: expected [256, 128], found [128, 256]"), shape.getMessage());
        IOException empty = assertThrows(IOException.class,
                () -> FaceApiGraph.onnx("[]".getBytes(StandardCharsets.UTF_8), bin));
        assertTrue(empty.getMessage().contains("lists no weights"), empty.getMessage());
    }

    @Test
    void weightOutsideItsRangeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> EngineConfig.builder().secondEmbedderWeight(1f));
        assertThrows(IllegalArgumentException.class, () -> EngineConfig.builder().secondEmbedderWeight(-0.1f));
        assertThrows(IllegalArgumentException.class, () -> EngineConfig.builder().secondEmbedderWeight(Float.NaN));
    }

    static byte[] resource(String file) throws IOException {
        try (InputStream in = SecondEmbedderTest.class.getClassLoader().getResourceAsStream(OnnxNets.FACE_API_DIR + file)) {
            if (in == null) {
                throw new IllegalStateException("missing " + OnnxNets.FACE_API_DIR + file + " (fetched by the build)");
            }
            return in.readAllBytes();
        }
    }

    static double dot(float[] x, float[] y, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += (double) x[i] * y[i];
        }
        return s;
    }
}

package org.gatehouse.recognition;

import org.gatehouse.recognition.api.DetectedFace;
import org.gatehouse.recognition.api.FaceAnalysis;
import org.gatehouse.recognition.api.FaceException;
import org.gatehouse.recognition.api.FaceException.Code;
import org.gatehouse.recognition.api.FaceTemplate;
import org.gatehouse.recognition.internal.FaceEngineImpl;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class FaceEngineTest {

    static final String[] BUSH = {"George_W_Bush_0001.jpg", "George_W_Bush_0002.jpg", "George_W_Bush_0003.jpg"};
    static final String[] POWELL = {"Colin_Powell_0001.jpg", "Colin_Powell_0002.jpg", "Colin_Powell_0003.jpg"};
    static final String[] BLAIR = {"Tony_Blair_0001.jpg", "Tony_Blair_0002.jpg"};

    static FaceEngineImpl engine;

    @BeforeAll
    static void load() throws Exception {
        engine = EngineHolder.engine();
    }

    private static float[] t(String name) {
        return engine.embed(TestImages.fixture(name)).vector();
    }

    private static Code code(Runnable r) {
        try {
            r.run();
        } catch (FaceException e) {
            return e.code();
        }
        return null;
    }

    @Test
    void analyzeReportsBoxLandmarksQualityLiveness() {
        FaceAnalysis a = engine.analyze(TestImages.fixture(BUSH[0]));
        assertEquals(125, a.imageWidth());
        assertEquals(1, a.faces().size());
        DetectedFace f = a.faces().get(0);
        assertTrue(f.detectorScore() >= 0.65f);
        assertEquals(5, f.landmarks().size());
        assertTrue(f.landmarks().get(0).x() < f.landmarks().get(1).x(), "eye order");
        assertTrue(f.landmarks().get(2).y() > f.landmarks().get(0).y(), "nose below eyes");
        assertTrue(f.quality().interEyeDistance() > 30);
        assertTrue(f.livenessScore() >= 0 && f.livenessScore() <= 1);
        assertTrue(f.box().width() > 50);
    }

    @Test
    void templatesAreUnitLength512() {
        FaceTemplate ft = engine.embed(TestImages.fixture(POWELL[0]));
        assertEquals(512, ft.vector().length);
        assertEquals(1.0f, TestImages.dot(ft.vector(), ft.vector()), 1e-4f);
        assertEquals(engine.modelId(), ft.modelId());
    }

    @Test
    void samePersonScoresHigherThanDifferentPeople() {
        String[][] people = {BUSH, POWELL, BLAIR};
        List<float[]> v = new ArrayList<>();
        List<Integer> id = new ArrayList<>();
        for (int p = 0; p < people.length; p++) {
            for (String f : people[p]) {
                v.add(t(f));
                id.add(p);
            }
        }
        float minSame = 2, maxDiff = -2;
        for (int i = 0; i < v.size(); i++) {
            for (int j = i + 1; j < v.size(); j++) {
                float s = TestImages.dot(v.get(i), v.get(j));
                if (id.get(i).equals(id.get(j))) {
                    minSame = Math.min(minSame, s);
                } else {
                    maxDiff = Math.max(maxDiff, s);
                }
            }
        }
        assertTrue(minSame > maxDiff, "min genuine " + minSame + " <= max impostor " + maxDiff);
        assertTrue(minSame > 0.36f, "genuine above the operating threshold: " + minSame);
        assertTrue(maxDiff < 0.36f, "impostors below the operating threshold: " + maxDiff);
    }

    @Test
    void greyScaleAndAlphaPngAreHandled() {
        float[] ref = t(BUSH[1]);
        float[] grey = engine.embed(TestImages.grey(TestImages.fixture(BUSH[1]))).vector();
        float[] alpha = engine.embed(TestImages.pngWithAlpha(TestImages.fixture(BUSH[1]))).vector();
        assertTrue(TestImages.dot(ref, grey) > 0.6f, "grey-scale still matches");
        assertTrue(TestImages.dot(ref, alpha) > 0.6f, "PNG with alpha still matches");
    }

    @Test
    void cmykJpegGivesAnswerOrClearCode() {
        byte[] cmyk = TestImages.cmykJpeg(TestImages.fixture(POWELL[1]));
        try {
            FaceAnalysis a = engine.analyze(cmyk);
            assertTrue(a.imageWidth() == 125 && a.imageHeight() == 125);
        } catch (FaceException e) {
            assertTrue(e.code() == Code.DECODE_FAILED || e.code() == Code.NO_FACE, e.toString());
        }
    }

    @Test
    void badInputsThroughTheEngine() {
        assertEquals(Code.EMPTY_IMAGE, code(() -> engine.analyze(new byte[0])));
        byte[] random = new byte[4096];
        new Random(5).nextBytes(random);
        random[0] = 1;
        assertEquals(Code.NOT_AN_IMAGE, code(() -> engine.analyze(random)));
        assertEquals(Code.TRUNCATED_IMAGE, code(() -> engine.embed(TestImages.truncated(TestImages.fixture(BLAIR[0]), 0.5))));
        assertEquals(Code.IMAGE_DIMENSIONS_TOO_LARGE, code(() -> engine.analyze(TestImages.pngHeader(20000, 20000))));
        assertEquals(Code.IMAGE_TOO_LARGE, code(() -> engine.analyze(new byte[40 * 1024 * 1024])));
        // a syntactically valid PNG header with garbage pixel data: decoder must fail cleanly
        assertEquals(Code.DECODE_FAILED, code(() -> engine.analyze(TestImages.pngHeader(64, 64))));
        // a JPEG whose scan data is garbage but which keeps its EOI marker
        byte[] jpeg = TestImages.fixture(BLAIR[1]).clone();
        for (int i = 700; i < 2700; i++) {
            jpeg[i] = (byte) (i * 31);
        }
        Code c = code(() -> engine.embed(jpeg));
        assertTrue(c == null || c == Code.NO_FACE || c == Code.DECODE_FAILED || c == Code.TRUNCATED_IMAGE, "code " + c);
    }

    @Test
    void noFaceAndSmallFace() {
        BufferedImage face = TestImages.read(TestImages.fixture(BUSH[0]));
        byte[] empty = TestImages.canvas(320, 240, new BufferedImage[0], new int[0][]);
        assertEquals(Code.NO_FACE, code(() -> engine.embed(empty)));
        byte[] small = TestImages.canvas(640, 480, new BufferedImage[] {face}, new int[][] {{300, 200, 45}});
        Code c = code(() -> engine.embed(small));
        assertTrue(c == Code.FACE_TOO_SMALL || c == Code.NO_FACE, "code " + c);
    }

    @Test
    void smallFaceIsIdentifiedButNotEnrolled() {
        // a visitor at a distance: 20-24 px between the eyes in a 640x480 frame (the fixture has ~39 px at 125 px)
        BufferedImage face = TestImages.read(TestImages.fixture(BUSH[1]));
        byte[] far = TestImages.canvas(640, 480, new BufferedImage[] {face}, new int[][] {{290, 170, 70}});
        FaceAnalysis a = engine.analyze(far);
        assertEquals(1, a.faces().size(), a.toString());
        float ied = a.faces().get(0).quality().interEyeDistance();
        assertTrue(ied >= 20 && ied < 24, "eye distance " + ied);
        FaceTemplate t = engine.embed(far);
        assertTrue(TestImages.dot(t.vector(), t(BUSH[1])) > 0.5f, "same face as the fixture: " + TestImages.dot(t.vector(), t(BUSH[1])));
        FaceException e = assertThrows(FaceException.class, () -> engine.enrollmentTemplate(far));
        assertEquals(Code.FACE_TOO_SMALL, e.code());
    }

    @Test
    void multipleFacesLargestWinsAndEnrollmentRefuses() {
        BufferedImage big = TestImages.read(TestImages.fixture(POWELL[0]));
        BufferedImage other = TestImages.read(TestImages.fixture(BLAIR[0]));
        byte[] two = TestImages.canvas(640, 400, new BufferedImage[] {big, other},
                new int[][] {{40, 60, 280}, {380, 80, 250}});
        FaceAnalysis a = engine.analyze(two);
        assertEquals(2, a.faces().size(), a.toString());
        assertTrue(a.faces().get(0).box().x() < 320, "largest face is primary");
        FaceTemplate ft = engine.embed(two);
        assertTrue(TestImages.dot(ft.vector(), t(POWELL[0])) > 0.8f, "embed uses the primary face");
        assertEquals(Code.MULTIPLE_FACES, code(() -> engine.enrollmentTemplate(two)));
    }

    @Test
    void largeImageFaceIsFoundAndIdentificationHasALowerPixelLimit() {
        // 4000x3000: the detector samples its input from the image itself (no 5600x4200 bordered copy)
        BufferedImage face = TestImages.read(TestImages.fixture(POWELL[0]));
        byte[] big = TestImages.canvas(4000, 3000, new BufferedImage[] {face}, new int[][] {{1500, 1000, 900}});
        FaceAnalysis a = engine.analyze(big);
        assertEquals(1, a.faces().size(), a.toString());
        float cx = a.faces().get(0).box().x() + a.faces().get(0).box().width() / 2;
        float cy = a.faces().get(0).box().y() + a.faces().get(0).box().height() / 2;
        assertTrue(cx > 1500 && cx < 2400 && cy > 1000 && cy < 1900, "box " + a.faces().get(0).box());
        assertTrue(TestImages.dot(engine.embed(big).vector(), t(POWELL[0])) > 0.8f, "same face as the fixture");
        // 20 MP: within the 40 MP of detection and enrollment, above the 16 MP of identification; refused
        // from the header alone (the pixel data of this PNG is garbage, so decoding it fails)
        byte[] twentyMp = TestImages.pngHeader(8000, 2500);
        FaceException tooLarge = assertThrows(FaceException.class, () -> engine.embed(twentyMp));
        assertEquals(Code.IMAGE_DIMENSIONS_TOO_LARGE, tooLarge.code());
        assertEquals(java.util.List.of(8000, 2500, 8000, 16_000_000L), java.util.List.of(tooLarge.args()));
        assertEquals(Code.DECODE_FAILED, code(() -> engine.analyze(twentyMp)));
        assertEquals(Code.DECODE_FAILED, code(() -> engine.enrollmentTemplate(twentyMp)));
    }

    @Test
    void enrollmentQualityChecks() {
        BufferedImage face = TestImages.read(TestImages.fixture(POWELL[2]));
        // a good, large face enrolls
        byte[] good = TestImages.canvas(400, 400, new BufferedImage[] {face}, new int[][] {{75, 75, 250}});
        assertEquals(512, engine.enrollmentTemplate(good).vector().length);
        // heavy blur
        BufferedImage tiny = TestImages.scaled(face, 14, 14);
        byte[] blurry = TestImages.canvas(400, 400, new BufferedImage[] {tiny}, new int[][] {{75, 75, 250}});
        Code c = code(() -> engine.enrollmentTemplate(blurry));
        assertTrue(c == Code.BLURRY || c == Code.NO_FACE, "code " + c);
        // dark
        BufferedImage dark = TestImages.scaled(face, 250, 250);
        java.awt.image.RescaleOp op = new java.awt.image.RescaleOp(0.12f, 0, null);
        BufferedImage darker = op.filter(dark, null);
        byte[] darkImg = TestImages.canvas(400, 400, new BufferedImage[] {darker}, new int[][] {{75, 75, 250}});
        Code d = code(() -> engine.enrollmentTemplate(darkImg));
        assertTrue(d == Code.TOO_DARK || d == Code.NO_FACE, "code " + d);
    }

    @Test
    void threadSafeAndDeterministic() throws Exception {
        float[] ref = t(BLAIR[1]);
        ExecutorService ex = Executors.newFixedThreadPool(4);
        try {
            List<Future<float[]>> fs = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                fs.add(ex.submit(() -> engine.embed(TestImages.fixture(BLAIR[1])).vector()));
            }
            for (Future<float[]> f : fs) {
                assertArrayEquals(ref, f.get(), 1e-5f);
            }
        } finally {
            ex.shutdown();
        }
    }

    @Test
    void optionalYunetDetectorAgreesWithDefault() throws Exception {
        java.nio.file.Path yunet = java.nio.file.Paths.get(System.getProperty("gatehouse.yunet",
                "../../../shared/models/face_detection_yunet_2026may.onnx"));
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isRegularFile(yunet),
                "needs ../shared/models/face_detection_yunet_2026may.onnx (not at " + yunet.toAbsolutePath().normalize()
                        + "); compares the product's detector with the YuNet reference");
        org.gatehouse.recognition.internal.EngineConfig cfg = org.gatehouse.recognition.internal.EngineConfig.builder()
                .poolSize(1).detector("yunet").yunetModel(yunet).build();
        try (FaceEngineImpl y = new FaceEngineImpl(cfg, FaceEngineTest.class.getClassLoader())) {
            float[] a = y.embed(TestImages.fixture(POWELL[0])).vector();
            float[] b = t(POWELL[0]);
            assertTrue(TestImages.dot(a, b) > 0.8f, "same face through both detectors: " + TestImages.dot(a, b));
            assertEquals(5, y.analyze(TestImages.fixture(POWELL[0])).faces().get(0).landmarks().size());
        }
    }

    @Test
    void dimensionMismatchIsReported() {
        FaceException e = assertThrows(FaceException.class, () -> engine.similarity(new float[3], new float[4]));
        assertEquals(Code.DIMENSION_MISMATCH, e.code());
        if (e.getMessage() == null) {
            fail("no message");
        }
    }
}

package org.gatehouse.screening.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Map;

import javax.imageio.ImageIO;

import org.gatehouse.api.model.SubjectType;
import org.gatehouse.gate.api.CheckSetting;
import org.gatehouse.gate.api.CheckSetting.Mode;
import org.gatehouse.gate.api.Readings;
import org.gatehouse.gate.api.ScreeningInput;
import org.gatehouse.gate.api.ScreeningResult;
import org.gatehouse.gate.api.ScreeningResult.Outcome;
import org.gatehouse.recognition.api.FaceAnalysis;
import org.gatehouse.recognition.api.FaceEngine;
import org.gatehouse.recognition.api.FaceException;
import org.gatehouse.recognition.api.FaceTemplate;
import org.gatehouse.recognition.api.GalleryBands;
import org.gatehouse.recognition.internal.EngineConfig;
import org.gatehouse.recognition.internal.FaceEngineImpl;
import org.gatehouse.recognition.internal.calibration.Calibration;
import org.gatehouse.recognition.internal.gallery.QuantizedGallery;
import org.gatehouse.recognition.internal.osgi.GalleryBandsComponent;
import org.gatehouse.testing.Configs;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The id-card check over the real engine and the real bands (the shipped calibration, default targets), with LFW
 * fixtures (see {@code src/test/resources/faces/NOTICE}): one photo of a person as the chip photo, another as the
 * live frame.
 */
class IdCardCheckTest {
    static FaceEngineImpl engine;
    static GalleryBands bands;
    static IdCardCheck check;

    /** One engine for the test JVM (loading the four ONNX sessions takes a second or two). */
    @BeforeAll
    static synchronized void engine() throws Exception {
        if (engine == null) {
            engine = new FaceEngineImpl(EngineConfig.defaults(), IdCardCheckTest.class.getClassLoader());
            Runtime.getRuntime().addShutdownHook(new Thread(engine::close));
            bands = new GalleryBandsComponent(new QuantizedGallery(engine.templateDimension()),
                    Calibration.load(FaceEngineImpl.class.getClassLoader(), engine.modelId()), 0.001, 1e-4);
            check = new IdCardCheck(Configs.defaults(IdCardConfig.class), engine, bands);
        }
    }

    static byte[] face(String name) throws IOException {
        try (InputStream in = IdCardCheckTest.class.getResourceAsStream("/faces/" + name + ".jpg")) {
            assertNotNull(in, name);
            return in.readAllBytes();
        }
    }

    /** A plain 320×240 JPEG with a grey rectangle: an image, but no face. */
    static byte[] noFace() throws IOException {
        BufferedImage image = new BufferedImage(320, 240, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(200, 190, 180));
        g.fillRect(0, 0, 320, 240);
        g.setColor(Color.GRAY);
        g.fillRect(100, 60, 120, 120);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "jpg", out);
        return out.toByteArray();
    }

    static ScreeningInput input(byte[] idCardPhoto, byte[] frame) {
        return new ScreeningInput("c-1", "d-1", null, SubjectType.UNKNOWN, new Readings(null, null, idCardPhoto),
                frame);
    }

    @Test
    void theThresholdIsTheEnginesOneToOneThreshold() {
        double verify = bands.bands("c-1").verify();
        assertEquals(0.402, verify, 0.01, "the shipped calibration's 1:1 threshold (recognition README)");
    }

    @Test
    void theSamePersonPasses() throws Exception {
        ScreeningResult r = check.check(input(face("Colin_Powell_0001"), face("Colin_Powell_0002")));
        assertEquals(Outcome.PASSED, r.outcome(), r.toString());
        assertEquals("id-card", r.check());
        assertEquals(bands.bands("c-1").verify(), r.limit(), 1e-9);
        assertTrue(r.measured() >= r.limit(), r.toString());
        System.out.printf("id-card, same person: %.3f >= %.3f%n", r.measured(), r.limit());
    }

    @Test
    void theGatesLiveTemplateIsUsedInsteadOfEmbeddingTheFrameAgain() throws Exception {
        byte[] card = face("Colin_Powell_0001");
        byte[] frame = face("Colin_Powell_0002");
        ScreeningResult embedded = check.check(input(card, frame));
        float[] live = engine.embed(frame).vector();
        ScreeningResult handed = check.check(new ScreeningInput("c-1", "d-1", "r-1", SubjectType.RESIDENT,
                new Readings(null, null, card), frame, live));
        assertEquals(Outcome.PASSED, handed.outcome(), handed.toString());
        assertEquals(embedded.measured(), handed.measured(), 1e-5, "the same score either way");
        // the handed template decides: someone else's template fails although the frame is the card holder's
        float[] other = engine.embed(face("George_W_Bush_0001")).vector();
        ScreeningResult mismatch = check.check(new ScreeningInput("c-1", "d-1", "r-1", SubjectType.RESIDENT,
                new Readings(null, null, card), frame, other));
        assertEquals("ID_PHOTO_MISMATCH", mismatch.reasonCode());
    }

    @Test
    void anotherPersonsIdCardFailsWithScoreAndThreshold() throws Exception {
        ScreeningResult r = check.check(input(face("Colin_Powell_0001"), face("George_W_Bush_0001")));
        assertEquals(Outcome.FAILED, r.outcome(), r.toString());
        assertEquals("ID_PHOTO_MISMATCH", r.reasonCode());
        assertNotNull(r.measured());
        assertTrue(r.measured() < r.limit(), r.toString());
        assertEquals(bands.bands("c-1").verify(), r.limit(), 1e-9);
        System.out.printf("id-card, another person: %.3f < %.3f%n", r.measured(), r.limit());
    }

    @Test
    void anIdCardPhotoWithoutAFaceOrCorruptFails() throws Exception {
        byte[] live = face("Colin_Powell_0002");
        ScreeningResult blank = check.check(input(noFace(), live));
        assertEquals(Outcome.FAILED, blank.outcome(), blank.toString());
        assertEquals("ID_PHOTO_UNUSABLE", blank.reasonCode());
        assertTrue(blank.detail().contains("NO_FACE"), blank.detail());

        byte[] corrupt = Arrays.copyOf(face("Colin_Powell_0001"), 600);
        ScreeningResult cut = check.check(input(corrupt, live));
        assertEquals(Outcome.FAILED, cut.outcome(), cut.toString());
        assertEquals("ID_PHOTO_UNUSABLE", cut.reasonCode());

        ScreeningResult garbage = check.check(input("not a photo".getBytes(), live));
        assertEquals("ID_PHOTO_UNUSABLE", garbage.reasonCode());
        assertNull(garbage.measured());
    }

    @Test
    void aLiveFrameWithoutAFaceFails() throws Exception {
        ScreeningResult r = check.check(input(face("Colin_Powell_0001"), noFace()));
        assertEquals(Outcome.FAILED, r.outcome(), r.toString());
        assertEquals("LIVE_FACE_UNUSABLE", r.reasonCode());
    }

    @Test
    void noPhotoOrNoFrameIsNotMeasuredNeverPassed() throws Exception {
        byte[] photo = face("Colin_Powell_0001");
        ScreeningResult noPhoto = check.check(input(null, face("Colin_Powell_0002")));
        assertEquals(Outcome.NOT_MEASURED, noPhoto.outcome());
        assertEquals("READING_MISSING", noPhoto.reasonCode());
        assertEquals(Outcome.NOT_MEASURED, check.check(input(new byte[0], photo)).outcome(), "an empty photo");
        ScreeningResult noFrame = check.check(input(photo, null));
        assertEquals(Outcome.NOT_MEASURED, noFrame.outcome());
        assertEquals("FRAME_MISSING", noFrame.reasonCode());
    }

    @Test
    void withoutTheEngineOrItsBandsTheCheckIsStillThereAndNotMeasured() throws Exception {
        byte[] a = face("Colin_Powell_0001");
        byte[] b = face("Colin_Powell_0002");
        IdCardCheck noEngine = new IdCardCheck(Configs.of(IdCardConfig.class, Map.of("defaultMode", "HARD")), null,
                bands);
        assertEquals(new CheckSetting(Mode.HARD, false), noEngine.setting("c-1"));
        ScreeningResult r = noEngine.check(input(a, b));
        assertEquals(Outcome.NOT_MEASURED, r.outcome());
        assertEquals("ENGINE_UNAVAILABLE", r.reasonCode());
        assertEquals("ENGINE_UNAVAILABLE",
                new IdCardCheck(Configs.defaults(IdCardConfig.class), engine, null).check(input(a, b)).reasonCode());
    }

    @Test
    void aBusyEngineIsNotMeasuredNotTheCardHoldersFault() throws Exception {
        IdCardCheck busy = new IdCardCheck(Configs.defaults(IdCardConfig.class), new BusyEngine(), bands);
        ScreeningResult r = busy.check(input(face("Colin_Powell_0001"), face("Colin_Powell_0002")));
        assertEquals(Outcome.NOT_MEASURED, r.outcome());
        assertEquals("ENGINE_UNAVAILABLE", r.reasonCode());
    }

    @Test
    void resultsCarryCodesAndNumbersOnly() throws Exception {
        ScreeningResult r = check.check(input(face("Colin_Powell_0001"), face("George_W_Bush_0001")));
        assertTrue(r.detail().matches("[A-Za-z0-9 .:<>=-]*"), r.detail());
    }

    /** Every inference worker busy. */
    static final class BusyEngine implements FaceEngine {
        @Override
        public byte[] facePhoto(byte[] image, org.gatehouse.recognition.api.FaceBox box) {
            throw new FaceException(FaceException.Code.ENGINE_UNAVAILABLE);
        }

        @Override
        public FaceAnalysis analyze(byte[] image) {
            throw new FaceException(FaceException.Code.ENGINE_UNAVAILABLE);
        }

        @Override
        public FaceTemplate embed(byte[] image) {
            throw new FaceException(FaceException.Code.ENGINE_UNAVAILABLE);
        }

        @Override
        public FaceTemplate enrollmentTemplate(byte[] image) {
            throw new FaceException(FaceException.Code.ENGINE_UNAVAILABLE);
        }

        @Override
        public int templateDimension() {
            return 512;
        }

        @Override
        public String modelId() {
            return "busy";
        }
    }
}

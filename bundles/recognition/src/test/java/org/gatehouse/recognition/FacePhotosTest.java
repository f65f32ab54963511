package org.gatehouse.recognition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;

import org.gatehouse.recognition.api.DetectedFace;
import org.gatehouse.recognition.api.FaceBox;
import org.gatehouse.recognition.api.FaceException;
import org.gatehouse.recognition.internal.FaceEngineImpl;
import org.gatehouse.recognition.internal.FacePhotos;
import org.gatehouse.recognition.internal.image.ImageDecoder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The photo a face-matching terminal is given: the face, small, still the same person, nothing else kept. */
class FacePhotosTest {
    static FaceEngineImpl engine;
    static final FacePhotos PHOTOS = new FacePhotos(new ImageDecoder(20_000_000, 40_000_000, 10_000));

    @BeforeAll
    static void load() throws Exception {
        engine = EngineHolder.engine();
    }

    @Test
    void photoIsASmallJpegOfTheSamePerson() {
        byte[] big = TestImages.canvas(1600, 1200, new BufferedImage[] {
                TestImages.read(TestImages.fixture(FaceEngineTest.BUSH[0]))}, new int[][] {{500, 300, 700}});
        DetectedFace face = engine.analyze(big).faces().get(0);
        byte[] photo = PHOTOS.photo(big, face.box());

        BufferedImage decoded = TestImages.read(photo);
        assertEquals(decoded.getWidth(), decoded.getHeight(), "a square");
        assertTrue(decoded.getWidth() <= 320, "scaled down to at most 320 px: " + decoded.getWidth());
        assertTrue(photo.length < 200_000, "under a terminal's 200 KB limit: " + photo.length);
        assertTrue(photo.length < big.length, "smaller than the frame it came from");
        float same = TestImages.dot(engine.embed(photo).vector(), engine.embed(big).vector());
        assertTrue(same > 0.8f, "the photo is still the same person to the engine: " + same);
        float other = TestImages.dot(engine.embed(photo).vector(),
                engine.embed(TestImages.fixture(FaceEngineTest.POWELL[0])).vector());
        assertTrue(other < 0.4f, "and not someone else: " + other);
    }

    @Test
    void aFaceAtTheEdgeIsPaddedNotRefused() {
        byte[] image = TestImages.fixture(FaceEngineTest.BLAIR[0]);
        byte[] photo = PHOTOS.photo(image, new FaceBox(-20, -20, 120, 140));
        BufferedImage decoded = TestImages.read(photo);
        assertEquals(decoded.getWidth(), decoded.getHeight());
    }

    @Test
    void badInputIsRefusedClearly() {
        byte[] image = TestImages.fixture(FaceEngineTest.BLAIR[0]);
        assertEquals(FaceException.Code.NO_FACE,
                assertThrows(FaceException.class, () -> PHOTOS.photo(image, null)).code());
        assertEquals(FaceException.Code.NO_FACE,
                assertThrows(FaceException.class, () -> PHOTOS.photo(image, new FaceBox(0, 0, 0, 10))).code());
        assertThrows(FaceException.class, () -> PHOTOS.photo(TestImages.truncated(image, 0.3), new FaceBox(10, 10, 50, 50)));
        assertThrows(FaceException.class, () -> PHOTOS.photo("not an image".getBytes(), new FaceBox(10, 10, 50, 50)));
    }
}

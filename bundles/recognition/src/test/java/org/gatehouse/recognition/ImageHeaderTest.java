package org.gatehouse.recognition;

import org.gatehouse.recognition.api.FaceException;
import org.gatehouse.recognition.api.FaceException.Code;
import org.gatehouse.recognition.internal.image.ImageDecoder;
import org.gatehouse.recognition.internal.image.ImageHeader;
import org.junit.jupiter.api.Test;

import java.util.Locale;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Header parsing and input limits, without native code. */
class ImageHeaderTest {

    private final ImageDecoder guard = new ImageDecoder(10L * 1024 * 1024, 40_000_000L, 8000);

    private Code code(byte[] data) {
        return assertThrows(FaceException.class, () -> guard.check(data)).code();
    }

    @Test
    void jpegSofDimensions() {
        ImageHeader.Info i = ImageHeader.read(TestImages.fixture("George_W_Bush_0001.jpg"));
        assertEquals(ImageHeader.Format.JPEG, i.format());
        assertEquals(125, i.width());
        assertEquals(125, i.height());
        assertTrue(i.complete());
    }

    @Test
    void pngIhdrDimensions() {
        ImageHeader.Info i = ImageHeader.read(TestImages.pngHeader(20000, 20000));
        assertEquals(ImageHeader.Format.PNG, i.format());
        assertEquals(20000, i.width());
        assertEquals(20000, i.height());
    }

    @Test
    void badInputsGiveTheirCodes() {
        assertEquals(Code.EMPTY_IMAGE, code(new byte[0]));
        assertEquals(Code.EMPTY_IMAGE, code(null));
        byte[] random = new byte[5000];
        new Random(3).nextBytes(random);
        random[0] = 0x12;
        assertEquals(Code.NOT_AN_IMAGE, code(random));
        assertEquals(Code.IMAGE_TOO_LARGE, code(new byte[40 * 1024 * 1024]));
        assertEquals(Code.IMAGE_DIMENSIONS_TOO_LARGE, code(TestImages.pngHeader(20000, 20000)));
        assertEquals(Code.IMAGE_DIMENSIONS_TOO_LARGE, code(TestImages.pngHeader(7000, 7000))); // 49 MP
        byte[] jpeg = TestImages.fixture("Tony_Blair_0001.jpg");
        assertEquals(Code.TRUNCATED_IMAGE, code(TestImages.truncated(jpeg, 0.6)));
        assertEquals(Code.TRUNCATED_IMAGE, code(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF}));
    }

    @Test
    void messagesInEnglishAndChinese() {
        FaceException e = new FaceException(Code.FACE_TOO_SMALL, 30, 40);
        String en = e.getLocalizedMessage(Locale.ENGLISH);
        String zh = e.getLocalizedMessage(Locale.SIMPLIFIED_CHINESE);
        assertTrue(en.contains("too small"), en);
        assertTrue(zh.contains("人脸太小"), zh);
        for (Code c : Code.values()) {
            String m = new FaceException(c, "x", "y", "z", "w").getLocalizedMessage(Locale.SIMPLIFIED_CHINESE);
            assertFalse(m.equals(c.name()), "missing zh message for " + c);
            assertFalse(m.startsWith(c.name()), "the message repeats its code: " + m);
        }
    }
}

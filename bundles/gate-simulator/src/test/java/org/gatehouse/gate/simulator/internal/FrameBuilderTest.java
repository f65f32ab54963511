package org.gatehouse.gate.simulator.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.Random;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

import org.gatehouse.recognition.api.FaceAnalysis;
import org.gatehouse.recognition.internal.EngineConfig;
import org.gatehouse.recognition.internal.FaceEngineImpl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FrameBuilderTest {
    @TempDir
    Path dir;

    @Test
    void aFrameIsA640By480JpegWhoseFaceTheEngineFinds() throws Exception {
        FaceFolder faces = FaceFolder.load(Fixtures.faceFolder(dir));
        FrameBuilder builder = new FrameBuilder();
        Random random = new Random(5);
        FaceEngineImpl engine = new FaceEngineImpl(EngineConfig.defaults(), FrameBuilderTest.class.getClassLoader());
        try {
            for (FaceFolder.Face face : faces.residents()) {
                byte[] frame = builder.frame(face.image(), random);
                assertEquals("jpeg", formatOf(frame));
                BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(frame));
                assertEquals(640, decoded.getWidth());
                assertEquals(480, decoded.getHeight());
                assertTrue(frame.length < 200_000, "a camera-sized JPEG, not " + frame.length + " bytes");
                FaceAnalysis analysis = engine.analyze(frame);
                assertEquals(1, analysis.faces().size(), face.name() + ": one face found");
                assertEquals(512, engine.embed(frame).vector().length, face.name() + ": a template for the gate");
            }
        } finally {
            engine.close();
        }
    }

    private static String formatOf(byte[] bytes) throws Exception {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            ImageReader reader = ImageIO.getImageReaders(in).next();
            return reader.getFormatName().toLowerCase(java.util.Locale.ROOT);
        }
    }
}

package org.gatehouse.recognition.internal.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Paths;
import java.util.Map;

import org.gatehouse.recognition.internal.EngineConfig;
import org.gatehouse.recognition.internal.gallery.QuantizedGallery;
import org.junit.jupiter.api.Test;

/** The metatype annotation is the one source of defaults: outside OSGi they are read from it, and keys override them. */
class RecognitionConfigsTest {

    @Test
    void defaultsComeFromTheAnnotation() throws Exception {
        RecognitionConfig d = RecognitionConfigs.defaults();
        for (var m : RecognitionConfig.class.getDeclaredMethods()) {
            assertEquals(m.getDefaultValue(), m.invoke(d), m.getName());
        }
        EngineConfig e = EngineConfig.defaults();
        assertEquals(d.queueSize(), e.queueSize());
        assertEquals(d.maxImagePixelsIdentify(), e.maxImagePixelsIdentify());
        assertEquals(d.minInterEyeDistance(), e.minInterEyeDistance());
        assertNull(e.modelDirectory());
        QuantizedGallery g = new QuantizedGallery(8, 64, null);
        try {
            assertEquals(d.galleryApproximateThreshold(), g.approximateThreshold());
        } finally {
            g.close();
        }
    }

    @Test
    void keysOverrideDefaultsAndBlankPathsAreNone() {
        RecognitionConfig c = RecognitionConfigs.of(Map.of("poolSize", "3", "flipTta", true, "maxYaw", 0.5,
                "detector", "yunet", "yunetModel", " /models/yunet.onnx ", "modelDirectory", " "));
        EngineConfig e = EngineConfig.from(c).queueSize(0).build();
        assertEquals(3, e.poolSize());
        assertEquals(true, e.flipTta());
        assertEquals(0.5f, e.maxYaw());
        assertEquals("yunet", e.detector());
        assertEquals(Paths.get("/models/yunet.onnx"), e.yunetModel());
        assertNull(e.modelDirectory());
        assertEquals(0, e.queueSize());
        assertEquals(RecognitionConfigs.defaults().maxImageSide(), e.maxImageSide());
    }
}

package org.gatehouse.faces.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import org.gatehouse.api.service.OutOfScopeException;
import org.gatehouse.api.service.Scope;
import org.gatehouse.faces.api.FaceRegistry;
import org.gatehouse.recognition.api.FaceException;
import org.gatehouse.recognition.internal.EngineConfig;
import org.gatehouse.recognition.internal.FaceEngineImpl;
import org.gatehouse.recognition.internal.gallery.QuantizedGallery;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The registry over the real engine and gallery; templates in memory instead of the store. */
class StoredFaceRegistryTest {
    /** LFW fixtures committed with the recognition bundle (see its NOTICE). */
    static final Path FACES = Paths.get("../recognition/src/test/resources/faces");
    static FaceEngineImpl engine;

    /** One engine for the test JVM (loading the four ONNX sessions takes a second or two). */
    @BeforeAll
    static synchronized void engine() throws Exception {
        if (engine == null) {
            engine = new FaceEngineImpl(EngineConfig.defaults(), StoredFaceRegistryTest.class.getClassLoader());
            Runtime.getRuntime().addShutdownHook(new Thread(engine::close));
        }
    }

    static byte[] face(String name) throws Exception {
        return Files.readAllBytes(FACES.resolve(name + ".jpg"));
    }

    static StoredFaceRegistry registry(MemoryTemplates templates) {
        return registry(templates, 0.45f);
    }

    static StoredFaceRegistry registry(MemoryTemplates templates, float threshold) {
        return new StoredFaceRegistry(engine, new QuantizedGallery(engine.templateDimension()), templates,
                new StoredFaceRegistry.Config() {
                    @Override
                    public float matchThreshold() {
                        return threshold;
                    }

                    @Override
                    public Class<? extends Annotation> annotationType() {
                        return StoredFaceRegistry.Config.class;
                    }
                });
    }

    @Test
    void enrolledPeopleAreIdentifiedAndOthersAreStrangers() throws Exception {
        MemoryTemplates templates = new MemoryTemplates();
        FaceRegistry registry = registry(templates);
        registry.enroll(Scope.all(), "c1", "powell", face("Colin_Powell_0001"));
        registry.enroll(Scope.all(), "c1", "powell", face("Colin_Powell_0002"));
        registry.enroll(Scope.all(), "c1", "bush", face("George_W_Bush_0001"));
        assertEquals(3, templates.count(Scope.all()));

        assertEquals("powell", registry.identify(Scope.all(), "c1", face("Colin_Powell_0003"), 3).subjectId());
        assertEquals("bush", registry.identify(Scope.all(), "c1", face("George_W_Bush_0002"), 3).subjectId());
        FaceRegistry.Identification stranger = registry.identify(Scope.all(), "c1", face("Tony_Blair_0001"), 3);
        assertFalse(stranger.known(), "Blair is not enrolled: score " + stranger.score());
        assertNull(registry.identify(Scope.all(), "c2", face("Colin_Powell_0003"), 3).subjectId(),
                "another community's gallery does not know Powell");
    }

    @Test
    void aNewRegistryLoadsTheGalleryFromTheStoreOnce() throws Exception {
        MemoryTemplates templates = new MemoryTemplates();
        registry(templates).enroll(Scope.all(), "c1", "blair", face("Tony_Blair_0002"));
        StoredFaceRegistry restarted = registry(templates); // e.g. after a restart: empty gallery
        int loadsBefore = templates.loads;
        assertEquals("blair", restarted.identify(Scope.all(), "c1", face("Tony_Blair_0001"), 1).subjectId());
        restarted.identify(Scope.all(), "c1", face("Tony_Blair_0001"), 1);
        assertEquals(loadsBefore + 1, templates.loads, "loaded lazily, once");
    }

    @Test
    void forgettingRemovesFromStoreAndGallery() throws Exception {
        MemoryTemplates templates = new MemoryTemplates();
        FaceRegistry registry = registry(templates);
        registry.enroll(Scope.all(), "c1", "bush", face("George_W_Bush_0001"));
        assertEquals(1, registry.forget(Scope.all(), "c1", "bush"));
        assertEquals(0, templates.count(Scope.all()));
        assertFalse(registry.identify(Scope.all(), "c1", face("George_W_Bush_0002"), 1).known());
    }

    @Test
    void badInputAndScopeAreRefusedAndNothingIsStored() throws Exception {
        MemoryTemplates templates = new MemoryTemplates();
        FaceRegistry registry = registry(templates);
        FaceException notImage = assertThrows(FaceException.class,
                () -> registry.enroll(Scope.all(), "c1", "x", "not an image".getBytes()));
        assertEquals(FaceException.Code.NOT_AN_IMAGE, notImage.code());
        assertThrows(OutOfScopeException.class,
                () -> registry.enroll(Scope.of("c2"), "c1", "x", face("Tony_Blair_0002")));
        FaceException small = assertThrows(FaceException.class,
                () -> registry.enroll(Scope.all(), "c1", "x", face("Tony_Blair_0001")));
        assertEquals(FaceException.Code.FACE_TOO_SMALL, small.code(), "enrollment asks for 40 px between the eyes");
        assertEquals(0, templates.count(Scope.all()));
        assertTrue(registry.identify(Scope.all(), "c1", face("Tony_Blair_0001"), 1).candidates().isEmpty());
    }
}

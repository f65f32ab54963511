package org.gatehouse.faces.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;

import org.gatehouse.api.model.Consent;
import org.gatehouse.api.service.OutOfScopeException;
import org.gatehouse.api.service.PreconditionFailedException;
import org.gatehouse.api.service.Scope;
import org.gatehouse.faces.api.FaceRegistry;
import org.gatehouse.recognition.api.FaceEngine;
import org.gatehouse.recognition.api.FaceException;
import org.gatehouse.recognition.api.FaceGallery;
import org.gatehouse.recognition.api.OperatingBands;
import org.gatehouse.recognition.internal.EngineConfig;
import org.gatehouse.recognition.internal.FaceEngineImpl;
import org.gatehouse.recognition.internal.gallery.QuantizedGallery;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.osgi.util.converter.Converters;

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
        return registry(engine, new QuantizedGallery(engine.templateDimension()), templates, threshold);
    }

    static StoredFaceRegistry registry(FaceEngine engine, FaceGallery gallery, MemoryTemplates templates,
                                       float threshold) {
        return new StoredFaceRegistry(engine, gallery, templates, new FixedBands(gallery,
                threshold));
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

    /** The best score read against the gallery's bands: accept names the person, verify and reject name nobody. */
    @Test
    void theBestScoreIsReadAgainstTheGallerysBands() throws Exception {
        MemoryTemplates templates = new MemoryTemplates();
        QuantizedGallery gallery = new QuantizedGallery(engine.templateDimension());
        float genuine;
        {
            StoredFaceRegistry probe = registry(engine, gallery, templates, 0.45f);
            probe.enroll(Scope.all(), "c1", "powell", face("Colin_Powell_0001"));
            genuine = probe.identify(Scope.all(), "c1", face("Colin_Powell_0003"), 1).score();
        }
        // accept above the genuine score, reject below it: a gate would ask for a second factor
        StoredFaceRegistry strict = new StoredFaceRegistry(engine, gallery, templates,
                new FixedBands(gallery, genuine + 0.01f, genuine - 0.01f));
        FaceRegistry.Identification unsure = strict.identify(Scope.all(), "c1", face("Colin_Powell_0003"), 3);
        assertEquals(OperatingBands.Band.VERIFY, unsure.band());
        assertNull(unsure.subjectId(), "not named while unsure");
        assertEquals("powell", unsure.candidates().get(0).subjectId(), "the candidate is there for the 1:1 check");
        assertEquals(1, unsure.bands().gallerySize());
        FaceRegistry.Identification stranger = strict.identify(Scope.all(), "c1", face("Tony_Blair_0001"), 3);
        assertEquals(OperatingBands.Band.REJECT, stranger.band());
        FaceRegistry.Identification empty = strict.identify(Scope.all(), "c2", face("Colin_Powell_0003"), 3);
        assertEquals(OperatingBands.Band.REJECT, empty.band());
        assertEquals(0, empty.bands().gallerySize());
        assertEquals(OperatingBands.Band.ACCEPT, registry(engine, gallery, templates, genuine - 0.01f)
                .identify(Scope.all(), "c1", face("Colin_Powell_0003"), 1).band());
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

    /** The engine, with {@code whileComputing} run when it has computed an enrollment template (its wait). */
    static FaceEngine engineThat(Runnable whileComputing) {
        return (FaceEngine) java.lang.reflect.Proxy.newProxyInstance(FaceEngine.class.getClassLoader(),
                new Class<?>[] {FaceEngine.class}, (proxy, method, args) -> {
                    Object result;
                    try {
                        result = method.invoke(engine, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (method.getName().equals("enrollmentTemplate")) {
                        whileComputing.run();
                    }
                    return result;
                });
    }

    @Test
    void aConsentWithdrawnWhileTheEngineComputesTheTemplateLeavesNoFace() throws Exception {
        MemoryTemplates templates = new MemoryTemplates();
        templates.consentsInForce.add("powell");
        FaceRegistry registry = registry(engineThat(() -> templates.withdraw("powell")),
                new QuantizedGallery(engine.templateDimension()), templates, 0.45f);
        PreconditionFailedException refused = assertThrows(PreconditionFailedException.class,
                () -> registry.enrollResident(Scope.all(), "c1", "powell", face("Colin_Powell_0001"),
                        Consent.PURPOSE_FACE_ACCESS));
        assertEquals(PreconditionFailedException.Reason.CONSENT_NOT_IN_FORCE, refused.reason());
        assertEquals(0, templates.count(Scope.all()), "no template stored");
        assertTrue(templates.faceCredentials.isEmpty(), "no face credential");
        assertFalse(registry.identify(Scope.all(), "c1", face("Colin_Powell_0003"), 1).known(), "nothing in the gallery");
    }

    @Test
    void aResidentsFaceIsSavedWithItsCredentialAndAGalleryFailureRemovesBoth() throws Exception {
        MemoryTemplates templates = new MemoryTemplates();
        templates.consentsInForce.add("powell");
        FaceRegistry ok = registry(templates);
        FaceRegistry.ResidentEnrollment e = ok.enrollResident(Scope.all(), "c1", "powell", face("Colin_Powell_0001"),
                Consent.PURPOSE_FACE_ACCESS);
        assertEquals(e.enrollment().templateId(), e.credential().reference());
        assertEquals("powell", ok.identify(Scope.all(), "c1", face("Colin_Powell_0003"), 1).subjectId());

        FaceGallery real = new QuantizedGallery(engine.templateDimension());
        FaceGallery failing = (FaceGallery) java.lang.reflect.Proxy.newProxyInstance(FaceGallery.class.getClassLoader(),
                new Class<?>[] {FaceGallery.class}, (proxy, method, args) -> {
                    if (method.getName().equals("add") && "bush".equals(args[1])) {
                        throw new IllegalStateException("gallery full");
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (java.lang.reflect.InvocationTargetException x) {
                        throw x.getCause();
                    }
                });
        templates.consentsInForce.add("bush");
        FaceRegistry broken = registry(engine, failing, templates, 0.45f);
        assertThrows(IllegalStateException.class, () -> broken.enrollResident(Scope.all(), "c1", "bush",
                face("George_W_Bush_0001"), Consent.PURPOSE_FACE_ACCESS));
        assertTrue(templates.templatesOf(Scope.all(), "bush").isEmpty(), "the saved template was removed again");
        assertEquals(1, templates.revoked.size(), "and its face credential revoked");
        assertEquals(1, templates.faceCredentials.size(), "powell's stays");
    }

    @Test
    void aFaceDeletedThroughAnotherNodeStopsMatchingHereThroughTheChangeEvent() throws Exception {
        MemoryTemplates store = new MemoryTemplates(); // one database, two nodes with their own galleries
        store.consentsInForce.add("powell");
        StoredFaceRegistry nodeA = registry(store);
        StoredFaceRegistry nodeB = registry(store);
        nodeA.enrollResident(Scope.all(), "c1", "powell", face("Colin_Powell_0001"), Consent.PURPOSE_FACE_ACCESS);
        assertEquals("powell", nodeB.identify(Scope.all(), "c1", face("Colin_Powell_0003"), 1).subjectId());

        // consent withdrawn through node A: the store and A's gallery forget at once
        store.withdraw("powell");
        nodeA.refresh(Scope.all(), "c1", "powell");
        assertFalse(nodeA.identify(Scope.all(), "c1", face("Colin_Powell_0003"), 1).known());
        assertEquals("powell", nodeB.identify(Scope.all(), "c1", face("Colin_Powell_0003"), 1).subjectId(),
                "node B's gallery still holds the face until it hears of it");

        FaceChangeFollower followerB = new FaceChangeFollower(nodeB);
        assertFalse(followerB.handle("{\"id\":\"e1\",\"communityId\":\"c1\",\"residentId\":\"powell\","
                + "\"change\":\"ISSUED\",\"kind\":\"CARD\",\"credentialId\":\"x\",\"occurredAt\":\"2026-01-01T00:00:00Z\"}"));
        assertFalse(followerB.handle("not json"), "an unreadable payload never blocks the stream");
        assertEquals("powell", nodeB.identify(Scope.all(), "c1", face("Colin_Powell_0003"), 1).subjectId());
        assertTrue(followerB.handle("{\"id\":\"e2\",\"communityId\":\"c1\",\"residentId\":\"powell\","
                + "\"change\":\"FACE_DELETED\",\"kind\":\"FACE\",\"credentialId\":null,"
                + "\"occurredAt\":\"2026-01-01T00:00:00Z\"}"));
        assertFalse(nodeB.identify(Scope.all(), "c1", face("Colin_Powell_0003"), 1).known(),
                "FACE_DELETED on gatehouse:credential-changes made node B forget the face");

        // a late or repeated event does not drop a face enrolled again since: the gallery follows the store
        store.consentsInForce.add("powell");
        nodeA.enrollResident(Scope.all(), "c1", "powell", face("Colin_Powell_0002"), Consent.PURPOSE_FACE_ACCESS);
        assertTrue(followerB.handle("{\"communityId\":\"c1\",\"residentId\":\"powell\",\"change\":\"REVOKED\","
                + "\"kind\":\"FACE\"}"));
        assertEquals("powell", nodeB.identify(Scope.all(), "c1", face("Colin_Powell_0003"), 1).subjectId());
    }
}

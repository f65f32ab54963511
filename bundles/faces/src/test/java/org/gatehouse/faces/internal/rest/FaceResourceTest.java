package org.gatehouse.faces.internal.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import org.gatehouse.api.service.AuditLog;
import org.gatehouse.api.service.OutOfScopeException;
import org.gatehouse.api.service.Scope;
import org.gatehouse.core.api.AuditTrail;
import org.gatehouse.core.api.Caller;
import org.gatehouse.core.api.RestException;
import org.gatehouse.recognition.api.FaceException;
import org.gatehouse.core.api.Roles;
import org.gatehouse.faces.api.FaceRegistry.Identification;
import org.gatehouse.faces.internal.StoredFaceRegistry;
import org.gatehouse.recognition.api.Candidate;
import org.gatehouse.recognition.internal.EngineConfig;
import org.gatehouse.recognition.internal.FaceEngineImpl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /api/faces/identify} as the core calls it: only the office and city administrators may search
 * a community by face, every call leaves one audit entry (never the image), and no candidate below the
 * match threshold is answered.
 */
class FaceResourceTest {
    static final Path FACES = Paths.get("../recognition/src/test/resources/faces");
    static final String IDENTIFY = "POST /faces/identify";
    static final float THRESHOLD = 0.45f;
    static FaceEngineImpl engine;

    final Audits audits = new Audits();
    /** The audit log the resource writes to now (a test swaps in a failing one). */
    volatile AuditLog auditLog = audits;
    final StoredFaceRegistry registry = FakeRequest.registry(engine, THRESHOLD);
    final FaceResource resource = new FaceResource(engine, registry,
            module -> new AuditTrail(module, () -> auditLog));
    final Map<String, FakeRequest.Route> routes = FakeRequest.routes(resource);
    final Caller office = new Caller("office", Set.of(Roles.COMMUNITY_OFFICE), Scope.of("c1"));

    @BeforeAll
    static void engine() throws Exception {
        engine = new FaceEngineImpl(EngineConfig.defaults(), FaceResourceTest.class.getClassLoader());
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    static byte[] face(String name) throws Exception {
        return Files.readAllBytes(FACES.resolve(name + ".jpg"));
    }

    Object identify(Caller caller, String community, String image) throws Exception {
        Map<String, String> query = community == null ? Map.of() : Map.of("communityId", community, "k", "5");
        return routes.get(IDENTIFY).handler().handle(new FakeRequest(caller, query, face(image)));
    }

    /** The core answers 403 to a caller holding none of a route's roles (ApiServlet.authorize). */
    static boolean allowed(FakeRequest.Route route, Caller caller) {
        return route.roles().stream().anyMatch(caller::hasRole);
    }

    @Test
    void onlyTheOfficeAndAdministratorsMayIdentify() {
        FakeRequest.Route identify = routes.get(IDENTIFY);
        assertEquals(Set.of(Roles.CITY_ADMIN, Roles.COMMUNITY_OFFICE), identify.roles());
        for (String role : List.of(Roles.PROPERTY, Roles.POLICE, Roles.DEVICE, Roles.RESIDENT)) {
            assertFalse(allowed(identify, new Caller(role, Set.of(role), Scope.of("c1"))), role + " gets 403");
        }
        assertTrue(allowed(identify, office));
        assertTrue(allowed(identify, new Caller("admin", Set.of(Roles.CITY_ADMIN), Scope.all())));
        // detection (no gallery, no names) stays open to the staff roles and devices
        FakeRequest.Route detect = routes.get("POST /faces/detect");
        assertTrue(allowed(detect, new Caller("p", Set.of(Roles.PROPERTY), Scope.of("c1"))));
        assertTrue(allowed(detect, new Caller("d", Set.of(Roles.DEVICE), Scope.of("c1"))));
        assertTrue(identify.summary().contains("operating bands"), identify.summary());
        assertTrue(identify.summary().contains("never those below it"), identify.summary());
        assertTrue(identify.summary().contains("audited"), identify.summary());
    }

    @Test
    void everyCallIsAuditedOnceWithItsOutcomeAndNeverTheImage() throws Exception {
        registry.enroll(Scope.all(), "c1", "powell", face("Colin_Powell_0001"));
        registry.enroll(Scope.all(), "c1", "bush", face("George_W_Bush_0001"));

        Identification match = (Identification) identify(office, "c1", "Colin_Powell_0003");
        assertEquals("powell", match.subjectId());
        assertEquals(1, audits.entries.size());
        AuditLog.AuditEntry entry = audits.entries.get(0);
        assertEquals(List.of("office", "face.identify", "c1", "powell"),
                List.of(entry.actor(), entry.action(), entry.communityId(), entry.subjectId()));
        assertEquals(String.format(java.util.Locale.ROOT, "ACCEPT, score %.3f (accept 0.450, reject 0.450, gallery 2)",
                match.score()), entry.detail());

        Identification stranger = (Identification) identify(office, "c1", "Tony_Blair_0001");
        assertFalse(stranger.known());
        assertEquals(2, audits.entries.size());
        assertNull(audits.entries.get(1).subjectId());
        assertTrue(audits.entries.get(1).detail().startsWith("REJECT, score "), audits.entries.get(1).detail());

        FaceException notImage = assertThrows(FaceException.class, () -> routes.get(IDENTIFY).handler()
                .handle(new FakeRequest(office, Map.of("communityId", "c1"), "plain text".getBytes())));
        // the faces bundle's error mapper answers it for the API
        RestException answered = new FaceErrorMapper().toRest(notImage, java.util.Locale.ROOT);
        assertEquals(415, answered.status());
        assertEquals("NOT_AN_IMAGE", answered.code());
        assertNull(new FaceErrorMapper().toRest(new IllegalStateException("other"), java.util.Locale.ROOT));
        assertEquals(3, audits.entries.size());
        assertEquals("failed: NOT_AN_IMAGE", audits.entries.get(2).detail());

        assertThrows(OutOfScopeException.class, () -> identify(office, "c2", "Colin_Powell_0003"));
        assertEquals(4, audits.entries.size());
        assertEquals(List.of("face.identify.refused", "c2"),
                List.of(audits.entries.get(3).action(), audits.entries.get(3).communityId()));

        assertThrows(IllegalArgumentException.class, () -> identify(office, null, "Colin_Powell_0003"));
        assertEquals(5, audits.entries.size());
        assertEquals("failed: bad request: communityId is required", audits.entries.get(4).detail());
        for (AuditLog.AuditEntry e : audits.entries) {
            assertEquals("office", e.actor());
            assertTrue(e.detail().length() < 100, "a short outcome, not the image: " + e.detail());
        }
    }

    @Test
    void aFailingAuditLogFailsTheCallBeforeAnyAnswer() throws Exception {
        registry.enroll(Scope.all(), "c1", "powell", face("Colin_Powell_0001"));
        auditLog = new Audits() {
            @Override
            public AuditEntry append(String actor, String action, String communityId, String subjectId, String detail) {
                throw new IllegalStateException("audit store down");
            }
        };
        assertThrows(IllegalStateException.class, () -> identify(office, "c1", "Colin_Powell_0003"));
    }

    @Test
    void candidatesBelowTheMatchThresholdAreNotReturned() throws Exception {
        registry.enroll(Scope.all(), "c1", "powell", face("Colin_Powell_0001"));
        registry.enroll(Scope.all(), "c1", "bush", face("George_W_Bush_0001"));
        registry.enroll(Scope.all(), "c1", "blair", face("Tony_Blair_0002"));

        // the registry itself (as the gate uses it) ranks everyone; the two others score below the threshold
        Identification all = registry.identify(Scope.all(), "c1", face("Colin_Powell_0003"), 5);
        assertEquals(3, all.candidates().size());
        assertTrue(all.candidates().stream().filter(c -> c.score() < THRESHOLD).count() == 2, all.toString());

        Identification answer = (Identification) identify(office, "c1", "Colin_Powell_0003");
        assertEquals("powell", answer.subjectId());
        assertEquals(List.of("powell"), answer.candidates().stream().map(Candidate::subjectId).toList());
        assertEquals(all.score(), answer.score());

        // a stranger: nobody at or above the threshold, so no candidate at all
        registry.forget(Scope.all(), "c1", "blair");
        Identification strangerAll = registry.identify(Scope.all(), "c1", face("Tony_Blair_0001"), 5);
        assertEquals(2, strangerAll.candidates().size());
        Identification stranger = (Identification) identify(office, "c1", "Tony_Blair_0001");
        assertNull(stranger.subjectId());
        assertTrue(stranger.candidates().isEmpty(), stranger.toString());
    }

    /** The audit log in memory. */
    static class Audits implements AuditLog {
        final List<AuditEntry> entries = new CopyOnWriteArrayList<>();

        @Override
        public AuditEntry append(String actor, String action, String communityId, String subjectId, String detail) {
            AuditEntry e = new AuditEntry(entries.size() + 1, Instant.now(), actor, action, communityId, subjectId,
                    detail, "", "");
            entries.add(e);
            return e;
        }

        @Override
        public List<AuditEntry> entries(Scope scope, String communityId, Instant from, Instant to, int limit) {
            return entries;
        }

        @Override
        public List<AuditEntry> entriesAbout(Scope scope, String subjectId, long afterSequence, int limit) {
            return entries.stream().filter(e -> subjectId.equals(e.subjectId()) && e.sequence() > afterSequence)
                    .limit(limit).toList();
        }

        @Override
        public Verification verify() {
            return new Verification(true, entries.size(), -1, "");
        }
    }
}

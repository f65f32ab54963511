package org.gatehouse.gate.isapi.internal;

import org.gatehouse.testing.isapi.FakeIsapiTerminal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.gatehouse.api.model.CredentialKind;
import org.gatehouse.api.model.Device;
import org.gatehouse.api.model.DeviceKind;
import org.gatehouse.api.model.Direction;
import org.gatehouse.api.model.PassageEvent;
import org.gatehouse.api.model.SubjectType;
import org.gatehouse.api.model.Verdict;
import org.gatehouse.api.service.PassageRecorder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IsapiTerminalTest {
    static final String COMMUNITY = "c-1";
    static final Instant NOW = Instant.parse("2026-11-23T02:00:00Z");
    final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    final Device device = new Device("d-1", COMMUNITY, "b-1", "1-1", "Unit door 1-1", DeviceKind.FACE_TERMINAL,
            Direction.IN);
    final MemoryPopulation population = new MemoryPopulation();
    final MemoryRecorder recorder = new MemoryRecorder();
    final SyncState state = new SyncState();
    FakeIsapiTerminal fake;
    IsapiClient client;
    TerminalSync sync;

    @BeforeEach
    void start() throws Exception {
        fake = new FakeIsapiTerminal("admin", "s3cret!").start();
        client = client("s3cret!", 2000);
        sync = new TerminalSync(device, 1, client, population, clock, state, true);
    }

    @AfterEach
    void stop() {
        fake.stop();
    }

    IsapiClient client(String password, int timeoutMillis) {
        return new IsapiClient(fake.base(), "admin", password.toCharArray(), Duration.ofMillis(timeoutMillis),
                ZoneId.of("Asia/Shanghai"));
    }

    String resident(String name, String building, Instant until) {
        String id = UUID.randomUUID().toString();
        population.members.put(id, new Population.Member(id, COMMUNITY, name, building, null, until));
        return id;
    }

    static String change(String residentId, String change) {
        return "{\"id\":\"" + UUID.randomUUID() + "\",\"communityId\":\"" + COMMUNITY + "\",\"residentId\":\""
                + residentId + "\",\"change\":\"" + change + "\",\"kind\":\"CARD\",\"credentialId\":\"x\","
                + "\"occurredAt\":\"2026-11-23T01:00:00Z\"}";
    }

    @Test
    void digestHandshakeRefusesAWrongPassword() {
        IsapiException e = assertThrows(IsapiException.class, () -> client("Wr0ngPa55", 2000).employeeNos());
        assertEquals("AUTH_FAILED", e.code());
        assertFalse(e.getMessage().contains("Wr0ngPa55"), "the password is never in a message");
        assertEquals(List.of(), client.employeeNos());
    }

    @Test
    void pushesAPersonWithValidityAndDoorAndACard() {
        String wang = resident("王芳", "b-1", Instant.parse("2027-06-30T00:00:00Z"));
        assertEquals(TerminalSync.Outcome.UPSERTED, sync.apply(change(wang, "ISSUED")));
        var person = fake.persons.get(EmployeeNumbers.of(wang));
        assertEquals("王芳", person.path("name").asText());
        assertEquals("2027-06-30T08:00:00", person.path("Valid").path("endTime").asText(), "terminal local time");
        assertEquals("1", person.path("doorRight").asText());
        // again: modified, not refused
        assertEquals(TerminalSync.Outcome.UPSERTED, sync.apply(change(wang, "ISSUED")));
        client.recordCard(EmployeeNumbers.of(wang), "1234567890");
        assertEquals(EmployeeNumbers.of(wang), fake.cards.get("1234567890"));
    }

    static final byte[] JPEG = {(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xe0, 0, 16, 'J', 'F', 'I', 'F', 0,
            (byte) 0xff, (byte) 0xd9};

    @Test
    void aKeptFacePhotoReachesTheTerminalAndAWithdrawnFaceLeavesIt() {
        String wang = resident("王芳", "b-1", null);
        population.photos.put(wang, JPEG);
        assertEquals(TerminalSync.Outcome.UPSERTED, sync.apply(change(wang, "ISSUED")));
        assertTrue(java.util.Arrays.equals(JPEG, fake.faces.get(EmployeeNumbers.of(wang))), "the exact bytes");

        // consent withdrawn: the template and its photo are gone, the card stays: person kept, face deleted
        population.photos.remove(wang);
        assertEquals(TerminalSync.Outcome.UPSERTED, sync.apply(change(wang, "REVOKED")));
        assertTrue(fake.persons.containsKey(EmployeeNumbers.of(wang)));
        assertFalse(fake.faces.containsKey(EmployeeNumbers.of(wang)));

        // a resync puts the face back once one is kept again, and a terminal configured without faces gets none
        population.photos.put(wang, JPEG);
        sync.resync();
        assertTrue(fake.faces.containsKey(EmployeeNumbers.of(wang)));
        fake.faces.clear();
        new TerminalSync(device, 1, client, population, clock, state, false).apply(change(wang, "ISSUED"));
        assertTrue(fake.faces.isEmpty());

        // moved out: the person goes, and the face with them
        sync.apply(change(wang, "ISSUED"));
        population.members.remove(wang);
        assertEquals(TerminalSync.Outcome.DELETED, sync.apply(change(wang, "REVOKED")));
        assertTrue(fake.faces.isEmpty());
    }

    @Test
    void aLeaseChangeOnPopulationChangesReachesTheTerminal() {
        String zhao = resident("赵", "b-1", Instant.parse("2027-06-30T00:00:00Z"));
        sync.apply(change(zhao, "ISSUED"));
        // the office shortens the lease: an OCCUPANCY_CHANGE event of population-changes (its own shape)
        population.members.put(zhao, new Population.Member(zhao, COMMUNITY, "赵", "b-1", null,
                Instant.parse("2027-01-31T00:00:00Z")));
        String occupancy = "{\"id\":\"" + UUID.randomUUID() + "\",\"communityId\":\"" + COMMUNITY + "\",\"type\":"
                + "\"OCCUPANCY_CHANGE\",\"residentId\":\"" + zhao + "\",\"householdId\":\"h\",\"unitId\":\"u\","
                + "\"occurredAt\":\"2026-11-23T01:00:00Z\",\"detail\":\"validUntil 2027-06-30->2027-01-31\"}";
        assertEquals(TerminalSync.Outcome.UPSERTED, sync.apply(occupancy));
        assertEquals("2027-01-31T08:00:00",
                fake.persons.get(EmployeeNumbers.of(zhao)).path("Valid").path("endTime").asText());
        // ended now: a MOVE_OUT-like change takes the person off
        population.members.put(zhao, new Population.Member(zhao, COMMUNITY, "赵", "b-1", null, NOW));
        assertEquals(TerminalSync.Outcome.DELETED, sync.apply(occupancy.replace("OCCUPANCY_CHANGE", "MOVE_OUT")));
        assertFalse(fake.persons.containsKey(EmployeeNumbers.of(zhao)));
    }

    @Test
    void aFacePictureTheTerminalRefusesIsRetried() {
        String li = resident("李秀英", "b-1", null);
        population.photos.put(li, "not a jpeg".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        IsapiException e = assertThrows(IsapiException.class, () -> sync.apply(change(li, "ISSUED")));
        assertTrue(e.getMessage().contains("faceDataPicError"), e.getMessage());
        assertNotNull(state.snapshot().lastError(), "the failure is visible in the sync state");
        population.photos.put(li, JPEG);
        assertEquals(TerminalSync.Outcome.UPSERTED, sync.apply(change(li, "ISSUED")));
        assertTrue(fake.faces.containsKey(EmployeeNumbers.of(li)));
    }

    @Test
    void deletesOnRevokeMoveOutLeaseEndAndOtherBuilding() {
        String li = resident("李秀英", "b-1", null);
        sync.apply(change(li, "ISSUED"));
        assertTrue(fake.persons.containsKey(EmployeeNumbers.of(li)));
        client.recordCard(EmployeeNumbers.of(li), "99");
        population.members.remove(li); // moved out / erased: no longer registered
        assertEquals(TerminalSync.Outcome.DELETED, sync.apply(change(li, "REVOKED")));
        assertFalse(fake.persons.containsKey(EmployeeNumbers.of(li)));
        assertFalse(fake.cards.containsKey("99"), "the person's card goes with them");

        String ended = resident("Ended", "b-1", NOW.minusSeconds(1));
        String elsewhere = resident("Other building", "b-2", null);
        assertEquals(TerminalSync.Outcome.DELETED, sync.apply(change(ended, "REVOKED")));
        assertEquals(TerminalSync.Outcome.DELETED, sync.apply(change(elsewhere, "ISSUED")));
        assertTrue(fake.persons.isEmpty());
        String other = "{\"id\":\"e\",\"communityId\":\"c-2\",\"residentId\":\"" + li + "\",\"change\":\"ISSUED\"}";
        assertEquals(TerminalSync.Outcome.OTHER_COMMUNITY, sync.apply(other));
    }

    @Test
    void remoteOpenMovesTheDoor() {
        IsapiTerminals doors = new IsapiTerminals();
        client.openDoor(2);
        assertEquals(List.of("open 2"), fake.doorLog);
        assertEquals("NOT_CONFIGURED", doors.open(device, "p-1").reason());
    }

    @Test
    void eventsBecomePassagesOnce() {
        String wang = resident("王芳", "b-1", null);
        fake.addEvent(101, "2026-11-23T09:58:00+08:00", 75, EmployeeNumbers.of(wang), "face");
        fake.addEvent(102, "2026-11-23T09:59:00+08:00", 76, "", "face");
        for (int i = 0; i < 35; i++) { // more than one page
            fake.addEvent(200 + i, "2026-11-23T09:59:30+08:00", 1, EmployeeNumbers.of(wang), "card");
        }
        EventIngest ingest = new EventIngest(device, client, recorder, population, clock, Duration.ofHours(1),
                Duration.ofMinutes(2), state);
        assertEquals(37, ingest.poll());
        assertEquals(0, ingest.poll(), "a re-poll stores nothing twice");
        assertEquals(37, recorder.stored.size());
        PassageEvent first = recorder.stored.get("isapi-d-1-101");
        assertEquals(SubjectType.RESIDENT, first.subjectType());
        assertEquals(wang, first.subjectId());
        assertEquals(CredentialKind.FACE, first.credentialKind());
        assertEquals(Verdict.ALLOW, first.decision().verdict());
        assertEquals(36.5, first.decision().scores().get("temperature"));
        assertEquals(Instant.parse("2026-11-23T01:58:00Z"), first.occurredAt());
        PassageEvent stranger = recorder.stored.get("isapi-d-1-102");
        assertEquals(SubjectType.STRANGER, stranger.subjectType());
        assertEquals(Verdict.DENY, stranger.decision().verdict());
        assertEquals(37, state.snapshot().passagesStored());
    }

    /** The stream consumer's contract, as the outbox relay runs it: one event at a time, the same again on failure. */
    @Test
    void offlineTerminalGetsEveryChangeInOrderWhenItReturns() throws Exception {
        String a = resident("A", "b-1", null);
        String b = resident("B", "b-1", null);
        List<String> log = List.of(change(a, "ISSUED"), change(b, "ISSUED"), change(a, "REVOKED"));
        fake.offline = true;
        int position = 0;
        int failures = 0;
        while (position < log.size()) {
            if (failures == 3) {
                fake.offline = false;
            }
            if (position == 2) {
                population.members.remove(a); // A moves out after the first two events were written
            }
            try {
                sync.apply(log.get(position));
                position++;
            } catch (IsapiException e) {
                failures++;
                assertEquals("UNREACHABLE", e.code());
                assertNotNull(state.snapshot().failingSince());
                assertTrue(state.snapshot().lastError().contains("UNREACHABLE"));
            }
        }
        assertEquals(3, failures);
        assertEquals(List.of(EmployeeNumbers.of(b)), new ArrayList<>(fake.persons.keySet()));
        assertNull(state.snapshot().failingSince(), "caught up");
        assertEquals(List.of("POST /ISAPI/AccessControl/UserInfo/Record", "POST /ISAPI/AccessControl/UserInfo/Record",
                "PUT /ISAPI/AccessControl/UserInfo/Delete"), fake.requests.stream()
                .filter(r -> r.contains("/UserInfo/")).toList(), "in order; (faces: none kept, none on the terminal)");
    }

    @Test
    void fullResyncUpsertsTheValidAndDeletesTheRest() {
        for (int i = 0; i < 40; i++) {
            resident("R" + i, "b-1", null);
        }
        resident("Ended", "b-1", NOW.minusSeconds(60));
        fake.persons.put("stale", new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode()
                .put("employeeNo", "stale"));
        assertEquals("40 upserted, 1 deleted", sync.resync());
        assertEquals(40, fake.persons.size());
        assertEquals("40 upserted, 0 deleted", sync.resync());
        assertEquals("40 upserted, 0 deleted", state.snapshot().lastResync());
    }

    @Test
    void badAnswersAreClearErrorsAndNothingIsLost() {
        String a = resident("A", "b-1", null);
        fake.failNext.set(1);
        fake.failStatus = 500;
        IsapiException e = assertThrows(IsapiException.class, () -> sync.apply(change(a, "ISSUED")));
        assertEquals("HTTP_500", e.code());
        assertTrue(state.snapshot().lastError().startsWith("HTTP_500"));

        fake.malformedNext = true;
        assertEquals("MALFORMED", assertThrows(IsapiException.class, () -> client.employeeNos()).code());

        fake.hangMillis = 1500;
        IsapiClient impatient = client("s3cret!", 300);
        assertEquals("TIMEOUT", assertThrows(IsapiException.class, () -> impatient.openDoor(1)).code());
        fake.hangMillis = 0;

        fake.failNext.set(1);
        EventIngest ingest = new EventIngest(device, client, recorder, population, clock, Duration.ofHours(1),
                Duration.ofMinutes(2), state);
        fake.addEvent(7, "2026-11-23T09:58:00+08:00", 75, EmployeeNumbers.of(a), "face");
        Instant window = ingest.windowStart();
        assertThrows(IsapiException.class, ingest::poll);
        assertEquals(window, ingest.windowStart(), "a failed poll does not move the window");
        assertEquals(1, ingest.poll());

        assertEquals(TerminalSync.Outcome.UPSERTED, sync.apply(change(a, "ISSUED")), "the retried event lands");
        assertTrue(fake.persons.containsKey(EmployeeNumbers.of(a)));
    }

    @Test
    void employeeNumbersAreOpaqueAndReversible() {
        String id = UUID.randomUUID().toString();
        String no = EmployeeNumbers.of(id);
        assertEquals(32, no.length());
        assertEquals(Optional.of(id), EmployeeNumbers.residentId(no));
        assertEquals(Optional.empty(), EmployeeNumbers.residentId("12345"));
    }

    static final class MemoryPopulation implements Population {
        final Map<String, Member> members = new HashMap<>();
        final Map<String, byte[]> photos = new HashMap<>();

        @Override
        public Optional<byte[]> facePhoto(String residentId) {
            return Optional.ofNullable(photos.get(residentId));
        }

        @Override
        public Optional<Member> member(String residentId) {
            return Optional.ofNullable(members.get(residentId));
        }

        @Override
        public List<Member> members(String communityId) {
            return members.values().stream().filter(m -> m.communityId().equals(communityId)).toList();
        }
    }

    static final class MemoryRecorder implements PassageRecorder {
        final Map<String, PassageEvent> stored = new HashMap<>();

        @Override
        public synchronized Outcome record(PassageEvent event) {
            return stored.putIfAbsent(event.id(), event) == null ? Outcome.STORED : Outcome.DUPLICATE;
        }

        @Override
        public int journalled() {
            return 0;
        }
    }
}

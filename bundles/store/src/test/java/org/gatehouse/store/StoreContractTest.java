package org.gatehouse.store;

import static org.junit.jupiter.api.Assertions.*;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;

import org.gatehouse.api.model.AccessDecision;
import org.gatehouse.api.model.Acknowledgement;
import org.gatehouse.api.model.Alert;
import org.gatehouse.api.model.AlertSeverity;
import org.gatehouse.api.model.AlertStatus;
import org.gatehouse.api.model.AlertType;
import org.gatehouse.api.model.Building;
import org.gatehouse.api.model.CareFlag;
import org.gatehouse.api.model.Community;
import org.gatehouse.api.model.CredentialKind;
import org.gatehouse.api.model.DecisionReason;
import org.gatehouse.api.model.Device;
import org.gatehouse.api.model.DeviceKind;
import org.gatehouse.api.model.Direction;
import org.gatehouse.api.model.Household;
import org.gatehouse.api.model.PassageEvent;
import org.gatehouse.api.model.Resident;
import org.gatehouse.api.model.ResidentRole;
import org.gatehouse.api.model.SubjectType;
import org.gatehouse.api.model.Unit;
import org.gatehouse.api.model.Verdict;
import org.gatehouse.api.service.AlertRepository;
import org.gatehouse.api.service.CommunityRepository;
import org.gatehouse.api.service.ConflictException;
import org.gatehouse.api.service.DeviceRepository;
import org.gatehouse.api.service.HouseholdRepository;
import org.gatehouse.api.service.NotFoundException;
import org.gatehouse.api.service.OutOfScopeException;
import org.gatehouse.api.service.OutboxRepository;
import org.gatehouse.api.service.PassageRepository;
import org.gatehouse.api.service.Scope;
import org.gatehouse.api.service.StoreHealth;
import org.gatehouse.api.service.StoreUnavailableException;
import org.gatehouse.store.internal.CayenneStore;
import org.gatehouse.store.internal.Json;
import org.gatehouse.store.internal.Migrator;
import org.gatehouse.store.internal.StoreSettings;
import org.gatehouse.store.internal.repo.AlertRepositoryImpl;
import org.gatehouse.store.internal.repo.CommunityRepositoryImpl;
import org.gatehouse.store.internal.repo.DeviceRepositoryImpl;
import org.gatehouse.store.internal.repo.HouseholdRepositoryImpl;
import org.gatehouse.store.internal.repo.OutboxRepositoryImpl;
import org.gatehouse.store.internal.repo.PassageRepositoryImpl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The store's behaviour, run against each database by a subclass: {@link H2StoreTest} always,
 * {@link PostgresStoreTest} when GATEHOUSE_TEST_PG_URL is set.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class StoreContractTest {
    protected CayenneStore store;
    protected CommunityRepository communities;
    protected HouseholdRepository households;
    protected DeviceRepository devices;
    protected PassageRepository passages;
    protected OutboxRepository outbox;
    protected AlertRepository alerts;

    /** A fresh, empty database for this test class. */
    protected abstract StoreSettings freshDatabase() throws Exception;

    /** Settings reaching the same kind of database through a proxy on {@code proxyPort}. */
    protected abstract StoreSettings viaProxy(int proxyPort) throws Exception;

    /** Host and port the proxy forwards to. */
    protected abstract String targetHost();

    protected abstract int targetPort();

    protected StoreSettings settings;

    @BeforeAll
    void open() throws Exception {
        settings = freshDatabase();
        start(settings);
    }

    @AfterAll
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    private void start(StoreSettings s) {
        store = new CayenneStore(s);
        communities = new CommunityRepositoryImpl(store);
        households = new HouseholdRepositoryImpl(store);
        devices = new DeviceRepositoryImpl(store);
        passages = new PassageRepositoryImpl(store);
        outbox = new OutboxRepositoryImpl(store);
        alerts = new AlertRepositoryImpl(store);
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private Community community() {
        return communities.createCommunity(unique("C"), "Garden Court", "1 Road");
    }

    private PassageEvent passageEvent(String communityId, String id, Instant at) {
        return new PassageEvent(id, communityId, "dev-1", at, Direction.IN, SubjectType.RESIDENT, "res-1",
                CredentialKind.FACE, new AccessDecision(Verdict.ALLOW,
                List.of(new DecisionReason("FACE_MATCH", "score 0.91"), new DecisionReason("LEASE_VALID", null)),
                Map.of("face", 0.91, "liveness", 0.88)));
    }

    // ---------------------------------------------------------------- communities, buildings, units

    @Test
    void communityCrudAndUniqueCode() {
        Community c = community();
        assertEquals(Scope.all().allows(c.id()), true);
        assertEquals(c, communities.community(Scope.all(), c.id()).orElseThrow());
        assertEquals(c, communities.communityByCode(Scope.of(c.id()), c.code()).orElseThrow());
        assertTrue(communities.communities(Scope.all()).contains(c));
        assertEquals(List.of(c), communities.communities(Scope.of(c.id())));
        ConflictException dup = assertThrows(ConflictException.class,
                () -> communities.createCommunity(c.code(), "Other", null));
        assertEquals("CONFLICT", dup.code());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> communities.createCommunity(" ", "x", null));
        assertTrue(bad.getMessage().contains("code"), bad.getMessage());
        communities.deleteCommunity(Scope.of(c.id()), c.id());
        assertTrue(communities.community(Scope.all(), c.id()).isEmpty());
    }

    @Test
    void buildingsAndUnitsWithConflicts() {
        Community c = community();
        Scope scope = Scope.of(c.id());
        Building b = communities.createBuilding(scope, c.id(), "B1", "Building 1");
        assertEquals(b, communities.building(scope, b.id()).orElseThrow());
        assertThrows(ConflictException.class, () -> communities.createBuilding(scope, c.id(), "B1", "again"));
        Community other = community();
        // same building code in another community is fine
        communities.createBuilding(Scope.all(), other.id(), "B1", null);

        Unit u = communities.createUnit(scope, b.id(), "2", 3, "301", 88.5);
        Unit u2 = communities.createUnit(scope, b.id(), null, 1, "101", null);
        assertEquals(u, communities.unit(scope, u.id()).orElseThrow());
        assertEquals(u2, communities.unit(scope, u2.id()).orElseThrow());
        assertNull(communities.unit(scope, u2.id()).orElseThrow().stairway());
        assertThrows(ConflictException.class, () -> communities.createUnit(scope, b.id(), "2", 3, "301", null));
        assertEquals(List.of(u2, u), communities.units(scope, b.id()));
        assertEquals(List.of(b), communities.buildings(scope, c.id()));

        assertThrows(ConflictException.class, () -> communities.deleteCommunity(scope, c.id()));
        assertThrows(ConflictException.class, () -> communities.deleteBuilding(scope, b.id()));
        communities.deleteUnit(scope, u.id());
        communities.deleteUnit(scope, u2.id());
        communities.deleteBuilding(scope, b.id());
        communities.deleteCommunity(scope, c.id());
        assertThrows(NotFoundException.class, () -> communities.deleteCommunity(scope, c.id()));
    }

    @Test
    void countsAreScoped() {
        Community c = community();
        Scope scope = Scope.of(c.id());
        Building b = communities.createBuilding(scope, c.id(), "B", null);
        Unit u = communities.createUnit(scope, b.id(), "1", 1, "101", null);
        Household h = households.createHousehold(scope, u.id(), "Li");
        households.addResident(scope, h.id(), "Li Wei", ResidentRole.OWNER, null, null, null, null, null);
        households.addResident(scope, h.id(), "Li Na", ResidentRole.CO_RESIDENT, null, null, null, null, null);
        Map<String, Long> counts = communities.counts(scope);
        assertEquals(Map.of("communities", 1L, "buildings", 1L, "units", 1L, "households", 1L, "residents", 2L),
                counts);
        assertTrue(communities.counts(Scope.all()).get("residents") >= 2);
        assertEquals(0L, communities.counts(Scope.of("nobody")).get("communities"));
    }

    // ---------------------------------------------------------------- scoping

    @Test
    void otherScopeCannotSeeOrChange() {
        Community c = community();
        Community other = community();
        Scope mine = Scope.of(c.id());
        Scope theirs = Scope.of(other.id());
        Building b = communities.createBuilding(mine, c.id(), "B", null);
        Unit u = communities.createUnit(mine, b.id(), "1", 1, "101", null);
        Household h = households.createHousehold(mine, u.id(), "Wang");
        Resident r = households.addResident(mine, h.id(), "Wang Fang", ResidentRole.TENANT, null, null, null, null,
                null);
        Device d = devices.register(mine, c.id(), null, "North gate", "T1", DeviceKind.FACE_TERMINAL,
                Direction.BOTH).device();

        assertTrue(communities.community(theirs, c.id()).isEmpty());
        assertTrue(communities.communityByCode(theirs, c.code()).isEmpty());
        assertFalse(communities.communities(theirs).contains(c));
        assertTrue(communities.building(theirs, b.id()).isEmpty());
        assertTrue(communities.unit(theirs, u.id()).isEmpty());
        assertTrue(households.household(theirs, h.id()).isEmpty());
        assertTrue(households.resident(theirs, r.id()).isEmpty());
        assertTrue(devices.device(theirs, d.id()).isEmpty());
        assertTrue(households.households(theirs, null).stream().noneMatch(x -> x.id().equals(h.id())));

        assertThrows(NotFoundException.class, () -> communities.deleteCommunity(theirs, c.id()));
        assertThrows(NotFoundException.class, () -> communities.deleteBuilding(theirs, b.id()));
        assertThrows(NotFoundException.class, () -> communities.deleteUnit(theirs, u.id()));
        assertThrows(NotFoundException.class, () -> communities.buildings(theirs, c.id()));
        assertThrows(NotFoundException.class, () -> communities.units(theirs, b.id()));
        assertThrows(NotFoundException.class, () -> communities.createUnit(theirs, b.id(), "1", 2, "201", null));
        assertThrows(NotFoundException.class, () -> households.createHousehold(theirs, u.id(), "x"));
        assertThrows(NotFoundException.class, () -> households.residents(theirs, h.id()));
        assertThrows(NotFoundException.class, () -> households.addResident(theirs, h.id(), "x", ResidentRole.OWNER,
                null, null, null, null, null));
        assertThrows(NotFoundException.class, () -> households.updateResident(theirs, r));
        assertThrows(NotFoundException.class, () -> households.removeResident(theirs, r.id()));
        assertThrows(NotFoundException.class, () -> devices.remove(theirs, d.id()));
        assertThrows(OutOfScopeException.class, () -> communities.createBuilding(theirs, c.id(), "B2", null));
        assertThrows(OutOfScopeException.class, () -> devices.register(theirs, c.id(), null, "g", "n",
                DeviceKind.CAMERA, Direction.IN));
        // nothing changed
        assertEquals(r, households.resident(mine, r.id()).orElseThrow());
        assertEquals(1, communities.units(mine, b.id()).size());
    }

    // ---------------------------------------------------------------- households and residents

    @Test
    void residentsCrud() {
        Community c = community();
        Scope scope = Scope.of(c.id());
        Building b = communities.createBuilding(scope, c.id(), "B", null);
        Unit u = communities.createUnit(scope, b.id(), "1", 5, "502", 60.0);
        Household h = households.createHousehold(scope, u.id(), "Zhang");
        assertEquals(h, households.household(scope, h.id()).orElseThrow());
        assertEquals(List.of(h), households.households(scope, c.id()));
        Instant from = Instant.parse("2024-01-01T00:00:00.123456789Z");
        Resident r = households.addResident(scope, h.id(), "Zhang San", ResidentRole.OWNER,
                LocalDate.of(1941, 3, 9), "13800000000", from, null, Set.of(CareFlag.LIVES_ALONE,
                        CareFlag.NEEDS_ATTENTION));
        assertEquals(from.truncatedTo(ChronoUnit.MICROS), r.validFrom());
        assertEquals(r, households.resident(scope, r.id()).orElseThrow());
        assertEquals(List.of(r), households.residents(scope, h.id()));

        Resident changed = new Resident(r.id(), r.communityId(), r.householdId(), "Zhang San", ResidentRole.OWNER,
                r.birthDate(), "13900000000", r.validFrom(), Instant.parse("2030-01-01T00:00:00Z"),
                Set.of(CareFlag.LIVES_ALONE));
        assertEquals(changed, households.updateResident(scope, changed));
        assertEquals(changed, households.resident(scope, r.id()).orElseThrow());

        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> households.addResident(scope, h.id(), " ", ResidentRole.OWNER, null, null, null, null, null));
        assertTrue(bad.getMessage().contains("name"));
        assertThrows(ConflictException.class, () -> communities.deleteUnit(scope, u.id()));
        households.removeResident(scope, r.id());
        assertTrue(households.resident(scope, r.id()).isEmpty());
        assertThrows(NotFoundException.class, () -> households.removeResident(scope, r.id()));
    }

    // ---------------------------------------------------------------- devices

    @Test
    void deviceTokensAreHashed() throws Exception {
        Community c = community();
        Scope scope = Scope.of(c.id());
        Building b = communities.createBuilding(scope, c.id(), "B", null);
        DeviceRepository.RegisteredDevice reg = devices.register(scope, c.id(), b.id(), "East gate", "Terminal 1",
                DeviceKind.FACE_TERMINAL, Direction.IN);
        assertEquals(43, reg.token().length());
        assertTrue(reg.token().matches("[A-Za-z0-9_-]+"));
        assertEquals(reg.device(), devices.device(scope, reg.device().id()).orElseThrow());
        assertEquals(reg.device(), devices.authenticate(reg.token()).orElseThrow());
        assertTrue(devices.authenticate(reg.token() + "x").isEmpty());
        assertTrue(devices.authenticate(null).isEmpty());
        assertEquals(List.of(reg.device()), devices.devices(scope, c.id()));
        try (Connection connection = store.dataSource().getConnection(); Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("select token_hash from device where id = '" + reg.device().id() + "'")) {
            assertTrue(rs.next());
            assertEquals(64, rs.getString(1).length());
            assertNotEquals(reg.token(), rs.getString(1));
        }
        assertThrows(ConflictException.class, () -> communities.deleteBuilding(scope, b.id()));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> devices.register(scope, c.id(), null, "", "n", DeviceKind.CAMERA, Direction.IN));
        assertTrue(bad.getMessage().contains("gate"));
        devices.remove(scope, reg.device().id());
        assertTrue(devices.authenticate(reg.token()).isEmpty());
    }

    // ---------------------------------------------------------------- passages and outbox

    @Test
    void passageRecordIsIdempotentAndWritesOutboxInSameCommit() throws Exception {
        Community c = community();
        Scope scope = Scope.of(c.id());
        long pendingBefore = outbox.pendingCount();
        PassageEvent event = passageEvent(c.id(), unique("p"), Instant.parse("2026-11-23T08:15:30.123456Z"));
        assertTrue(passages.record(event));
        assertFalse(passages.record(event));
        assertEquals(event, passages.passage(scope, event.id()).orElseThrow());
        assertEquals(1, passages.count(scope));
        assertTrue(passages.passage(Scope.of("elsewhere"), event.id()).isEmpty());
        assertEquals(pendingBefore + 1, outbox.pendingCount());

        OutboxRepository.OutboxEntry entry = outbox.pending(10_000).stream()
                .filter(e -> e.eventId().equals(event.id())).findFirst().orElseThrow();
        assertEquals("passages", entry.stream());
        assertEquals(c.id(), entry.communityId());
        JsonNode json = Json.MAPPER.readTree(entry.payloadJson());
        assertEquals("2026-11-23T08:15:30.123456Z", json.get("occurredAt").asText());
        assertEquals(event, Json.read(entry.payloadJson(), PassageEvent.class));

        // the passage row and its outbox row come and go together: same transaction
        try (Connection connection = store.dataSource().getConnection(); Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("select count(*) from outbox where event_id = '" + event.id() + "'")) {
            rs.next();
            assertEquals(1, rs.getInt(1));
        }
    }

    @Test
    void passageQueriesByTime() {
        Community c = community();
        Scope scope = Scope.of(c.id());
        Instant t0 = Instant.parse("2026-01-01T10:00:00Z");
        for (int i = 0; i < 5; i++) {
            passages.record(passageEvent(c.id(), unique("q"), t0.plus(Duration.ofMinutes(i))));
        }
        List<PassageEvent> between = passages.passages(scope, c.id(), t0.plusSeconds(60), t0.plusSeconds(240), 100);
        assertEquals(3, between.size());
        assertEquals(t0.plusSeconds(180), between.get(0).occurredAt());
        assertEquals(2, passages.passages(scope, null, null, null, 2).size());
        assertTrue(passages.passages(Scope.of("elsewhere"), c.id(), null, null, 10).isEmpty());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> passages.passages(scope, c.id(), null, null, 0));
        assertTrue(bad.getMessage().contains("limit"));
    }

    @Test
    void concurrentDuplicateRecordsStoreOnce() throws Exception {
        Community c = community();
        PassageEvent event = passageEvent(c.id(), unique("race"), Instant.parse("2026-02-02T02:02:02Z"));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = pool.invokeAll(List.of(() -> passages.record(event),
                    () -> passages.record(event), () -> passages.record(event), () -> passages.record(event)));
            int written = 0;
            for (Future<Boolean> result : results) {
                written += result.get() ? 1 : 0;
            }
            assertEquals(1, written);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, outbox.pending(10_000).stream().filter(e -> e.eventId().equals(event.id())).count());
    }

    @Test
    void outboxOrderAppendIdempotentAndMarks() {
        String stream = unique("stream");
        for (int i = 0; i < 3; i++) {
            outbox.append(stream, "e" + i, "c1", "{\"n\":" + i + "}");
        }
        outbox.append(stream, "e1", "c1", "{\"n\":99}");
        List<OutboxRepository.OutboxEntry> mine = outbox.pending(10_000).stream()
                .filter(e -> e.stream().equals(stream)).toList();
        assertEquals(List.of("e0", "e1", "e2"), mine.stream().map(OutboxRepository.OutboxEntry::eventId).toList());
        assertTrue(mine.get(0).sequence() < mine.get(1).sequence() && mine.get(1).sequence() < mine.get(2).sequence());
        assertEquals("{\"n\":1}", mine.get(1).payloadJson());

        outbox.markFailed(mine.get(0).sequence(), "broker down");
        OutboxRepository.OutboxEntry failed = outbox.pending(10_000).stream()
                .filter(e -> e.sequence() == mine.get(0).sequence()).findFirst().orElseThrow();
        assertEquals(1, failed.attempts());

        long before = outbox.pendingCount();
        outbox.markPublished(mine.get(0).sequence());
        outbox.markPublished(mine.get(0).sequence());
        assertEquals(before - 1, outbox.pendingCount());
        List<OutboxRepository.OutboxEntry> left = outbox.pending(10_000).stream()
                .filter(e -> e.stream().equals(stream)).toList();
        assertEquals(List.of("e1", "e2"), left.stream().map(OutboxRepository.OutboxEntry::eventId).toList());
        assertThrows(NotFoundException.class, () -> outbox.markPublished(-5));
        assertThrows(IllegalArgumentException.class, () -> outbox.append(stream, " ", null, "{}"));
    }

    // ---------------------------------------------------------------- alerts

    @Test
    void alertsRaiseAcknowledgeAndOutbox() {
        Community c = community();
        Scope scope = Scope.of(c.id());
        Alert alert = new Alert(unique("a"), c.id(), AlertType.WELFARE_INACTIVITY, AlertSeverity.WARNING,
                AlertStatus.OPEN, "res-1", "No passage for 48 h", Instant.parse("2026-11-20T07:00:00Z"), null);
        assertEquals(alert, alerts.raise(alert));
        assertEquals(alert, alerts.raise(alert));
        assertEquals(1, outbox.pending(10_000).stream()
                .filter(e -> e.stream().equals("alerts") && e.eventId().equals(alert.id())).count());
        assertEquals(alert, alerts.alert(scope, alert.id()).orElseThrow());
        assertEquals(List.of(alert), alerts.alerts(scope, c.id(), AlertStatus.OPEN, 10));
        assertTrue(alerts.alert(Scope.of("elsewhere"), alert.id()).isEmpty());

        Acknowledgement ack = new Acknowledgement("officer-7", Instant.parse("2026-11-20T09:30:00Z"), "visited, fine");
        assertThrows(NotFoundException.class,
                () -> alerts.acknowledge(Scope.of("elsewhere"), alert.id(), ack, AlertStatus.CLOSED));
        Alert acked = alerts.acknowledge(scope, alert.id(), ack, AlertStatus.CLOSED);
        assertEquals(AlertStatus.CLOSED, acked.status());
        assertEquals(List.of(ack), acked.acknowledgements());
        assertEquals(acked, alerts.alert(scope, alert.id()).orElseThrow());
        assertTrue(alerts.alerts(scope, c.id(), AlertStatus.OPEN, 10).isEmpty());
        assertThrows(NotFoundException.class, () -> alerts.raise(new Alert(unique("a"), "no-such-community",
                AlertType.STRANGER, AlertSeverity.INFO, AlertStatus.OPEN, null, null, Instant.now(), null)));
    }

    // ---------------------------------------------------------------- health, restart, migrations

    @Test
    void healthReportsUp() {
        StoreHealth.Status status = store.status();
        assertTrue(status.up(), status.detail());
        assertEquals(1, status.schemaVersion());
        assertFalse(status.database().isBlank());
        assertFalse(status.url().toLowerCase().contains("password="));
        assertEquals("", status.detail());
    }

    @Test
    void dataSurvivesRestartAndMigrationsRunOnce() throws Exception {
        Community c = community();
        PassageEvent event = passageEvent(c.id(), unique("r"), Instant.parse("2026-03-03T03:03:03Z"));
        passages.record(event);
        store.close();
        start(settings);
        assertEquals(c, communities.community(Scope.all(), c.id()).orElseThrow());
        assertEquals(event, passages.passage(Scope.all(), event.id()).orElseThrow());
        assertFalse(passages.record(event));

        Migrator.Result again = Migrator.migrate(store.dataSource());
        assertEquals(List.of(), again.applied());
        assertEquals(Migrator.MIGRATIONS.size(), again.version());
        try (Connection connection = store.dataSource().getConnection(); Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("select count(*), max(version) from schema_version")) {
            rs.next();
            assertEquals(Migrator.MIGRATIONS.size(), rs.getInt(1));
            assertEquals(Migrator.MIGRATIONS.size(), rs.getInt(2));
        }
    }

    // ---------------------------------------------------------------- database down

    @Test
    void databaseDownThenBackWithoutRestart() throws Exception {
        try (TcpProxy proxy = new TcpProxy(targetHost(), targetPort())) {
            CayenneStore down = new CayenneStore(viaProxy(proxy.port()));
            try {
                CommunityRepository repo = new CommunityRepositoryImpl(down);
                PassageRepository log = new PassageRepositoryImpl(down);
                Community c = repo.createCommunity(unique("D"), "Down", null);
                assertTrue(down.status().up());

                proxy.cut();
                quicklyUnavailable(() -> repo.community(Scope.all(), c.id()));
                quicklyUnavailable(() -> repo.createCommunity(unique("D"), "x", null));
                PassageEvent event = passageEvent(c.id(), unique("d"), Instant.parse("2026-04-04T04:04:04Z"));
                StoreUnavailableException e = quicklyUnavailable(() -> log.record(event));
                assertEquals("STORE_UNAVAILABLE", e.code());
                long start = System.nanoTime();
                StoreHealth.Status status = down.status();
                assertFalse(status.up());
                assertFalse(status.detail().isBlank());
                assertTrue((System.nanoTime() - start) / 1_000_000 < 5000, "health check too slow");

                proxy.restore();
                assertEquals(c, repo.community(Scope.all(), c.id()).orElseThrow());
                assertTrue(log.record(event));
                assertTrue(down.status().up());
            } finally {
                down.close();
            }
        }
    }

    /** The call fails with StoreUnavailableException in well under the 5 s budget. */
    private static StoreUnavailableException quicklyUnavailable(org.junit.jupiter.api.function.Executable call) {
        long start = System.nanoTime();
        StoreUnavailableException e = assertThrows(StoreUnavailableException.class, call);
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue(elapsedMs < 5000, "failing took " + elapsedMs + " ms");
        return e;
    }

    @Test
    void storeStartsWhileDatabaseDownAndRecovers() throws Exception {
        try (TcpProxy proxy = new TcpProxy(targetHost(), targetPort())) {
            proxy.cut();
            CayenneStore late = new CayenneStore(viaProxy(proxy.port()));
            try {
                CommunityRepository repo = new CommunityRepositoryImpl(late);
                quicklyUnavailable(() -> repo.communities(Scope.all()));
                assertFalse(late.status().up());
                proxy.restore();
                Community c = repo.createCommunity(unique("L"), "Late", null);
                assertEquals(c, repo.community(Scope.of(c.id()), c.id()).orElseThrow());
                assertTrue(late.status().up());
            } finally {
                late.close();
            }
        }
    }
}

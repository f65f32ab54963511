package org.gatehouse.store;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
import org.gatehouse.api.model.Consent;
import org.gatehouse.api.model.Credential;
import org.gatehouse.api.model.CredentialChange;
import org.gatehouse.api.model.CredentialKind;
import org.gatehouse.api.model.DecisionReason;
import org.gatehouse.api.model.Device;
import org.gatehouse.api.model.DeviceKind;
import org.gatehouse.api.model.Direction;
import org.gatehouse.api.model.Household;
import org.gatehouse.api.model.ImportJob;
import org.gatehouse.api.model.ImportRow;
import org.gatehouse.api.model.PassageEvent;
import org.gatehouse.api.model.PopulationChange;
import org.gatehouse.api.model.PopulationChangeType;
import org.gatehouse.api.model.Resident;
import org.gatehouse.api.model.ResidentRole;
import org.gatehouse.api.model.VisitorStatus;
import org.gatehouse.api.model.SubjectType;
import org.gatehouse.api.model.Unit;
import org.gatehouse.api.model.Verdict;
import org.gatehouse.api.model.WelfareCase;
import org.gatehouse.api.model.WelfareOutcome;
import org.gatehouse.api.service.AlertRepository;
import org.gatehouse.api.service.AuditLog;
import org.gatehouse.api.service.FaceTemplateRepository;
import org.gatehouse.api.service.CommunityRepository;
import org.gatehouse.api.service.ConflictException;
import org.gatehouse.api.service.ConsentRepository;
import org.gatehouse.api.service.CredentialRepository;
import org.gatehouse.api.service.DeviceRepository;
import org.gatehouse.api.service.HouseholdRepository;
import org.gatehouse.api.service.ImportJobRepository;
import org.gatehouse.api.service.ImportRunSupersededException;
import org.gatehouse.api.service.NotFoundException;
import org.gatehouse.api.service.OutOfScopeException;
import org.gatehouse.api.service.OutboxRepository;
import org.gatehouse.api.service.StreamConsumers;
import org.gatehouse.api.service.PassageRepository;
import org.gatehouse.api.service.PreconditionFailedException;
import org.gatehouse.api.service.Scope;
import org.gatehouse.api.service.StoreHealth;
import org.gatehouse.api.service.StoreUnavailableException;
import org.gatehouse.api.stream.Streams;
import org.gatehouse.store.internal.CayenneStore;
import org.gatehouse.store.internal.Json;
import org.gatehouse.store.internal.Migrator;
import org.gatehouse.store.internal.StoreSettings;
import org.gatehouse.store.internal.TemplateKeys;
import org.gatehouse.store.internal.TemplateUnreadableException;
import org.gatehouse.store.internal.repo.AlertRepositoryImpl;
import org.gatehouse.store.internal.repo.AuditHashes;
import org.gatehouse.store.internal.repo.AuditLogImpl;
import org.gatehouse.store.internal.repo.KeyChecksImpl;
import org.gatehouse.store.internal.repo.FaceTemplateRepositoryImpl;
import org.gatehouse.store.internal.repo.CommunityRepositoryImpl;
import org.gatehouse.store.internal.repo.ConsentRepositoryImpl;
import org.gatehouse.store.internal.repo.CredentialRepositoryImpl;
import org.gatehouse.store.internal.repo.DeviceRepositoryImpl;
import org.gatehouse.store.internal.repo.HouseholdRepositoryImpl;
import org.gatehouse.store.internal.repo.ImportJobRepositoryImpl;
import org.gatehouse.store.internal.repo.OutboxRepositoryImpl;
import org.gatehouse.store.internal.repo.PassageRepositoryImpl;
import org.gatehouse.testing.TcpProxy;
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
    protected TemplateKeys keys;
    protected FaceTemplateRepository templates;
    protected AuditLog audit;
    protected CredentialRepository credentials;
    protected ConsentRepository consents;
    protected org.gatehouse.api.service.VisitorRepository visitors;
    protected org.gatehouse.api.service.RetentionRepository retention;
    protected org.gatehouse.api.service.SubjectDataRepository subjects;
    protected ImportJobRepository imports;
    protected org.gatehouse.api.service.WelfareCaseRepository welfare;
    /** The keystore of this test class: fresh under target/keys/, password generated into the file next to it. */
    protected Path keystore;
    /** The audit key of this test class, next to the keystore (created on first start). */
    protected Path auditKey;
    protected KeyChecksImpl keyChecks;

    /** A fresh, empty database for this test class. */
    protected abstract StoreSettings freshDatabase() throws Exception;

    /** Another fresh, empty database of the same kind, named {@code name} (key and migration tests). */
    protected abstract StoreSettings anotherDatabase(String name) throws Exception;

    /** Settings reaching the same kind of database through a proxy on {@code proxyPort}. */
    protected abstract StoreSettings viaProxy(int proxyPort) throws Exception;

    /** Host and port the proxy forwards to. */
    protected abstract String targetHost();

    protected abstract int targetPort();

    protected StoreSettings settings;

    @BeforeAll
    void open() throws Exception {
        settings = freshDatabase();
        keystore = Path.of("target", "keys", getClass().getSimpleName() + "-" + System.currentTimeMillis(),
                "gatehouse-keys.p12").toAbsolutePath();
        auditKey = keystore.resolveSibling("gatehouse-audit.key");
        start(settings);
    }

    @AfterAll
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    protected void start(StoreSettings s) {
        store = new CayenneStore(s);
        keyChecks = new KeyChecksImpl(store);
        keys = new TemplateKeys(keystore, "", keyChecks);
        templates = new FaceTemplateRepositoryImpl(store, keys);
        audit = new AuditLogImpl(store, keyChecks, auditKey);
        communities = new CommunityRepositoryImpl(store);
        households = new HouseholdRepositoryImpl(store);
        devices = new DeviceRepositoryImpl(store);
        passages = new PassageRepositoryImpl(store);
        outbox = new OutboxRepositoryImpl(store);
        alerts = new AlertRepositoryImpl(store);
        credentials = new CredentialRepositoryImpl(store);
        consents = new ConsentRepositoryImpl(store);
        visitors = new org.gatehouse.store.internal.repo.VisitorRepositoryImpl(store);
        retention = new org.gatehouse.store.internal.repo.RetentionRepositoryImpl(store);
        subjects = new org.gatehouse.store.internal.repo.SubjectDataRepositoryImpl(store);
        imports = new ImportJobRepositoryImpl(store);
        welfare = new org.gatehouse.store.internal.repo.WelfareCaseRepositoryImpl(store);
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

    // ---------------------------------------------------------------- credentials, consents, population changes

    /** A resident in a fresh household of {@code c}. */
    private Resident resident(Community c, String name, ResidentRole role) {
        Scope scope = Scope.of(c.id());
        Building b = communities.buildings(scope, c.id()).stream().findFirst()
                .orElseGet(() -> communities.createBuilding(scope, c.id(), "B", null));
        Unit u = communities.createUnit(scope, b.id(), unique("s"), 1, "101", null);
        Household h = households.createHousehold(scope, u.id(), name);
        return households.addResident(scope, h.id(), name, role, null, null, null, null, null);
    }

    /** Every population change of a community in the outbox (published or not), in sequence order. */
    private List<PopulationChange> populationChanges(String communityId) throws Exception {
        List<PopulationChange> result = new java.util.ArrayList<>();
        try (Connection connection = store.dataSource().getConnection();
             java.sql.PreparedStatement st = connection.prepareStatement(
                     "select stream, event_id, payload from outbox where community_id = ? and stream = ? "
                             + "order by sequence")) {
            st.setString(1, communityId);
            st.setString(2, Streams.POPULATION_CHANGES);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    PopulationChange change = Json.read(rs.getString(3), PopulationChange.class);
                    assertEquals(rs.getString(2), change.id());
                    result.add(change);
                }
            }
        }
        return result;
    }

    private byte[] rawBytes(String sql, String arg) throws Exception {
        try (Connection connection = store.dataSource().getConnection();
             java.sql.PreparedStatement st = connection.prepareStatement(sql)) {
            st.setString(1, arg);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getBytes(1);
            }
        }
    }

    private long rows(String sql, String arg) throws Exception {
        try (Connection connection = store.dataSource().getConnection();
             java.sql.PreparedStatement st = connection.prepareStatement(sql)) {
            st.setString(1, arg);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void activeCredentialReferenceIsUniqueUntilRevoked() throws Exception {
        Community c = community();
        Scope scope = Scope.of(c.id());
        Resident r1 = resident(c, "Chen Yi", ResidentRole.OWNER);
        Resident r2 = resident(c, "Chen Er", ResidentRole.TENANT);
        Credential card = credentials.issue(scope, r1.id(), CredentialKind.ID_CARD, "hmac-1");
        assertEquals(c.id(), card.communityId());
        assertEquals(r1.id(), card.residentId());
        assertTrue(card.isActive());
        assertEquals(card, credentials.active(scope, c.id(), CredentialKind.ID_CARD, "hmac-1").orElseThrow());

        ConflictException dup = assertThrows(ConflictException.class,
                () -> credentials.issue(scope, r2.id(), CredentialKind.ID_CARD, "hmac-1"));
        assertFalse(dup.getMessage().contains("hmac-1"), dup.getMessage());
        assertThrows(ConflictException.class, () -> credentials.issue(scope, r1.id(), CredentialKind.ID_CARD, "hmac-1"));
        // other kind, other community: no clash
        Credential otherKind = credentials.issue(scope, r2.id(), CredentialKind.CARD, "hmac-1");
        Community c2 = community();
        Credential otherCommunity = credentials.issue(Scope.of(c2.id()), resident(c2, "Lin", ResidentRole.OWNER).id(),
                CredentialKind.ID_CARD, "hmac-1");
        assertNotEquals(otherCommunity.id(), card.id());

        Credential revoked = credentials.revoke(scope, card.id());
        assertNotNull(revoked.revokedAt());
        assertEquals(revoked, credentials.revoke(scope, card.id()), "revoking twice changes nothing");
        assertTrue(credentials.active(scope, c.id(), CredentialKind.ID_CARD, "hmac-1").isEmpty());
        Credential again = credentials.issue(scope, r2.id(), CredentialKind.ID_CARD, "hmac-1");
        assertEquals(again, credentials.active(scope, c.id(), CredentialKind.ID_CARD, "hmac-1").orElseThrow());
        // and after that one is revoked too, a third time (two revoked rows with the same reference)
        credentials.revoke(scope, again.id());
        credentials.issue(scope, r1.id(), CredentialKind.ID_CARD, "hmac-1");
        assertEquals(3, rows("select count(*) from credential where reference = 'hmac-1' and kind = 'ID_CARD' "
                + "and community_id = ?", c.id()));

        assertEquals(revoked, credentials.credentials(scope, r1.id()).get(0));
        assertEquals(2, credentials.credentials(scope, r1.id()).size());
        List<Credential> ofR2 = credentials.credentials(scope, r2.id());
        assertEquals(List.of(otherKind.id(), again.id()), ofR2.stream().map(Credential::id).toList());
        assertFalse(ofR2.get(1).isActive());
        assertThrows(NotFoundException.class, () -> credentials.issue(scope, "no-such", CredentialKind.PIN, "x"));
        assertThrows(NotFoundException.class, () -> credentials.credentials(scope, "no-such"));
        assertThrows(NotFoundException.class, () -> credentials.revoke(scope, "no-such"));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> credentials.issue(scope, r1.id(), CredentialKind.PIN, " "));
        assertTrue(bad.getMessage().contains("reference"), bad.getMessage());
        // the database itself refuses a second active row (whatever writes it)
        assertThrows(java.sql.SQLException.class, () -> jdbc("insert into credential (id, community_id, resident_id, "
                        + "kind, reference, active_reference) values (?, ?, ?, 'ID_CARD', 'hmac-1', 'hmac-1')",
                unique("x"), c.id(), r2.id()));
        assertThrows(java.sql.SQLException.class, () -> jdbc("insert into credential (id, community_id, resident_id, "
                + "kind, reference) values (?, ?, ?, 'PIN', 'p', null)", unique("x"), c.id(), r2.id()));
    }

    @Test
    void referencesStoredInClearAreRewrittenOnceAndLookupsFollow() throws Exception {
        Community c = community();
        Scope scope = Scope.of(c.id());
        Resident r1 = resident(c, "Card One", ResidentRole.OWNER);
        Resident r2 = resident(c, "Card Two", ResidentRole.TENANT);
        String n1 = unique("1000");
        String n2 = unique("2000");
        String n3 = unique("3000");
        String n4 = unique("4000");
        // as an older version stored them: card numbers in clear, active and revoked; a hashed one; another kind
        Credential active = credentials.issue(scope, r1.id(), CredentialKind.CARD, n1);
        Credential revoked = credentials.revoke(scope, credentials.issue(scope, r1.id(), CredentialKind.CARD, n2).id());
        Credential hashed = credentials.issue(scope, r2.id(), CredentialKind.CARD, "hmac-sha256:" + n3);
        Credential other = credentials.issue(scope, r2.id(), CredentialKind.PIN, n4);
        // two numbers that would end up with the same new reference while both are active: the second stays
        Credential clash = credentials.issue(scope, r2.id(), CredentialKind.CARD, n1 + "-again");
        java.util.function.UnaryOperator<String> hash = clear -> "hmac-sha256:h(" + clear.replace("-again", "") + ")";

        int changed = credentials.rewriteReferences(CredentialKind.CARD, "hmac-sha256:", hash);
        assertTrue(changed >= 2, "at least this test's two rows: " + changed);
        assertEquals("hmac-sha256:h(" + n2 + ")", credentials.credential(scope, revoked.id()).orElseThrow().reference());
        assertNotNull(credentials.credential(scope, revoked.id()).orElseThrow().revokedAt(), "still revoked");
        assertEquals(hashed, credentials.credential(scope, hashed.id()).orElseThrow());
        assertEquals(other, credentials.credential(scope, other.id()).orElseThrow());
        // of the two that clash, the one visited first is rewritten; the other is left as it is rather than
        // becoming a second active row with the same reference
        String newReference = "hmac-sha256:h(" + n1 + ")";
        Credential winner = credentials.active(scope, c.id(), CredentialKind.CARD, newReference).orElseThrow();
        Credential loser = credentials.credential(scope, winner.id().equals(active.id()) ? clash.id() : active.id())
                .orElseThrow();
        assertTrue(winner.id().equals(active.id()) || winner.id().equals(clash.id()));
        assertFalse(loser.reference().startsWith("hmac-sha256:"), loser.reference());
        assertTrue(loser.isActive());
        // lookups by the new reference work (above), by the number no more; the constraints hold
        assertTrue(credentials.active(scope, c.id(), CredentialKind.CARD, n1).isEmpty()
                || loser.reference().equals(n1));
        assertEquals(0, rows("select count(*) from credential where reference = ? and id <> '" + loser.id() + "'", n1));
        assertEquals(0, credentials.rewriteReferences(CredentialKind.CARD, "hmac-sha256:",
                clear -> clear.startsWith(n1) ? null : hash.apply(clear)), "nothing else left to do");
        assertThrows(IllegalArgumentException.class, () -> credentials.rewriteReferences(CredentialKind.CARD, " ", hash));
    }

    @Test
    void credentialsAndConsentsAreScoped() {
        Community c = community();
        Community other = community();
        Scope mine = Scope.of(c.id());
        Scope theirs = Scope.of(other.id());
        Resident r = resident(c, "Zhou", ResidentRole.OWNER);
        Credential card = credentials.issue(mine, r.id(), CredentialKind.CARD, "0042");
        Consent consent = consents.give(mine, r.id(), Consent.PURPOSE_FACE_ACCESS, "v1", "paper", "clerk-1");

        assertThrows(NotFoundException.class, () -> credentials.issue(theirs, r.id(), CredentialKind.CARD, "0043"));
        assertThrows(NotFoundException.class, () -> credentials.credentials(theirs, r.id()));
        assertThrows(NotFoundException.class, () -> credentials.revoke(theirs, card.id()));
        assertTrue(credentials.active(theirs, c.id(), CredentialKind.CARD, "0042").isEmpty());
        assertTrue(credentials.active(Scope.of(), c.id(), CredentialKind.CARD, "0042").isEmpty());
        assertTrue(credentials.credential(theirs, card.id()).isEmpty(), "lookup by id is scoped");
        assertEquals(card, credentials.credential(mine, card.id()).orElseThrow());
        assertTrue(credentials.credential(mine, "no-such-credential").isEmpty());
        assertTrue(credentials.credential(mine, null).isEmpty());
        assertThrows(NotFoundException.class, () -> consents.give(theirs, r.id(), "x", "v1", "app", "me"));
        assertThrows(NotFoundException.class, () -> consents.withdraw(theirs, consent.id()));
        assertThrows(NotFoundException.class, () -> consents.consents(theirs, r.id()));
        assertThrows(NotFoundException.class, () -> consents.inForce(theirs, r.id(), Consent.PURPOSE_FACE_ACCESS));
        // nothing changed
        assertEquals(List.of(card), credentials.credentials(mine, r.id()));
        assertEquals(List.of(consent), consents.consents(mine, r.id()));
        assertEquals(card, credentials.active(Scope.all(), c.id(), CredentialKind.CARD, "0042").orElseThrow());
    }

    @Test
    void concurrentIssueOfTheSameReferenceHasOneWinner() throws Exception {
        Community c = community();
        Scope scope = Scope.of(c.id());
        List<Resident> people = List.of(resident(c, "A", ResidentRole.OWNER), resident(c, "B", ResidentRole.OWNER),
                resident(c, "C", ResidentRole.TENANT), resident(c, "D", ResidentRole.CO_RESIDENT));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 5; round++) {
                String reference = unique("race");
                java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
                List<java.util.concurrent.Callable<Credential>> calls = people.stream()
                        .map(p -> (java.util.concurrent.Callable<Credential>) () -> {
                            start.await();
                            return credentials.issue(scope, p.id(), CredentialKind.ID_CARD, reference);
                        }).toList();
                List<Future<Credential>> results = calls.stream().map(pool::submit).toList();
                start.countDown();
                int won = 0;
                int conflicts = 0;
                for (Future<Credential> result : results) {
                    try {
                        result.get();
                        won++;
                    } catch (java.util.concurrent.ExecutionException e) {
                        assertInstanceOf(ConflictException.class, e.getCause(), String.valueOf(e.getCause()));
                        conflicts++;
                    }
                }
                assertEquals(1, won, "round " + round);
                assertEquals(3, conflicts, "round " + round);
                assertEquals(1, rows("select count(*) from credential where reference = ?", reference));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void consentsGiveWithdrawAndInForce() throws Exception {
        Community c = community();
        Scope scope = Scope.of(c.id());
        Resident r = resident(c, "Sun", ResidentRole.OWNER);
        Instant before = Instant.now().minusSeconds(1);
        Consent face = consents.give(scope, r.id(), Consent.PURPOSE_FACE_ACCESS, "notice-2026-01", "paper", "clerk-7");
        Thread.sleep(2);
        Consent sms = consents.give(scope, r.id(), "sms", "notice-2026-01", "app", "self");
        assertEquals(c.id(), face.communityId());
        assertTrue(face.givenAt().isAfter(before) && face.isInForce());
        assertEquals("clerk-7", face.recordedBy());
        assertEquals(List.of(face, sms), consents.consents(scope, r.id()));
        assertEquals(face, consents.inForce(scope, r.id(), Consent.PURPOSE_FACE_ACCESS).orElseThrow());

        Consent withdrawn = consents.withdraw(scope, face.id());
        assertNotNull(withdrawn.withdrawnAt());
        assertFalse(withdrawn.isInForce());
        Thread.sleep(2);
        assertEquals(withdrawn, consents.withdraw(scope, face.id()), "withdrawing twice returns the record unchanged");
        assertTrue(consents.inForce(scope, r.id(), Consent.PURPOSE_FACE_ACCESS).isEmpty());
        assertEquals(sms, consents.inForce(scope, r.id(), "sms").orElseThrow());
        Thread.sleep(2);
        Consent renewed = consents.give(scope, r.id(), Consent.PURPOSE_FACE_ACCESS, "notice-2026-02", "app", "self");
        assertEquals(List.of(withdrawn, sms, renewed), consents.consents(scope, r.id()));
        assertEquals(renewed, consents.inForce(scope, r.id(), Consent.PURPOSE_FACE_ACCESS).orElseThrow());

        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> consents.give(scope, r.id(), "sms", "v1", "app", " "));
        assertTrue(bad.getMessage().contains("recordedBy"), bad.getMessage());
        bad = assertThrows(IllegalArgumentException.class, () -> consents.give(scope, r.id(), "", "v1", "app", "me"));
        assertTrue(bad.getMessage().contains("purpose"), bad.getMessage());
        assertThrows(NotFoundException.class, () -> consents.give(scope, "no-such", "sms", "v1", "app", "me"));
        assertThrows(NotFoundException.class, () -> consents.withdraw(scope, "no-such"));
        assertEquals(3, consents.consents(scope, r.id()).size());
    }

    @Test
    void populationChangesAreWrittenWithTheResidentChange() throws Exception {
        Community c = community();
        Scope scope = Scope.of(c.id());
        Building b = communities.createBuilding(scope, c.id(), "B", null);
        Unit u1 = communities.createUnit(scope, b.id(), "1", 1, "101", null);
        Unit u2 = communities.createUnit(scope, b.id(), "1", 2, "201", null);
        Household h1 = households.createHousehold(scope, u1.id(), "Ma");
        Household h2 = households.createHousehold(scope, u2.id(), "Ma 2");

        Resident r = households.addResident(scope, h1.id(), "Ma Li", ResidentRole.TENANT, null, "1", null,
                Instant.now().plus(Duration.ofDays(365)), null);
        List<PopulationChange> changes = populationChanges(c.id());
        assertEquals(1, changes.size());
        PopulationChange in = changes.get(0);
        assertEquals(PopulationChangeType.MOVE_IN, in.type());
        assertEquals(r.id(), in.residentId());
        assertEquals(h1.id(), in.householdId());
        assertEquals(u1.id(), in.unitId());
        assertEquals(c.id(), in.communityId());
        assertEquals(1, rows("select count(*) from outbox where event_id = ?", in.id()));

        // nothing relevant changed: no event
        households.updateResident(scope, new Resident(r.id(), r.communityId(), r.householdId(), "Ma Li", r.role(),
                null, "2", r.validFrom(), r.validUntil(), Set.of(CareFlag.LIVES_ALONE)));
        assertEquals(1, populationChanges(c.id()).size());

        Resident coResident = households.updateResident(scope, new Resident(r.id(), r.communityId(), r.householdId(),
                "Ma Li", ResidentRole.CO_RESIDENT, null, "2", r.validFrom(), r.validUntil(), Set.of()));
        changes = populationChanges(c.id());
        assertEquals(2, changes.size());
        assertEquals(PopulationChangeType.OCCUPANCY_CHANGE, changes.get(1).type());
        assertEquals("role TENANT->CO_RESIDENT", changes.get(1).detail());

        Resident moved = households.updateResident(scope, new Resident(r.id(), r.communityId(), h2.id(), "Ma Li",
                ResidentRole.CO_RESIDENT, null, "2", null, coResident.validUntil(), Set.of()));
        changes = populationChanges(c.id());
        assertEquals(3, changes.size());
        assertEquals(PopulationChangeType.OCCUPANCY_CHANGE, changes.get(2).type());
        assertEquals("household " + h1.id() + "->" + h2.id(), changes.get(2).detail());
        assertEquals(u2.id(), changes.get(2).unitId());

        // failures leave no event: validation, unknown household, a database error after the outbox insert
        assertThrows(IllegalArgumentException.class, () -> households.addResident(scope, h1.id(), " ",
                ResidentRole.OWNER, null, null, null, null, null));
        assertThrows(NotFoundException.class, () -> households.updateResident(scope, new Resident(r.id(),
                r.communityId(), "no-such", "Ma Li", ResidentRole.OWNER, null, null, null, null, Set.of())));
        assertThrows(IllegalArgumentException.class, () -> households.addResident(scope, h1.id(), "Too Long",
                ResidentRole.OWNER, null, "9".repeat(100), null, null, null));
        assertThrows(IllegalArgumentException.class, () -> households.updateResident(scope, new Resident(r.id(),
                r.communityId(), h2.id(), "Ma Li", ResidentRole.OWNER, null, "9".repeat(100), null, null, Set.of())));
        assertEquals(3, populationChanges(c.id()).size());
        assertEquals(List.of(), households.residents(scope, h1.id()));
        assertEquals(moved, households.resident(scope, r.id()).orElseThrow());

        // lease ended: window change plus MOVE_OUT, in one commit
        Instant ended = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.MICROS);
        households.updateResident(scope, new Resident(r.id(), r.communityId(), h2.id(), "Ma Li",
                ResidentRole.CO_RESIDENT, null, "2", null, ended, Set.of()));
        changes = populationChanges(c.id());
        assertEquals(5, changes.size());
        assertEquals(PopulationChangeType.OCCUPANCY_CHANGE, changes.get(3).type());
        assertTrue(changes.get(3).detail().startsWith("validUntil "), changes.get(3).detail());
        assertEquals(PopulationChangeType.MOVE_OUT, changes.get(4).type());

        households.removeResident(scope, r.id());
        changes = populationChanges(c.id());
        assertEquals(6, changes.size());
        assertEquals(PopulationChangeType.MOVE_OUT, changes.get(5).type());
        assertEquals(r.id(), changes.get(5).residentId());
        assertEquals(u2.id(), changes.get(5).unitId());
        // who moved out of which flat, as registered then: a receiver needs no call back (the resident is gone)
        assertEquals(new PopulationChange.Person("Ma Li", ResidentRole.CO_RESIDENT, null, "2", null),
                changes.get(5).person());
        Unit flat = communities.unit(scope, u2.id()).orElseThrow();
        Building building = communities.building(scope, flat.buildingId()).orElseThrow();
        assertEquals(new PopulationChange.Flat(building.id(), building.code(), building.name(), flat.stairway(),
                flat.floor(), flat.number()), changes.get(5).flat());
        assertThrows(NotFoundException.class, () -> households.removeResident(scope, r.id()));
        assertEquals(6, populationChanges(c.id()).size());
        // the outbox rows are pending for the relay like any other
        assertTrue(outbox.pending(10_000).stream().anyMatch(e -> e.eventId().equals(in.id())
                && e.stream().equals(Streams.POPULATION_CHANGES) && c.id().equals(e.communityId())));
    }

    @Test
    void removingAResidentKeepsConsentsAndRevokesCredentials() throws Exception {
        Community c = community();
        Scope scope = Scope.of(c.id());
        Resident r = resident(c, "Gao", ResidentRole.OWNER);
        Resident stays = households.addResident(scope, r.householdId(), "Gao Er", ResidentRole.CO_RESIDENT, null,
                null, null, null, null);
        Credential card = credentials.issue(scope, r.id(), CredentialKind.ID_CARD, "hmac-gao");
        Credential face = credentials.issue(scope, r.id(), CredentialKind.FACE, "template-1");
        Credential old = credentials.revoke(scope, credentials.issue(scope, r.id(), CredentialKind.PIN, "pin").id());
        Consent consent = consents.give(scope, r.id(), Consent.PURPOSE_FACE_ACCESS, "v1", "paper", "clerk");
        long residentsBefore = communities.counts(scope).get("residents");

        households.removeResident(scope, r.id());

        assertTrue(households.resident(scope, r.id()).isEmpty());
        assertTrue(households.resident(Scope.all(), r.id()).isEmpty());
        assertEquals(List.of(stays), households.residents(scope, r.householdId()));
        assertTrue(households.residents(scope, null).stream().noneMatch(x -> x.id().equals(r.id())));
        assertEquals(residentsBefore - 1, communities.counts(scope).get("residents"));
        // consents kept unchanged (legal trail), still readable
        assertEquals(List.of(consent), consents.consents(scope, r.id()));
        // credentials kept, all revoked; an already revoked one keeps its time
        List<Credential> after = credentials.credentials(scope, r.id());
        assertEquals(3, after.size());
        assertTrue(after.stream().noneMatch(Credential::isActive));
        assertEquals(old, after.stream().filter(x -> x.id().equals(old.id())).findFirst().orElseThrow());
        assertTrue(credentials.active(scope, c.id(), CredentialKind.ID_CARD, "hmac-gao").isEmpty());
        assertTrue(credentials.active(scope, c.id(), CredentialKind.FACE, face.reference()).isEmpty());
        // the row is kept, marked removed
        assertEquals(1, rows("select count(*) from resident where id = ? and removed_at is not null", r.id()));
        assertEquals(1, rows("select count(*) from consent where resident_id = ?", r.id()));

        // a removed resident is gone for every change
        assertThrows(NotFoundException.class, () -> households.removeResident(scope, r.id()));
        assertThrows(NotFoundException.class, () -> households.updateResident(scope, r));
        assertThrows(NotFoundException.class, () -> credentials.issue(scope, r.id(), CredentialKind.CARD, "1"));
        assertThrows(NotFoundException.class, () -> consents.give(scope, r.id(), "sms", "v1", "app", "me"));
        // ...but the person may still withdraw, and the card's reference is free again
        assertNotNull(consents.withdraw(scope, consent.id()).withdrawnAt());
        assertEquals(stays.id(), credentials.issue(scope, stays.id(), CredentialKind.ID_CARD, card.reference())
                .residentId());
    }

    // ---------------------------------------------------------------- credential changes in the change's transaction

    /** Every credential change of a resident in the outbox (published or not), in sequence order. */
    private List<CredentialChange> credentialChanges(String residentId) throws Exception {
        List<CredentialChange> result = new java.util.ArrayList<>();
        try (Connection connection = store.dataSource().getConnection();
             java.sql.PreparedStatement st = connection.prepareStatement(
                     "select event_id, payload from outbox where stream = ? order by sequence")) {
            st.setString(1, Streams.CREDENTIAL_CHANGES);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    CredentialChange change = Json.read(rs.getString(2), CredentialChange.class);
                    if (change.residentId().equals(residentId)) {
                        assertEquals(rs.getString(1), change.id());
                        result.add(change);
                    }
                }
            }
        }
        return result;
    }

    private static List<String> changeNames(List<CredentialChange> changes) {
        return changes.stream().map(c -> c.change() + (c.credentialId() == null ? "" : " " + c.credentialId()))
                .toList();
    }

    private FaceTemplateRepository.StoredTemplate template(Community c, Resident r) {
        return templates.save(Scope.of(c.id()), c.id(), r.id(), "m1", new float[] {0.6f, 0.8f});
    }

    @Test
    void credentialChangesAreWrittenWithTheChangeThatCausesThem() throws Exception {
        Community c = community();
        Scope scope = Scope.of(c.id());
        Resident r = resident(c, "Xu", ResidentRole.OWNER);
        Credential app = credentials.issue(scope, r.id(), CredentialKind.APP_TOKEN, "sealed-xu");
        Credential card = credentials.issue(scope, r.id(), CredentialKind.CARD, "hmac-card-xu");
        assertEquals(List.of("ISSUED " + app.id(), "ISSUED " + card.id()), changeNames(credentialChanges(r.id())));
        CredentialChange issued = credentialChanges(r.id()).get(0);
        assertEquals(c.id(), issued.communityId());
        assertEquals(CredentialKind.APP_TOKEN, issued.kind());

        credentials.revoke(scope, card.id());
        credentials.revoke(scope, card.id());
        assertEquals(List.of("ISSUED " + app.id(), "ISSUED " + card.id(), "REVOKED " + card.id()),
                changeNames(credentialChanges(r.id())), "revoking twice writes one event");
        assertEquals(1, rows("select count(*) from outbox where stream = 'credential-changes' and community_id = ? "
                + "and payload like '%REVOKED%'", c.id()));

        // faces end together: templates deleted, face credentials revoked, FACE_DELETED last
        FaceTemplateRepository.StoredTemplate t1 = template(c, r);
        FaceTemplateRepository.StoredTemplate t2 = template(c, r);
        Credential f1 = credentials.issue(scope, r.id(), CredentialKind.FACE, t1.id());
        Credential f2 = credentials.issue(scope, r.id(), CredentialKind.FACE, t2.id());
        int before = credentialChanges(r.id()).size();
        CredentialRepository.FacesEnded ended = credentials.endFaces(scope, r.id(), false);
        assertEquals(2, ended.templatesDeleted());
        assertEquals(List.of(f1.id(), f2.id()), ended.revoked().stream().map(Credential::id).toList());
        assertTrue(templates.templatesOf(scope, r.id()).isEmpty());
        List<CredentialChange> changes = credentialChanges(r.id());
        assertEquals(List.of("REVOKED " + f1.id(), "REVOKED " + f2.id(), "FACE_DELETED"),
                changeNames(changes.subList(before, changes.size())));
        assertEquals(CredentialKind.FACE, changes.get(changes.size() - 1).kind());
        // nothing left: no event unless asked to be sure
        assertEquals(0, credentials.endFaces(scope, r.id(), false).templatesDeleted());
        assertEquals(changes.size(), credentialChanges(r.id()).size());
        credentials.endFaces(scope, r.id(), true);
        assertEquals("FACE_DELETED", changeNames(credentialChanges(r.id())).get(changes.size()));
        assertThrows(NotFoundException.class, () -> credentials.endFaces(Scope.of("elsewhere"), r.id(), true));

        // withdrawing the last face-access consent ends the faces in the same transaction
        Consent paper = consents.give(scope, r.id(), Consent.PURPOSE_FACE_ACCESS, "v1", "paper", "clerk");
        Consent app2 = consents.give(scope, r.id(), Consent.PURPOSE_FACE_ACCESS, "v2", "app", "self");
        FaceTemplateRepository.StoredTemplate t3 = template(c, r);
        Credential f3 = credentials.issue(scope, r.id(), CredentialKind.FACE, t3.id());
        assertNull(consents.withdrawConsent(scope, paper.id()).facesEnded(), "another face-access consent is in force");
        assertEquals(1, templates.templatesOf(scope, r.id()).size());
        before = credentialChanges(r.id()).size();
        ConsentRepository.Withdrawal last = consents.withdrawConsent(scope, app2.id());
        assertFalse(last.consent().isInForce());
        assertEquals(1, last.facesEnded().templatesDeleted());
        assertEquals(List.of(f3.id()), last.facesEnded().revoked().stream().map(Credential::id).toList());
        changes = credentialChanges(r.id());
        assertEquals(List.of("REVOKED " + f3.id(), "FACE_DELETED"), changeNames(changes.subList(before, changes.size())));
        assertTrue(templates.templatesOf(scope, r.id()).isEmpty());
        assertThrows(NotFoundException.class, () -> consents.withdrawConsent(Scope.of("elsewhere"), app2.id()));

        // move-out: every credential revoked with its event, faces too, in the removal's transaction
        FaceTemplateRepository.StoredTemplate t4 = template(c, r);
        consents.give(scope, r.id(), Consent.PURPOSE_FACE_ACCESS, "v3", "paper", "clerk");
        Credential f4 = credentials.issue(scope, r.id(), CredentialKind.FACE, t4.id());
        before = credentialChanges(r.id()).size();
        households.removeResident(scope, r.id());
        changes = credentialChanges(r.id());
        assertEquals(List.of("REVOKED " + f4.id(), "FACE_DELETED", "REVOKED " + app.id()),
                changeNames(changes.subList(before, changes.size())));
        assertTrue(templates.templatesOf(Scope.all(), r.id()).isEmpty());
        assertEquals("removed, 2 credential(s) revoked", populationChanges(c.id()).stream()
                .filter(p -> p.type() == PopulationChangeType.MOVE_OUT).findFirst().orElseThrow().detail());
        // a removed resident's faces can still be ended (a late withdrawal), and tell the terminals
        assertEquals(0, credentials.endFaces(scope, r.id(), true).templatesDeleted());
        assertEquals(changes.size() + 1, credentialChanges(r.id()).size());
    }

    /** Makes the database refuse the outbox row of any REVOKED event of this resident, while it exists. */
    private AutoCloseable refuseRevokedEventsOf(String residentId) throws Exception {
        String name = "ck_test_" + UUID.randomUUID().toString().substring(0, 8);
        jdbc("alter table outbox add constraint " + name + " check (payload not like '%\"change\":\"REVOKED\"%' "
                + "or payload not like '%" + residentId + "%')");
        return () -> jdbc("alter table outbox drop constraint " + name);
    }

    @Test
    void aRevocationAndItsEventCommitTogetherOrNotAtAll() throws Exception {
        Community c = community();
        Scope scope = Scope.of(c.id());
        Resident r = resident(c, "He", ResidentRole.TENANT);
        Credential app = credentials.issue(scope, r.id(), CredentialKind.APP_TOKEN, "sealed-he");
        Credential card = credentials.issue(scope, r.id(), CredentialKind.CARD, "hmac-card-he");
        FaceTemplateRepository.StoredTemplate t = template(c, r);
        Credential face = credentials.issue(scope, r.id(), CredentialKind.FACE, t.id());
        Consent consent = consents.give(scope, r.id(), Consent.PURPOSE_FACE_ACCESS, "v1", "paper", "clerk");
        List<CredentialChange> start = credentialChanges(r.id());
        int moveOuts = populationChanges(c.id()).size();

        // the event cannot be written: every path that ends a credential rolls its change back
        try (AutoCloseable refused = refuseRevokedEventsOf(r.id())) {
            assertThrows(RuntimeException.class, () -> credentials.revoke(scope, card.id()));
            assertThrows(RuntimeException.class, () -> credentials.endFaces(scope, r.id(), true));
            assertThrows(RuntimeException.class, () -> consents.withdrawConsent(scope, consent.id()));
            assertThrows(RuntimeException.class, () -> households.removeResident(scope, r.id()));
        }
        assertEquals(start, credentialChanges(r.id()), "no event without its change");
        assertTrue(credentials.credentials(scope, r.id()).stream().allMatch(Credential::isActive), "nothing revoked");
        assertEquals(1, templates.templatesOf(scope, r.id()).size(), "the template is still there");
        assertTrue(consents.consents(scope, r.id()).get(0).isInForce(), "the withdrawal rolled back too");
        assertTrue(households.resident(scope, r.id()).isPresent(), "the move-out rolled back too");
        assertEquals(moveOuts, populationChanges(c.id()).size());

        // the revoke cannot be written: no event either
        String name = "ck_test_" + UUID.randomUUID().toString().substring(0, 8);
        jdbc("alter table credential add constraint " + name + " check (revoked_at is null or id <> '" + card.id() + "')");
        try {
            assertThrows(RuntimeException.class, () -> credentials.revoke(scope, card.id()));
            assertThrows(RuntimeException.class, () -> households.removeResident(scope, r.id()));
        } finally {
            jdbc("alter table credential drop constraint " + name);
        }
        assertEquals(start, credentialChanges(r.id()));
        assertTrue(credentials.credential(scope, card.id()).orElseThrow().isActive());

        // and once both can be written, both are
        credentials.revoke(scope, card.id());
        List<CredentialChange> after = credentialChanges(r.id());
        assertEquals("REVOKED " + card.id(), changeNames(after).get(after.size() - 1));
        assertTrue(credentials.credential(scope, face.id()).orElseThrow().isActive());
        assertTrue(credentials.credential(scope, app.id()).orElseThrow().isActive());
    }

    // ---------------------------------------------------------------- face enrollment under the resident's lock

    private static final float[] FACE = {0.6f, 0.8f};

    @Test
    void aResidentsFaceIsSavedWithItsCredentialOnlyWhileConsentIsInForce() throws Exception {
        Community c = community();
        Scope scope = Scope.of(c.id());
        Resident r = resident(c, "Qian", ResidentRole.TENANT);
        String face = Consent.PURPOSE_FACE_ACCESS;
        PreconditionFailedException noConsent = assertThrows(PreconditionFailedException.class,
                () -> templates.saveResidentFace(scope, r.id(), "m1", FACE, face));
        assertEquals(PreconditionFailedException.Reason.CONSENT_NOT_IN_FORCE, noConsent.reason());
        assertEquals("CONSENT_NOT_IN_FORCE", noConsent.code());
        Consent consent = consents.give(scope, r.id(), face, "v1", "paper", "clerk");
        PreconditionFailedException noOther = assertThrows(PreconditionFailedException.class,
                () -> templates.saveResidentFace(scope, r.id(), "m1", FACE, face));
        assertEquals(PreconditionFailedException.Reason.NO_NON_FACE_CREDENTIAL, noOther.reason());
        assertEquals(0, rows("select count(*) from face_template where subject_id = ?", r.id()));
        Credential app = credentials.issue(scope, r.id(), CredentialKind.APP_TOKEN, "sealed-qian");

        FaceTemplateRepository.ResidentFace saved = templates.saveResidentFace(scope, r.id(), "m1", FACE, face);
        assertEquals(c.id(), saved.template().communityId());
        assertEquals(CredentialKind.FACE, saved.credential().kind());
        assertEquals(saved.template().id(), saved.credential().reference());
        assertVector(FACE, templates.templatesOf(scope, r.id()).get(0));
        assertEquals("ISSUED " + saved.credential().id(), changeNames(credentialChanges(r.id())).get(1));
        assertThrows(NotFoundException.class, () -> templates.saveResidentFace(Scope.of("elsewhere"), r.id(), "m1",
                FACE, face));

        // a FACE credential and its template end together, from either side
        credentials.revoke(scope, saved.credential().id());
        assertTrue(templates.templatesOf(scope, r.id()).isEmpty());
        FaceTemplateRepository.ResidentFace again = templates.saveResidentFace(scope, r.id(), "m1", FACE, face);
        templates.delete(scope, again.template().id());
        assertFalse(credentials.credential(scope, again.credential().id()).orElseThrow().isActive());
        List<String> names = changeNames(credentialChanges(r.id()));
        assertEquals("REVOKED " + again.credential().id(), names.get(names.size() - 1));

        // withdrawn: refused, nothing written; removed: not found
        consents.withdraw(scope, consent.id());
        assertThrows(PreconditionFailedException.class, () -> templates.saveResidentFace(scope, r.id(), "m1", FACE, face));
        assertEquals(0, rows("select count(*) from face_template where subject_id = ?", r.id()));
        assertEquals(0, rows("select count(*) from credential where resident_id = ? and revoked_at is null "
                + "and kind = 'FACE'", r.id()));
        consents.give(scope, r.id(), face, "v2", "app", "self");
        households.removeResident(scope, r.id());
        assertThrows(NotFoundException.class, () -> templates.saveResidentFace(scope, r.id(), "m1", FACE, face));
        assertFalse(credentials.credential(scope, app.id()).orElseThrow().isActive());
    }

    @Test
    void aTerminalPhotoIsSealedInItsTemplatesRowAndGoesWithIt() throws Exception {
        Community c = community();
        Scope scope = Scope.of(c.id());
        Resident r = resident(c, "Sun", ResidentRole.TENANT);
        credentials.issue(scope, r.id(), CredentialKind.APP_TOKEN, "sealed-sun");
        Consent consent = consents.give(scope, r.id(), Consent.PURPOSE_FACE_ACCESS, "v1", "paper", "clerk");
        assertTrue(templates.terminalPhoto(r.id()).isEmpty(), "none kept before an enrolment");
        byte[] jpeg = "\u00ff\u00d8 a face photo".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThrows(IllegalArgumentException.class, () -> templates.saveResidentFace(scope, r.id(), "m1", FACE,
                Consent.PURPOSE_FACE_ACCESS, new byte[200_001]));

        FaceTemplateRepository.ResidentFace first = templates.saveResidentFace(scope, r.id(), "m1", FACE,
                Consent.PURPOSE_FACE_ACCESS, jpeg);
        assertArrayEquals(jpeg, templates.terminalPhoto(r.id()).orElseThrow().jpeg());
        assertEquals(first.template().id(), templates.terminalPhoto(r.id()).orElseThrow().templateId());
        // sealed, never in clear
        byte[] stored = rawBytes("select photo_ciphertext from face_template where id = ?", first.template().id());
        assertFalse(new String(stored, java.nio.charset.StandardCharsets.ISO_8859_1).contains("a face photo"));
        // a second face without a photo leaves the first's photo the one given
        templates.saveResidentFace(scope, r.id(), "m1", FACE, Consent.PURPOSE_FACE_ACCESS);
        assertEquals(first.template().id(), templates.terminalPhoto(r.id()).orElseThrow().templateId());
        // copied into another row, the ciphertext does not open
        Resident other = resident(c, "Zhou", ResidentRole.TENANT);
        FaceTemplateRepository.StoredTemplate foreign = templates.save(scope, c.id(), other.id(), "m1", FACE);
        jdbc("update face_template set photo_iv = (select photo_iv from face_template where id = '"
                + first.template().id() + "'), photo_ciphertext = (select photo_ciphertext from face_template where id = '"
                + first.template().id() + "'), key_id = (select key_id from face_template where id = '"
                + first.template().id() + "') where id = '" + foreign.id() + "'");
        assertThrows(TemplateUnreadableException.class, () -> templates.terminalPhoto(other.id()));
        templates.delete(scope, foreign.id());

        // key rotation re-seals the photo too; it still opens
        keys.rotateKey();
        templates.reencryptAll();
        assertArrayEquals(jpeg, templates.terminalPhoto(r.id()).orElseThrow().jpeg());

        // withdrawal deletes the faces, and the photo with them
        consents.withdraw(scope, consent.id());
        assertTrue(templates.terminalPhoto(r.id()).isEmpty());
        assertEquals(0, rows("select count(*) from face_template where subject_id = ?", r.id()));
    }

    @Test
    void aWithdrawalCommittedWhileTheEnrollmentWaitsForTheResidentsLockIsSeen() throws Exception {
        Community c = community();
        Scope scope = Scope.of(c.id());
        Resident r = resident(c, "Zhao", ResidentRole.TENANT);
        credentials.issue(scope, r.id(), CredentialKind.APP_TOKEN, "sealed-zhao");
        Consent consent = consents.give(scope, r.id(), Consent.PURPOSE_FACE_ACCESS, "v1", "paper", "clerk");
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Connection withdrawal = store.dataSource().getConnection()) {
            // a withdrawal in progress: it holds the resident's row lock and has not committed yet
            withdrawal.setAutoCommit(false);
            try (java.sql.PreparedStatement lock = withdrawal.prepareStatement(
                    "select id from resident where id = ? for update")) {
                lock.setString(1, r.id());
                lock.executeQuery().close();
            }
            // the engine is done: the enrollment's transaction starts and waits for the lock
            Future<FaceTemplateRepository.ResidentFace> enrollment = pool.submit(() -> templates.saveResidentFace(
                    scope, r.id(), "m1", FACE, Consent.PURPOSE_FACE_ACCESS));
            Thread.sleep(700);
            assertFalse(enrollment.isDone(), "the enrollment waits for the resident's row lock");
            try (java.sql.PreparedStatement withdraw = withdrawal.prepareStatement(
                    "update consent set withdrawn_at = ? where id = ?")) {
                withdraw.setObject(1, java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC));
                withdraw.setString(2, consent.id());
                withdraw.executeUpdate();
            }
            withdrawal.commit();
            java.util.concurrent.ExecutionException refused = assertThrows(
                    java.util.concurrent.ExecutionException.class, () -> enrollment.get(10, java.util.concurrent.TimeUnit.SECONDS));
            assertInstanceOf(PreconditionFailedException.class, refused.getCause(), String.valueOf(refused.getCause()));
        } finally {
            pool.shutdownNow();
        }
        assertEquals(0, rows("select count(*) from face_template where subject_id = ?", r.id()), "no template");
        assertEquals(0, rows("select count(*) from credential where resident_id = ? and kind = 'FACE'", r.id()),
                "no face credential");
    }

    @Test
    void enrollmentsRacingWithdrawalsNeverLeaveAFaceWithoutConsent() throws Exception {
        Community c = community();
        Scope scope = Scope.of(c.id());
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 8; round++) {
                Resident r = resident(c, "R" + round, ResidentRole.TENANT);
                credentials.issue(scope, r.id(), CredentialKind.APP_TOKEN, "sealed-" + r.id());
                Consent consent = consents.give(scope, r.id(), Consent.PURPOSE_FACE_ACCESS, "v1", "paper", "clerk");
                java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
                Future<?> enroll = pool.submit(() -> {
                    go.await();
                    try {
                        return templates.saveResidentFace(scope, r.id(), "m1", FACE, Consent.PURPOSE_FACE_ACCESS);
                    } catch (PreconditionFailedException refused) {
                        return null; // the withdrawal came first
                    }
                });
                Future<?> withdraw = pool.submit(() -> {
                    go.await();
                    return consents.withdrawConsent(scope, consent.id());
                });
                go.countDown();
                enroll.get(20, java.util.concurrent.TimeUnit.SECONDS);
                withdraw.get(20, java.util.concurrent.TimeUnit.SECONDS);
                assertFalse(consents.consents(scope, r.id()).get(0).isInForce());
                assertEquals(0, rows("select count(*) from face_template where subject_id = ?", r.id()),
                        "round " + round + ": a template outlived the consent");
                assertEquals(0, rows("select count(*) from credential where resident_id = ? and kind = 'FACE' "
                        + "and revoked_at is null", r.id()), "round " + round + ": a face credential outlived the consent");
            }
        } finally {
            pool.shutdownNow();
        }
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

    /**
     * A consumer reads a stream by sequence and moves its position on, so an event written by a transaction that
     * commits after a later-started one must still come after what the consumer has already taken: an event is never
     * numbered below one already visible (else the consumer passes over it for good — a revocation a terminal never
     * hears of).
     */
    @Test
    void anEventCommittedLateIsNotPassedOverByAConsumerThatReadAnEarlierCommit() throws Exception {
        var consumers = new org.gatehouse.store.internal.repo.StreamConsumersImpl(store);
        String tag = unique("late");
        String stream = tag; // a stream of its own: other tests read the real ones
        long start = consumers.newest(stream);
        java.util.concurrent.CountDownLatch written = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            // a transaction writes its event first, then still works (a slow change) before it commits
            Future<?> slow = pool.submit(() -> store.write(context -> {
                outbox.append(stream, tag + "-slow", null, "{}");
                written.countDown();
                try {
                    release.await(20, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return null;
            }));
            assertTrue(written.await(10, java.util.concurrent.TimeUnit.SECONDS));
            outbox.append(stream, tag + "-quick", null, "{}"); // another transaction commits meanwhile
            var first = consumers.after(stream, start, 100);
            assertEquals(List.of(tag + "-quick"), first.stream().map(e -> e.eventId()).toList());
            long position = first.get(0).sequence(); // the consumer took it and moved on
            release.countDown();
            slow.get(20, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(List.of(tag + "-slow"), consumers.after(stream, position, 100).stream().map(e -> e.eventId())
                    .toList(), "the late commit comes after the consumer's position");
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    /** Many writers at once and a consumer following by position: it sees every event, each once. */
    @Test
    void aConsumerFollowingConcurrentWritersMissesNoEvent() throws Exception {
        var consumers = new org.gatehouse.store.internal.repo.StreamConsumersImpl(store);
        String tag = unique("many");
        String stream = tag;
        long position = consumers.newest(stream);
        int writers = 6;
        int each = 60;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<?>> running = new java.util.ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            running.add(pool.submit(() -> {
                for (int i = 0; i < each; i++) {
                    outbox.append(stream, tag + "-" + writer + "-" + i, null, "{}");
                }
            }));
        }
        java.util.Set<String> seen = new java.util.HashSet<>();
        int duplicates = 0;
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            boolean done = running.stream().allMatch(Future::isDone);
            for (var e : consumers.after(stream, position, 50)) {
                position = e.sequence();
                if (e.eventId().startsWith(tag) && !seen.add(e.eventId())) {
                    duplicates++;
                }
            }
            if (done && consumers.after(stream, position, 1).isEmpty()) {
                break;
            }
        }
        pool.shutdown();
        for (Future<?> f : running) {
            f.get();
        }
        assertEquals(0, duplicates);
        assertEquals(writers * each, seen.size(), "events the following consumer saw");
    }

    /**
     * Each consumer of a stream keeps its own position: registered where it says, moved by what it took or gave up
     * on (a dead letter), backing off after a failure; events every consumer took are marked published.
     */
    @Test
    void streamConsumersKeepTheirOwnPositionsBackOffAndDeadLetters() {
        var consumers = new org.gatehouse.store.internal.repo.StreamConsumersImpl(store);
        String stream = "alerts";
        long before = consumers.newest(stream);
        String tag = unique("sc");
        Instant t0 = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        var now = consumers.register(tag + "/now", stream, StreamConsumers.StartAt.NOW);
        assertEquals(before, now.position());
        assertEquals(now, consumers.register(tag + "/now", stream, StreamConsumers.StartAt.OLDEST), "registered once");
        outbox.append(stream, tag + "-e1", null, "{\"n\":1}");
        outbox.append(stream, tag + "-e2", null, "{\"n\":2}");
        outbox.append(stream, tag + "-e3", null, "{\"n\":3}");
        var events = consumers.after(stream, now.position(), 10);
        assertEquals(List.of(tag + "-e1", tag + "-e2", tag + "-e3"), events.stream().map(e -> e.eventId()).toList());
        assertEquals(0, consumers.register(tag + "/oldest", stream, StreamConsumers.StartAt.OLDEST).position());
        assertEquals(before, consumers.register(tag + "/time", stream, StreamConsumers.StartAt.at(t0)).position(),
                "from a time: before the first event written at or after it");

        consumers.delivered(tag + "/now", events.get(0).sequence(), t0);
        Instant next = t0.plusSeconds(4);
        assertEquals(1, consumers.failed(tag + "/now", "registry answered 422", t0, next));
        assertEquals(2, consumers.failed(tag + "/now", "registry answered 422", t0, next));
        var failing = consumers.consumer(tag + "/now").orElseThrow();
        assertEquals(List.of(events.get(0).sequence(), 2, "registry answered 422"),
                List.of(failing.position(), failing.attempts(), failing.lastError()));
        assertEquals(next, failing.nextAttemptAt());
        assertEquals(t0, failing.lastSuccessAt());

        var dead = consumers.deadLetter(tag + "/now", events.get(1), 3, "registry answered 422", t0);
        assertEquals(List.of(tag + "-e2", 3, "OPEN", stream), List.of(dead.eventId(), dead.attempts(), dead.status(),
                dead.stream()));
        var moved = consumers.consumer(tag + "/now").orElseThrow();
        assertEquals(events.get(1).sequence(), moved.position(), "past the dead letter");
        assertEquals(0, moved.attempts());
        assertNull(moved.nextAttemptAt());
        assertEquals(List.of(dead), consumers.deadLetters(tag + "/now", true, 10));
        assertTrue(consumers.deadLetters(tag + "/oldest", true, 10).isEmpty());
        assertTrue(consumers.consumers().stream().anyMatch(c -> c.consumerId().equals(tag + "/time")));
        assertThrows(NotFoundException.class, () -> consumers.delivered(tag + "/nobody", 1, t0));

        long pending = outbox.pendingCount();
        consumers.markPublishedUpTo(stream, events.get(2).sequence());
        assertTrue(outbox.pendingCount() <= pending - 3, "the three events are published");
        assertEquals(events.get(2).sequence(), consumers.newest(stream));
    }

    @Test
    void deadLettersAreResolvedOnceAndRetentionKeepsTheEventsOfOpenOnes() throws Exception {
        var consumers = new org.gatehouse.store.internal.repo.StreamConsumersImpl(store);
        String stream = unique("dl");
        String id = unique("c") + "/route";
        consumers.register(id, stream, StreamConsumers.StartAt.OLDEST);
        for (int i = 1; i <= 3; i++) {
            outbox.append(stream, "e" + i, null, "{\"n\":" + i + "}");
        }
        var events = consumers.after(stream, 0, 10);
        Instant t0 = Instant.parse("2026-12-01T08:00:00Z");
        Instant t1 = t0.plusSeconds(600);
        Instant t2 = t0.plusSeconds(1200);

        // failing since the first failure without a success, through dead letters, until a success
        consumers.failed(id, "registry answered 503", t0, t0.plusSeconds(1));
        consumers.failed(id, "registry answered 503", t0.plusSeconds(5), t0.plusSeconds(9));
        assertEquals(t0, consumers.consumer(id).orElseThrow().failingSince());
        var first = consumers.deadLetter(id, events.get(0), 3, "registry answered 503", t0.plusSeconds(9));
        var second = consumers.deadLetter(id, events.get(1), 3, "registry answered 422", t0.plusSeconds(20));
        assertEquals(t0, consumers.consumer(id).orElseThrow().failingSince(), "still failing after dead letters");
        consumers.delivered(id, events.get(2).sequence(), t1);
        assertNull(consumers.consumer(id).orElseThrow().failingSince(), "a success ends it");

        assertEquals(first, consumers.deadLetter(first.id()).orElseThrow());
        assertTrue(consumers.deadLetter(Long.MAX_VALUE).isEmpty());
        assertEquals("{\"n\":1}", consumers.deadLetterEvent(first.id()).orElseThrow().payloadJson());
        var again = consumers.replayFailed(first.id(), "registry answered 500", t1);
        assertEquals(List.of("OPEN", 4, "registry answered 500", t1), List.of(again.status(), again.attempts(),
                again.error(), again.failedAt()));

        // every event published and old: retention keeps the two the open dead letters name
        consumers.markPublishedUpTo(stream, events.get(2).sequence());
        jdbc("update outbox set published_at = ? where stream = ?", java.time.OffsetDateTime.parse(
                "2001-06-01T00:00:00Z"), stream);
        Instant cutoff = Instant.parse("2002-01-01T00:00:00Z");
        assertTrue(retention.purgePublishedOutbox(cutoff) >= 1);
        assertEquals(2, rows("select count(*) from outbox where stream = ?", stream));
        assertTrue(consumers.deadLetterEvent(first.id()).isPresent());

        // resolved once: by whom, when, why; a second time is refused saying by whom and when
        var replayed = consumers.resolve(first.id(), "REPLAYED", "shell:admin", t2, null);
        assertEquals(List.of("REPLAYED", "shell:admin", t2), List.of(replayed.status(), replayed.resolvedBy(),
                replayed.resolvedAt()));
        ConflictException twice = assertThrows(ConflictException.class,
                () -> consumers.resolve(first.id(), "SKIPPED", "api-user", t2, "no"));
        assertTrue(twice.getMessage().contains("REPLAYED by shell:admin at " + t2), twice.getMessage());
        assertThrows(ConflictException.class, () -> consumers.replayFailed(first.id(), "late", t2));
        assertThrows(NotFoundException.class, () -> consumers.resolve(Long.MAX_VALUE, "SKIPPED", "x", t2, null));
        assertThrows(IllegalArgumentException.class, () -> consumers.resolve(second.id(), "OPEN", "x", t2, null));
        var skipped = consumers.resolve(second.id(), "SKIPPED", "ops", t2, "the partner deleted that record");
        assertEquals(List.of("SKIPPED", "ops", "the partner deleted that record"), List.of(skipped.status(),
                skipped.resolvedBy(), skipped.resolution()));
        assertTrue(consumers.deadLetters(id, true, 10).isEmpty());
        assertEquals(List.of(skipped, replayed), consumers.deadLetters(id, false, 10));

        // once resolved, their events go too; a consumer asking for them now is told
        assertEquals(2, retention.purgePublishedOutbox(cutoff));
        assertEquals(0, rows("select count(*) from outbox where stream = ?", stream));
        assertNull(consumers.consumer(id).orElseThrow().startNote(), "registered before the purge");
        String oldest = consumers.register(id + "-late", stream, StreamConsumers.StartAt.OLDEST).startNote();
        assertTrue(oldest != null && oldest.startsWith("asked for events from the oldest; the oldest kept is none")
                && oldest.contains("retention removed earlier ones"), oldest);
        outbox.append(stream, "e4", null, "{}");
        Instant from = Instant.parse("2000-01-01T00:00:00Z");
        String timed = consumers.register(id + "-timed", stream, StreamConsumers.StartAt.at(from)).startNote();
        Instant kept = consumers.after(stream, 0, 1).get(0).createdAt();
        assertTrue(timed.startsWith("asked for events from " + from + "; the oldest kept is " + kept), timed);
        assertNull(consumers.register(id + "-later", stream,
                StreamConsumers.StartAt.at(Instant.now().plusSeconds(60))).startNote(), "nothing it asked for is gone");
        assertNull(consumers.register(id + "-now", stream, StreamConsumers.StartAt.NOW).startNote());
    }

    @Test
    void retentionKeepsAPassageWhoseEventAnOpenDeadLetterNames() throws Exception {
        var consumers = new org.gatehouse.store.internal.repo.StreamConsumersImpl(store);
        Community c = community();
        Scope scope = Scope.of(c.id());
        PassageEvent old = subjectPassage(c.id(), unique("dead"), "s", Instant.parse("2001-03-01T00:00:00Z"));
        passages.record(old);
        String id = org.gatehouse.api.stream.Streams.PASSAGES + "/" + unique("route");
        consumers.register(id, org.gatehouse.api.stream.Streams.PASSAGES, StreamConsumers.StartAt.OLDEST);
        var entry = outbox.pending(10_000).stream().filter(e -> e.eventId().equals(old.id())).findFirst().orElseThrow();
        var letter = consumers.deadLetter(id, entry, 10, "police feed down", Instant.now());
        outbox.markPublished(entry.sequence());
        Instant cutoff = Instant.parse("2002-01-01T00:00:00Z");
        retention.purgePassages(cutoff);
        assertTrue(passages.passage(scope, old.id()).isPresent(), "an open dead letter can still be replayed");
        assertEquals(1, rows("select count(*) from outbox where event_id = ?", old.id()));
        consumers.resolve(letter.id(), "SKIPPED", "ops", Instant.now(), "test");
        assertEquals(1, retention.purgePassages(cutoff));
        assertTrue(passages.passage(scope, old.id()).isEmpty());
        assertEquals(0, rows("select count(*) from outbox where event_id = ?", old.id()));
    }

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
    void passagesRecordedTogetherAreOneCommitWithTheirOutboxEntriesAndDuplicatesAreSkipped() throws Exception {
        Community c = community();
        Scope scope = Scope.of(c.id());
        PassageEvent earlier = passageEvent(c.id(), unique("g"), Instant.parse("2026-11-23T08:00:00Z"));
        assertTrue(passages.record(earlier));
        long pendingBefore = outbox.pendingCount();
        PassageEvent a = passageEvent(c.id(), unique("g"), Instant.parse("2026-11-23T08:00:01Z"));
        PassageEvent b = passageEvent(c.id(), unique("g"), Instant.parse("2026-11-23T08:00:02Z"));
        assertEquals(List.of(true, false, true, false), passages.recordAll(List.of(a, earlier, b, a)),
                "new, stored before, new, repeated within the batch");
        assertEquals(3, passages.count(scope));
        assertEquals(b, passages.passage(scope, b.id()).orElseThrow());
        assertEquals(pendingBefore + 2, outbox.pendingCount());

        // all or nothing: a batch whose second passage cannot be stored leaves no trace of the first
        PassageEvent fine = passageEvent(c.id(), unique("g"), Instant.parse("2026-11-23T08:00:03Z"));
        PassageEvent tooLong = passageEvent(c.id(), unique("g") + "x".repeat(300), Instant.parse("2026-11-23T08:00:04Z"));
        assertThrows(RuntimeException.class, () -> passages.recordAll(List.of(fine, tooLong)));
        assertTrue(passages.passage(scope, fine.id()).isEmpty(), "rolled back with the batch");
        assertEquals(pendingBefore + 2, outbox.pendingCount());
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
    void passagesCountedPerHourAndDayOfTheCommunitysZone() {
        Community c = community();
        Scope scope = Scope.of(c.id());
        java.time.ZoneId shanghai = java.time.ZoneId.of("Asia/Shanghai");
        Instant nine = Instant.parse("2026-03-02T01:00:00Z"); // 09:00 in Shanghai
        passages.record(passageEvent(c.id(), unique("n"), nine.plusSeconds(60)));
        passages.record(passageEvent(c.id(), unique("n"), nine.plusSeconds(3599)));
        PassageEvent out = passageEvent(c.id(), unique("n"), nine.plusSeconds(3600));
        passages.record(new PassageEvent(out.id(), c.id(), "dev-2", out.occurredAt(), Direction.OUT,
                SubjectType.RESIDENT, "res-1", CredentialKind.CARD, out.decision()));
        PassageEvent denied = passageEvent(c.id(), unique("n"), nine.plusSeconds(3700));
        passages.record(new PassageEvent(denied.id(), c.id(), "dev-1", denied.occurredAt(), Direction.IN,
                SubjectType.STRANGER, null, CredentialKind.FACE, new AccessDecision(Verdict.DENY, List.of(), Map.of())));
        passages.record(passageEvent(c.id(), unique("n"), Instant.parse("2026-03-02T16:30:00Z"))); // 00:30 on 3 March
        passages.record(passageEvent(c.id(), unique("n"), Instant.parse("2026-03-10T01:00:00Z"))); // outside

        List<PassageRepository.Count> hours = passages.counts(scope, c.id(), Instant.parse("2026-03-01T16:00:00Z"),
                Instant.parse("2026-03-02T16:00:00Z"), shanghai, java.time.temporal.ChronoUnit.HOURS);
        assertEquals(List.of(new PassageRepository.Count(nine, 2, 0, 0),
                new PassageRepository.Count(nine.plusSeconds(3600), 0, 1, 1)), hours);
        List<PassageRepository.Count> days = passages.counts(scope, c.id(), Instant.parse("2026-03-01T16:00:00Z"),
                Instant.parse("2026-03-03T16:00:00Z"), shanghai, java.time.temporal.ChronoUnit.DAYS);
        assertEquals(List.of(new PassageRepository.Count(Instant.parse("2026-03-01T16:00:00Z"), 2, 1, 1),
                new PassageRepository.Count(Instant.parse("2026-03-02T16:00:00Z"), 1, 0, 0)), days,
                "days start at midnight in Shanghai, not in UTC");
        assertThrows(org.gatehouse.api.service.OutOfScopeException.class, () -> passages.counts(Scope.of("elsewhere"),
                c.id(), null, null, shanghai, java.time.temporal.ChronoUnit.DAYS));
        assertThrows(IllegalArgumentException.class, () -> passages.counts(scope, c.id(), null, null, shanghai,
                java.time.temporal.ChronoUnit.MINUTES));
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

    @Test
    void aCodeGuessingAlertIsStoredAndPublishedWithItsLongBilingualMessage() {
        Community c = community();
        String message = "门禁“building-1”（device:0f0e…）5 次访客通行码核验失败，已暂停核验 3600 秒（至 "
                + "2026-11-20T08:00:00Z，连续第 7 次）/ 5 refused visitor pass checks at gate 'building-1' "
                + "(device:0f0e…): checks locked for 3600 s until 2026-11-20T08:00:00Z (lockout 7 in a row)";
        Alert alert = new Alert(unique("a"), c.id(), AlertType.CODE_GUESSING, AlertSeverity.CRITICAL, AlertStatus.OPEN,
                UUID.randomUUID().toString(), message, Instant.parse("2026-11-20T07:00:00Z"), null);
        assertEquals(alert, alerts.raise(alert));
        assertEquals(alert, alerts.alert(Scope.of(c.id()), alert.id()).orElseThrow());
        assertEquals(1, outbox.pending(10_000).stream().filter(e -> e.stream().equals("alerts")
                && e.eventId().equals(alert.id()) && e.payloadJson().contains("CODE_GUESSING")).count());
    }

    // ---------------------------------------------------------------- welfare cases

    @Test
    void welfareCaseOpensOnceEscalatesOnceAcknowledgesClosesAndStaysInScope() {
        Community c = community();
        Scope scope = Scope.of(c.id());
        Instant since = Instant.parse("2026-11-30T07:10:00Z");
        Instant raised = Instant.parse("2026-12-01T07:10:00Z");
        String id = unique("welfare-inactivity");
        Alert alert = new Alert(id, c.id(), AlertType.WELFARE_INACTIVITY, AlertSeverity.CRITICAL, AlertStatus.OPEN,
                "res-9", "No passage for 24 h", raised, null);
        WelfareCase details = new WelfareCase(id, c.id(), AlertType.WELFARE_INACTIVITY, AlertStatus.OPEN, "res-9",
                "hh-9", since, raised, raised, null, List.of(new WelfareCase.Escalation(0, "police", "Officer Wang",
                "mqtt:officer/wang", raised)), null, null, null, null, null, null, null, List.of("last passage"),
                "reads passages only");
        WelfareCase opened = welfare.open(alert, details);
        assertEquals(AlertStatus.OPEN, opened.status());
        assertEquals(since, opened.since());
        assertEquals(List.of("last passage"), opened.evidence());
        assertEquals(0, opened.escalationLevel());
        // the same episode again: nothing new, not even in the outbox
        assertEquals(opened, welfare.open(alert, details));
        assertEquals(1, outbox.pending(10_000).stream()
                .filter(e -> e.stream().equals(Streams.ALERTS) && e.eventId().equals(id)).count());
        assertEquals(AlertType.WELFARE_INACTIVITY, alerts.alert(scope, id).orElseThrow().type());
        assertEquals(List.of(opened), welfare.cases(scope, c.id(), AlertStatus.OPEN, AlertType.WELFARE_INACTIVITY,
                10));
        assertTrue(welfare.cases(scope, c.id(), null, AlertType.IDLE_UNIT, 10).isEmpty());
        assertTrue(welfare.welfareCase(Scope.of("elsewhere"), id).isEmpty());
        assertTrue(welfare.cases(Scope.of("elsewhere"), null, null, null, 10).isEmpty());

        WelfareCase.Escalation next = new WelfareCase.Escalation(1, "property", "Staff Li", "sms:13800000000",
                raised.plusSeconds(3600));
        WelfareCase escalated = welfare.escalate(scope, id, 0, next).orElseThrow();
        assertEquals(1, escalated.escalationLevel());
        assertEquals(2, escalated.escalations().size());
        // a second run that still believes the level is 0 does not escalate again
        assertTrue(welfare.escalate(scope, id, 0, next).isEmpty());
        assertEquals(1, outbox.pending(10_000).stream()
                .filter(e -> e.eventId().equals(id + "#escalation-1")).count());
        assertThrows(NotFoundException.class, () -> welfare.acknowledge(Scope.of("elsewhere"), id, "officer",
                raised, WelfareOutcome.FOUND_WELL, "x"));

        WelfareCase acked = welfare.acknowledge(scope, id, "officer-wang", raised.plusSeconds(5400),
                WelfareOutcome.FOUND_WELL, "At home, had a cold");
        assertEquals(AlertStatus.ACKNOWLEDGED, acked.status());
        assertEquals(WelfareOutcome.FOUND_WELL, acked.outcome());
        assertEquals("officer-wang", acked.visitedBy());
        assertEquals(1, alerts.alert(scope, id).orElseThrow().acknowledgements().size());
        assertTrue(welfare.escalate(scope, id, 1, new WelfareCase.Escalation(2, "police", "Sergeant", "",
                raised.plusSeconds(7200))).isEmpty());

        WelfareCase closed = welfare.close(scope, id, "passage", raised.plusSeconds(9000), "passed door B1");
        assertEquals(AlertStatus.CLOSED, closed.status());
        assertEquals("passed door B1", closed.closeReason());
        assertEquals(closed, welfare.welfareCase(scope, id).orElseThrow());
        assertThrows(ConflictException.class, () -> welfare.close(scope, id, "office", raised, "again"));
        assertThrows(ConflictException.class, () -> welfare.acknowledge(scope, id, "office", raised,
                WelfareOutcome.OTHER, null));
        assertThrows(NotFoundException.class, () -> welfare.close(scope, "no-such-case", "office", raised, null));
        // reopening the same episode returns the closed case: nothing re-opens
        assertEquals(AlertStatus.CLOSED, welfare.open(alert, details).status());
    }

    @Test
    void passagesOfOneSubjectNewestFirstInTheirWindow() {
        Community c = community();
        Instant t = Instant.parse("2026-11-20T07:00:00Z");
        passages.record(passageEvent(c.id(), unique("p"), t));
        passages.record(passageEvent(c.id(), unique("p"), t.plusSeconds(60)));
        PassageEvent other = new PassageEvent(unique("p"), c.id(), "dev-1", t.plusSeconds(30), Direction.IN,
                SubjectType.RESIDENT, "res-2", CredentialKind.FACE, new AccessDecision(Verdict.ALLOW, null, null));
        passages.record(other);
        List<PassageEvent> mine = passages.passagesOf(Scope.of(c.id()), c.id(), "res-1", null, null, 10);
        assertEquals(2, mine.size());
        assertEquals(t.plusSeconds(60), mine.get(0).occurredAt());
        assertEquals(1, passages.passagesOf(Scope.of(c.id()), c.id(), "res-1", t, t.plusSeconds(60), 10).size());
        assertEquals(List.of(other), passages.passagesOf(Scope.all(), c.id(), "res-2", null, null, 10));
        assertTrue(passages.passagesOf(Scope.of("elsewhere"), c.id(), "res-1", null, null, 10).isEmpty());
    }

    // ---------------------------------------------------------------- face templates

    private static float[] vector(int dimension, long seed) {
        java.util.Random random = new java.util.Random(seed);
        float[] v = new float[dimension];
        for (int i = 0; i < dimension; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }

    private static byte[] floats(float[] v, java.nio.ByteOrder order) {
        java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(v.length * 4).order(order);
        for (float f : v) {
            buffer.putFloat(f);
        }
        return buffer.array();
    }

    private static boolean contains(byte[] haystack, byte[] needle, int from, int length) {
        outer:
        for (int i = 0; i + length <= haystack.length; i++) {
            for (int j = 0; j < length; j++) {
                if (haystack[i + j] != needle[from + j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private Object[] rawTemplate(String id) throws Exception {
        try (Connection connection = store.dataSource().getConnection();
             java.sql.PreparedStatement st = connection.prepareStatement(
                     "select key_id, iv, ciphertext, dimension from face_template where id = ?")) {
            st.setString(1, id);
            try (ResultSet rs = st.executeQuery()) {
                assertTrue(rs.next(), "no row " + id);
                return new Object[] {rs.getString(1), rs.getBytes(2), rs.getBytes(3), rs.getInt(4)};
            }
        }
    }

    private void setBytes(String column, String id, byte[] value) throws Exception {
        try (Connection connection = store.dataSource().getConnection();
             java.sql.PreparedStatement st = connection.prepareStatement(
                     "update face_template set " + column + " = ? where id = ?")) {
            st.setBytes(1, value);
            st.setString(2, id);
            assertEquals(1, st.executeUpdate());
        }
    }

    private static void assertVector(float[] expected, FaceTemplateRepository.StoredTemplate actual) {
        assertArrayEquals(expected, actual.vector(), "template " + actual.id());
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual.vector()[i]));
        }
    }

    @Test
    void templateRoundTripIsExactAndNeverInClear() throws Exception {
        Community c = community();
        Scope scope = Scope.of(c.id());
        float[] v = vector(512, 42);
        v[0] = -0.0f;
        v[1] = Float.MIN_VALUE;
        v[2] = Float.MAX_VALUE;
        v[3] = 1e-42f;
        String subject = unique("res");
        FaceTemplateRepository.StoredTemplate saved = templates.save(scope, c.id(), subject, "arcface-r100", v);
        assertVector(v, saved);
        assertNotSame(v, saved.vector());
        List<FaceTemplateRepository.StoredTemplate> of = templates.templatesOf(scope, subject);
        assertEquals(1, of.size());
        assertVector(v, of.get(0));
        assertEquals(saved.id(), of.get(0).id());
        assertEquals(saved.createdAt(), of.get(0).createdAt());
        assertEquals(List.of(saved.id()), templates.templates(scope, c.id(), "arcface-r100").stream()
                .map(FaceTemplateRepository.StoredTemplate::id).toList());
        assertTrue(templates.templates(scope, c.id(), "other-model").isEmpty());
        assertEquals(1, templates.count(scope));

        Object[] raw = rawTemplate(saved.id());
        assertEquals(keys.currentKeyId(), raw[0]);
        assertEquals(12, ((byte[]) raw[1]).length);
        byte[] ciphertext = (byte[]) raw[2];
        assertEquals(512 * 4 + 16, ciphertext.length);
        assertEquals(512, raw[3]);
        for (java.nio.ByteOrder order : List.of(java.nio.ByteOrder.LITTLE_ENDIAN, java.nio.ByteOrder.BIG_ENDIAN)) {
            byte[] clear = floats(v, order);
            assertFalse(contains(ciphertext, clear, 0, clear.length), "whole vector in clear, " + order);
            for (int i = 0; i + 8 <= clear.length; i += 4) {
                assertFalse(contains(ciphertext, clear, i, 8), "floats " + i / 4 + ".. in clear, " + order);
            }
        }
        // same vector again: new IV, different ciphertext
        FaceTemplateRepository.StoredTemplate again = templates.save(scope, c.id(), subject, "arcface-r100", v);
        Object[] raw2 = rawTemplate(again.id());
        assertFalse(java.util.Arrays.equals((byte[]) raw[1], (byte[]) raw2[1]));
        assertFalse(java.util.Arrays.equals(ciphertext, (byte[]) raw2[2]));

        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> templates.save(scope, c.id(), subject, "m", new float[0])).getMessage().contains("vector"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> templates.save(scope, c.id(), subject, "m", new float[] {1f, Float.NaN})).getMessage()
                .contains("vector"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> templates.save(scope, c.id(), " ", "m", v)).getMessage().contains("subjectId"));
    }

    @Test
    void tamperedMovedOrWrongKeyTemplatesFailClearly() throws Exception {
        Community c = community();
        Scope scope = Scope.of(c.id());
        String s1 = unique("res");
        String s2 = unique("res");
        float[] v1 = vector(128, 1);
        float[] v2 = vector(128, 2);
        FaceTemplateRepository.StoredTemplate t1 = templates.save(scope, c.id(), s1, "m1", v1);
        FaceTemplateRepository.StoredTemplate t2 = templates.save(scope, c.id(), s2, "m1", v2);
        Object[] raw1 = rawTemplate(t1.id());
        Object[] raw2 = rawTemplate(t2.id());
        try {
            byte[] flipped = ((byte[]) raw1[2]).clone();
            flipped[17] ^= 0x01;
            setBytes("ciphertext", t1.id(), flipped);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> templates.templatesOf(scope, s1));
            assertTrue(e.getMessage().contains(t1.id()), e.getMessage());
            e = assertThrows(IllegalStateException.class, () -> templates.templates(scope, c.id(), "m1"));
            assertTrue(e.getMessage().contains(t1.id()), e.getMessage());
            setBytes("ciphertext", t1.id(), (byte[]) raw1[2]);
            assertVector(v1, templates.templatesOf(scope, s1).get(0));

            byte[] iv = ((byte[]) raw1[1]).clone();
            iv[0] ^= (byte) 0x80;
            setBytes("iv", t1.id(), iv);
            e = assertThrows(IllegalStateException.class, () -> templates.templatesOf(scope, s1));
            assertTrue(e.getMessage().contains(t1.id()), e.getMessage());

            // t2's sealed vector copied into t1's row: the AAD (id, community, subject, model) does not match
            setBytes("iv", t1.id(), (byte[]) raw2[1]);
            setBytes("ciphertext", t1.id(), (byte[]) raw2[2]);
            e = assertThrows(IllegalStateException.class, () -> templates.templatesOf(scope, s1));
            assertTrue(e.getMessage().contains(t1.id()), e.getMessage());
            setBytes("iv", t1.id(), (byte[]) raw1[1]);
            setBytes("ciphertext", t1.id(), (byte[]) raw1[2]);
            assertVector(v1, templates.templatesOf(scope, s1).get(0));

            // another keystore (its template-key-1 is a different key)
            TemplateKeys otherKeys = new TemplateKeys(keystore.getParent().resolve("other").resolve("k.p12"), "pw-x");
            FaceTemplateRepository wrong = new FaceTemplateRepositoryImpl(store, otherKeys);
            e = assertThrows(IllegalStateException.class, () -> wrong.templatesOf(scope, s2));
            assertTrue(e.getMessage().contains(t2.id()), e.getMessage());
        } finally {
            templates.delete(scope, t1.id());
            templates.delete(scope, t2.id());
        }
    }

    @Test
    void rotationReencryptsEveryRowAndKeysSurviveReopen() throws Exception {
        Community c = community();
        Scope scope = Scope.of(c.id());
        int n = 230; // more than one re-encryption batch
        java.util.Map<String, float[]> saved = new java.util.HashMap<>();
        for (int i = 0; i < n; i++) {
            float[] v = vector(16, 100 + i);
            saved.put(templates.save(scope, c.id(), unique("res"), "m-rot", v).id(), v);
        }
        String before = keys.currentKeyId();
        String after = keys.rotateKey();
        assertNotEquals(before, after);
        assertEquals(after, keys.currentKeyId());
        assertTrue(keys.keyIds().containsAll(List.of(before, after)));
        // new rows use the new key at once; old ones still open
        float[] fresh = vector(16, 7);
        FaceTemplateRepository.StoredTemplate t = templates.save(scope, c.id(), unique("res"), "m-rot", fresh);
        assertEquals(after, rawTemplate(t.id())[0]);
        saved.put(t.id(), fresh);

        int changed = templates.reencryptAll();
        assertTrue(changed >= n, "changed " + changed);
        assertEquals(0, templates.reencryptAll());
        try (Connection connection = store.dataSource().getConnection(); Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("select count(*) from face_template where key_id <> '" + after + "'")) {
            rs.next();
            assertEquals(0, rs.getInt(1));
        }
        List<FaceTemplateRepository.StoredTemplate> all = templates.templates(scope, c.id(), "m-rot");
        assertEquals(n + 1, all.size());
        for (FaceTemplateRepository.StoredTemplate stored : all) {
            assertVector(saved.get(stored.id()), stored);
        }
        TemplateKeys reopened = new TemplateKeys(keystore, "");
        assertEquals(keys.keyIds(), reopened.keyIds());
        assertEquals(after, reopened.currentKeyId());
    }

    @Test
    void templatesScopedCountedAndDeletedBySubject() {
        Community c = community();
        Community o = community();
        Scope mine = Scope.of(c.id());
        Scope theirs = Scope.of(o.id());
        String s1 = unique("res");
        String s2 = unique("res");
        FaceTemplateRepository.StoredTemplate a = templates.save(mine, c.id(), s1, "m", vector(8, 1));
        templates.save(mine, c.id(), s1, "m", vector(8, 2));
        templates.save(mine, c.id(), s2, "m", vector(8, 3));
        FaceTemplateRepository.StoredTemplate x = templates.save(theirs, o.id(), s1, "m", vector(8, 4));
        assertEquals(3, templates.count(mine));
        assertEquals(1, templates.count(theirs));
        assertEquals(4, templates.count(Scope.of(c.id(), o.id())));
        assertEquals(0, templates.count(Scope.of("nobody")));
        assertTrue(templates.count(Scope.all()) >= 4);
        assertEquals(2, templates.templatesOf(mine, s1).size());
        assertEquals(List.of(x.id()), templates.templatesOf(theirs, s1).stream()
                .map(FaceTemplateRepository.StoredTemplate::id).toList());

        assertThrows(NotFoundException.class, () -> templates.templates(theirs, c.id(), "m"));
        assertThrows(NotFoundException.class, () -> templates.delete(theirs, a.id()));
        assertThrows(OutOfScopeException.class, () -> templates.save(theirs, c.id(), s1, "m", vector(8, 5)));
        assertThrows(NotFoundException.class, () -> templates.save(Scope.all(), unique("none"), s1, "m",
                vector(8, 5)));
        assertEquals(0, templates.deleteBySubject(theirs, s2));

        assertEquals(2, templates.deleteBySubject(mine, s1));
        assertEquals(0, templates.deleteBySubject(mine, s1));
        assertEquals(1, templates.count(mine));
        assertEquals(1, templates.count(theirs));
        assertEquals(1, templates.templatesOf(theirs, s1).size());
        templates.delete(theirs, x.id());
        assertThrows(NotFoundException.class, () -> templates.delete(theirs, x.id()));
        assertEquals(0, templates.count(theirs));
    }

    // ---------------------------------------------------------------- audit log

    private void jdbc(String sql, Object... args) throws Exception {
        try (Connection connection = store.dataSource().getConnection();
             java.sql.PreparedStatement st = connection.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                st.setObject(i + 1, args[i]);
            }
            st.executeUpdate();
        }
    }

    private void reinsert(AuditLog.AuditEntry e) throws Exception {
        jdbc("insert into audit_log (sequence, at, actor, action, community_id, subject_id, detail, previous_hash, "
                        + "hash) values (?, ?, ?, ?, ?, ?, ?, ?, ?)", e.sequence(),
                java.time.OffsetDateTime.ofInstant(e.at(), java.time.ZoneOffset.UTC), e.actor(), e.action(),
                e.communityId(), e.subjectId(), e.detail(), e.previousHash(), e.hash());
    }

    @Test
    void auditChainHoldsUnderConcurrencyAndShowsTampering() throws Exception {
        AuditLog.Verification start = audit.verify();
        assertTrue(start.intact(), start.problem());
        String actor = unique("officer");
        String community = unique("C");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Callable<Void>> jobs = new java.util.ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                jobs.add(() -> {
                    for (int i = 0; i < 25; i++) {
                        audit.append(actor, "resident.view", i % 2 == 0 ? community : null, "res-" + thread,
                                "thread " + thread + " view " + i + " \u00fc\u4e2d");
                    }
                    return null;
                });
            }
            for (Future<Void> f : pool.invokeAll(jobs)) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        AuditLog.Verification v = audit.verify();
        assertTrue(v.intact(), v.problem());
        assertEquals(v, new AuditLogImpl(store, keyChecks, auditKey, 7).verify());
        assertEquals(start.entries() + 100, v.entries());
        assertEquals(-1, v.firstBadSequence());

        List<AuditLog.AuditEntry> all = audit.entries(Scope.all(), null, null, null, 10_000);
        List<AuditLog.AuditEntry> mine = all.stream().filter(e -> e.actor().equals(actor)).toList();
        assertEquals(100, mine.size());
        assertEquals(all.size(), all.stream().map(AuditLog.AuditEntry::previousHash).distinct().count(),
                "two entries chained to the same previous hash");
        for (int i = 1; i < all.size(); i++) {
            assertTrue(all.get(i - 1).sequence() > all.get(i).sequence());
            assertEquals(all.get(i).hash(), all.get(i - 1).previousHash());
        }

        // a changed row
        AuditLog.AuditEntry changed = mine.get(40);
        jdbc("update audit_log set detail = ? where sequence = ?", "nothing to see", changed.sequence());
        AuditLog.Verification broken = audit.verify();
        assertFalse(broken.intact());
        assertEquals(changed.sequence(), broken.firstBadSequence(), broken.problem());
        assertEquals(broken, new AuditLogImpl(store, keyChecks, auditKey, 7).verify()); // same answer across page boundaries
        assertTrue(broken.problem().contains("changed"), broken.problem());
        assertEquals(v.entries(), broken.entries());
        jdbc("update audit_log set detail = ? where sequence = ?", changed.detail(), changed.sequence());
        assertTrue(audit.verify().intact());

        // a removed row: the entry after it no longer links
        AuditLog.AuditEntry removed = mine.get(60);
        AuditLog.AuditEntry next = all.get(all.indexOf(removed) - 1);
        jdbc("delete from audit_log where sequence = ?", removed.sequence());
        broken = audit.verify();
        assertFalse(broken.intact());
        assertEquals(next.sequence(), broken.firstBadSequence(), broken.problem());
        assertTrue(broken.problem().contains("removed"), broken.problem());
        assertEquals(v.entries() - 1, broken.entries());
        assertEquals(broken, new AuditLogImpl(store, keyChecks, auditKey, 3).verify());
        reinsert(removed);
        assertTrue(audit.verify().intact());

        // the newest row removed: the chain head notices
        AuditLog.AuditEntry last = all.get(0);
        jdbc("delete from audit_log where sequence = ?", last.sequence());
        broken = audit.verify();
        assertFalse(broken.intact());
        assertEquals(last.sequence(), broken.firstBadSequence(), broken.problem());
        reinsert(last);
        AuditLog.Verification restored = audit.verify();
        assertTrue(restored.intact(), restored.problem());

        // appending goes on after the checks
        AuditLog.AuditEntry after = audit.append(actor, "export.subject", null, null, null);
        assertEquals(last.hash(), after.previousHash());
        assertTrue(audit.verify().intact());
    }

    @Test
    void anEntryEditedOverJdbcFailsVerificationEvenWithARecomputedSha256() throws Exception {
        String actor = unique("clerk");
        AuditLog.AuditEntry a = audit.append(actor, "resident.view", null, "res-9", "viewed the file");
        AuditLog.AuditEntry b = audit.append(actor, "resident.view", null, "res-9", "viewed it again");
        assertTrue(audit.verify().intact());
        // the old, unkeyed recipe: whoever has the database could recompute it; with the key they cannot
        jdbc("update audit_log set detail = ?, hash = ? where sequence = ?", "nothing to see",
                AuditHashes.sha256(a.previousHash(), a.at(), a.actor(), a.action(), a.communityId(), a.subjectId(),
                        "nothing to see"), a.sequence());
        AuditLog.Verification broken = audit.verify();
        assertFalse(broken.intact());
        assertEquals(a.sequence(), broken.firstBadSequence(), broken.problem());
        assertTrue(broken.problem().contains("changed"), broken.problem());
        // recomputing the next entry's link with SHA-256 too does not help either
        jdbc("update audit_log set previous_hash = ?, hash = ? where sequence = ?",
                AuditHashes.sha256(a.previousHash(), a.at(), a.actor(), a.action(), a.communityId(), a.subjectId(),
                        "nothing to see"), "0".repeat(64), b.sequence());
        assertEquals(a.sequence(), audit.verify().firstBadSequence());
        jdbc("update audit_log set detail = ?, hash = ? where sequence = ?", a.detail(), a.hash(), a.sequence());
        jdbc("update audit_log set previous_hash = ?, hash = ? where sequence = ?", b.previousHash(), b.hash(),
                b.sequence());
        assertTrue(audit.verify().intact());
    }

    @Test
    void aTruncatedTailOrARewrittenEntryIsCaughtThroughAnExportedHead() throws Exception {
        String actor = unique("clerk");
        AuditLog.AuditEntry a = audit.append(actor, "resident.view", null, "res-7", "one");
        AuditLog.AuditEntry b = audit.append(actor, "resident.view", null, "res-7", "two");
        AuditLog.AuditEntry c = audit.append(actor, "export.subject", null, "res-7", "three");
        AuditLog.Head head = audit.head();
        assertEquals(new AuditLog.Head(c.sequence(), c.hash()), head);
        Instant exportedAt = Instant.parse("2026-06-01T10:00:00Z");
        List<AuditLog.ExportedHead> exported = List.of(
                new AuditLog.ExportedHead(a.sequence(), a.hash(), exportedAt.minusSeconds(3600)),
                new AuditLog.ExportedHead(head.sequence(), head.hash(), exportedAt));
        AuditLog.Verification fine = audit.verify(exported);
        assertTrue(fine.intact(), fine.problem());
        assertEquals(2, fine.headsChecked());
        try {
            // someone with the database removes the tail and moves the head back: the chain alone still holds
            jdbc("delete from audit_log where sequence > ?", a.sequence());
            jdbc("update audit_chain_head set last_sequence = ?, last_hash = ? where id = 1", a.sequence(), a.hash());
            assertTrue(audit.verify().intact(), "without the exported head the cut is invisible");
            AuditLog.Verification cut = audit.verify(exported);
            assertFalse(cut.intact());
            assertEquals(c.sequence(), cut.firstBadSequence(), cut.problem());
            assertTrue(cut.problem().contains("entries after " + a.sequence() + " were removed"), cut.problem());
            assertTrue(cut.problem().contains(exportedAt.toString()), cut.problem());
            assertEquals(cut, new AuditLogImpl(store, keyChecks, auditKey, 1).verify(exported));
        } finally {
            reinsert(b);
            reinsert(c);
            jdbc("update audit_chain_head set last_sequence = ?, last_hash = ? where id = 1", c.sequence(), c.hash());
        }
        assertTrue(audit.verify(exported).intact());

        // someone who also holds the key rewrites b and recomputes the chain: only the exported head shows it
        byte[] k = auditKeyBytes();
        String b2 = AuditHashes.hmac(k, b.previousHash(), b.at(), b.actor(), b.action(), b.communityId(),
                b.subjectId(), "nothing to see");
        String c2 = AuditHashes.hmac(k, b2, c.at(), c.actor(), c.action(), c.communityId(), c.subjectId(), c.detail());
        try {
            jdbc("update audit_log set detail = ?, hash = ? where sequence = ?", "nothing to see", b2, b.sequence());
            jdbc("update audit_log set previous_hash = ?, hash = ? where sequence = ?", b2, c2, c.sequence());
            jdbc("update audit_chain_head set last_hash = ? where id = 1", c2);
            assertTrue(audit.verify().intact());
            AuditLog.Verification rewritten = audit.verify(exported);
            assertFalse(rewritten.intact());
            assertEquals(c.sequence(), rewritten.firstBadSequence(), rewritten.problem());
            assertTrue(rewritten.problem().contains("entry " + c.sequence() + " was rewritten"), rewritten.problem());
        } finally {
            jdbc("update audit_log set detail = ?, hash = ? where sequence = ?", b.detail(), b.hash(), b.sequence());
            jdbc("update audit_log set previous_hash = ?, hash = ? where sequence = ?", c.previousHash(), c.hash(),
                    c.sequence());
            jdbc("update audit_chain_head set last_hash = ? where id = 1", c.hash());
        }
        assertTrue(audit.verify(exported).intact());
    }

    /** Entries written the way V002..V006 did (SHA-256, no key), sequence from the identity; head marked 'sha256'. */
    private static List<AuditLog.AuditEntry> oldChain(OtherStore o, int n) throws Exception {
        List<AuditLog.AuditEntry> written = new java.util.ArrayList<>();
        String previous = AuditHashes.GENESIS;
        Instant at = Instant.parse("2025-03-01T08:00:00.123456Z");
        try (Connection connection = o.db.dataSource().getConnection()) {
            for (int i = 0; i < n; i++) {
                Instant when = at.plusSeconds(60L * i);
                String detail = i % 2 == 0 ? "old entry " + i + " \u4e2d" : null;
                String subject = i % 3 == 0 ? null : "res-" + i;
                String hash = AuditHashes.sha256(previous, when, "office", "resident.view", null, subject, detail);
                try (java.sql.PreparedStatement insert = connection.prepareStatement("insert into audit_log (at, actor, "
                        + "action, community_id, subject_id, detail, previous_hash, hash) values (?, ?, ?, ?, ?, ?, ?, ?)",
                        new String[] {"sequence"})) {
                    insert.setObject(1, java.time.OffsetDateTime.ofInstant(when, java.time.ZoneOffset.UTC));
                    insert.setString(2, "office");
                    insert.setString(3, "resident.view");
                    insert.setString(4, null);
                    insert.setString(5, subject);
                    insert.setString(6, detail);
                    insert.setString(7, previous);
                    insert.setString(8, hash);
                    insert.executeUpdate();
                    try (ResultSet keys = insert.getGeneratedKeys()) {
                        assertTrue(keys.next());
                        written.add(new AuditLog.AuditEntry(keys.getLong(1), when, "office", "resident.view", null,
                                subject, detail, previous, hash));
                    }
                }
                previous = hash;
            }
        }
        AuditLog.AuditEntry last = written.get(written.size() - 1);
        o.sql("update audit_chain_head set last_sequence = ?, last_hash = ?, chain_format = 'sha256' where id = 1",
                last.sequence(), last.hash());
        return written;
    }

    private static List<String> column(OtherStore o, String sql) throws Exception {
        List<String> values = new java.util.ArrayList<>();
        try (Connection connection = o.db.dataSource().getConnection(); Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    @Test
    void theUpgradeReChainsAnOldAuditChainWithTheKeyAndRefusesABrokenOne() throws Exception {
        Path key = keystore.getParent().resolve("rechain-" + System.nanoTime()).resolve("gatehouse-audit.key");
        try (OtherStore o = new OtherStore("rechain")) {
            List<AuditLog.AuditEntry> old = oldChain(o, 7);
            List<String> oldHashes = old.stream().map(AuditLog.AuditEntry::hash).toList();

            // a broken old chain: refused, naming the entry; nothing changed
            AuditLog.AuditEntry edited = old.get(3);
            o.sql("update audit_log set detail = ? where sequence = ?", "edited", edited.sequence());
            IllegalStateException refused = assertThrows(IllegalStateException.class,
                    () -> new AuditLogImpl(o.db, o.checks, key, 2));
            assertTrue(refused.getMessage().contains("broken at entry " + edited.sequence()), refused.getMessage());
            assertTrue(refused.getMessage().contains("Nothing was changed"), refused.getMessage());
            assertEquals(oldHashes, column(o, "select hash from audit_log order by sequence"));
            assertEquals(List.of("sha256"), column(o, "select chain_format from audit_chain_head"));

            // repaired: verified, then every entry re-chained with the HMAC, in one go
            o.sql("update audit_log set detail = ? where sequence = ?", edited.detail(), edited.sequence());
            AuditLogImpl keyed = new AuditLogImpl(o.db, o.checks, key, 2);
            byte[] k = java.nio.file.Files.readAllBytes(key);
            AuditLog.Verification v = keyed.verify();
            assertTrue(v.intact(), v.problem());
            assertEquals(7, v.entries());
            List<AuditLog.AuditEntry> now = new java.util.ArrayList<>(keyed.entries(Scope.all(), null, null, null, 100));
            java.util.Collections.reverse(now);
            String previous = AuditHashes.GENESIS;
            for (int i = 0; i < old.size(); i++) {
                AuditLog.AuditEntry before = old.get(i);
                AuditLog.AuditEntry after = now.get(i);
                assertEquals(List.of(before.sequence(), before.at(), before.actor(), before.action(),
                        String.valueOf(before.subjectId()), String.valueOf(before.detail())), List.of(after.sequence(),
                        after.at(), after.actor(), after.action(), String.valueOf(after.subjectId()),
                        String.valueOf(after.detail())), "content unchanged");
                assertEquals(previous, after.previousHash());
                assertEquals(AuditHashes.hmac(k, previous, after.at(), after.actor(), after.action(),
                        after.communityId(), after.subjectId(), after.detail()), after.hash());
                assertFalse(oldHashes.contains(after.hash()));
                previous = after.hash();
            }
            assertEquals(List.of("hmac-sha256"), column(o, "select chain_format from audit_chain_head"));
            assertEquals(new AuditLog.Head(old.get(6).sequence(), previous), keyed.head());
            assertTrue(o.checks.recorded("audit").isPresent());
            AuditLog.AuditEntry next = keyed.append("office", "resident.view", null, null, "after the upgrade");
            assertEquals(previous, next.previousHash());
            // a second start leaves the keyed chain as it is
            List<String> keyedHashes = column(o, "select hash from audit_log order by sequence");
            assertTrue(new AuditLogImpl(o.db, o.checks, key).verify().intact());
            assertEquals(keyedHashes, column(o, "select hash from audit_log order by sequence"));
        }
    }

    @Test
    void aMissingOrDifferentAuditKeyIsRefused() throws Exception {
        Path dir = keystore.getParent().resolve("audit-key-" + System.nanoTime());
        Path key = dir.resolve("etc").resolve("gatehouse-audit.key");
        Path elsewhere = dir.resolve("new-host").resolve("gatehouse-audit.key");
        Path other = dir.resolve("other").resolve("gatehouse-audit.key");
        java.nio.file.Files.createDirectories(other.getParent());
        java.nio.file.Files.write(other, org.gatehouse.api.keys.KeyFiles.random(32));
        try (OtherStore o = new OtherStore("auditkey")) {
            AuditLogImpl first = new AuditLogImpl(o.db, o.checks, key);
            assertTrue(java.nio.file.Files.exists(key));
            if (java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                        java.nio.file.Files.getPosixFilePermissions(key)));
            }
            first.append("office", "resident.view", null, "res-1", "keyed");
            assertRefused(assertThrows(org.gatehouse.api.keys.KeyRefusedException.class,
                    () -> new AuditLogImpl(o.db, o.checks, elsewhere)), elsewhere, "is missing");
            assertFalse(java.nio.file.Files.exists(elsewhere));
            assertRefused(assertThrows(org.gatehouse.api.keys.KeyRefusedException.class,
                    () -> new AuditLogImpl(o.db, o.checks, other)), other, "is not the key");
            // no record (e.g. deleted): the entries decide
            o.sql("delete from key_check");
            assertRefused(assertThrows(org.gatehouse.api.keys.KeyRefusedException.class,
                    () -> new AuditLogImpl(o.db, o.checks, elsewhere)), elsewhere, "HMAC-chained audit entries");
            assertRefused(assertThrows(org.gatehouse.api.keys.KeyRefusedException.class,
                    () -> new AuditLogImpl(o.db, o.checks, other)), other, "does not open");
            assertTrue(new AuditLogImpl(o.db, o.checks, key).verify().intact());
            assertTrue(o.checks.recorded("audit").isPresent());
        }
    }

    @Test
    void auditEntriesAboutASubjectArePagedOldestFirstAndComplete() {
        String c1 = unique("C");
        String c2 = unique("C");
        String subject = unique("res");
        List<AuditLog.AuditEntry> mine = new java.util.ArrayList<>();
        for (int i = 0; i < 25; i++) {
            mine.add(audit.append("officer", "resident.view", c1, subject, "view " + i));
            audit.append("officer", "resident.view", c1, unique("other"), "someone else");
        }
        AuditLog.AuditEntry elsewhere = audit.append("officer", "resident.view", c2, subject, "other community");
        AuditLog.AuditEntry platform = audit.append("shell:admin", "export.subject", null, subject, "no community");

        // page through with a small limit, as the subject export does with its own page size
        List<AuditLog.AuditEntry> paged = new java.util.ArrayList<>();
        long after = 0;
        List<AuditLog.AuditEntry> page;
        int pages = 0;
        do {
            page = audit.entriesAbout(Scope.of(c1), subject, after, 10);
            paged.addAll(page);
            if (!page.isEmpty()) {
                after = page.get(page.size() - 1).sequence();
            }
            pages++;
        } while (page.size() == 10);
        assertEquals(mine, paged, "every entry about the subject, oldest first, nobody else's");
        assertEquals(3, pages);
        assertEquals(27, audit.entriesAbout(Scope.all(), subject, 0, 10_000).size());
        List<AuditLog.AuditEntry> all = audit.entriesAbout(Scope.all(), subject, 0, 10_000);
        assertEquals(List.of(elsewhere, platform), all.subList(25, 27));
        assertEquals(List.of(elsewhere), audit.entriesAbout(Scope.of(c2), subject, 0, 100));
        assertEquals(List.of(), audit.entriesAbout(Scope.of("elsewhere"), subject, 0, 100));
        assertEquals(List.of(), audit.entriesAbout(Scope.all(), subject, platform.sequence(), 100));
        assertThrows(IllegalArgumentException.class, () -> audit.entriesAbout(Scope.all(), " ", 0, 10));
        assertThrows(IllegalArgumentException.class, () -> audit.entriesAbout(Scope.all(), subject, 0, 0));
    }

    @Test
    void auditEntriesScopedNewestFirstAndByTime() {
        String c1 = unique("C");
        String c2 = unique("C");
        String actor = unique("admin");
        AuditLog.AuditEntry a = audit.append(actor, "resident.view", c1, "res-1", "viewed");
        AuditLog.AuditEntry b = audit.append(actor, "consent.withdraw", c2, null, "");
        AuditLog.AuditEntry n = audit.append(actor, "integration.send", null, null, null);
        assertEquals(AuditHashes.hmac(auditKeyBytes(), a.previousHash(), a.at(), a.actor(), a.action(),
                a.communityId(), a.subjectId(), a.detail()), a.hash());
        assertNotEquals(AuditHashes.sha256(a.previousHash(), a.at(), a.actor(), a.action(), a.communityId(),
                a.subjectId(), a.detail()), a.hash(), "keyed, not a plain SHA-256");
        assertEquals(a.hash(), b.previousHash());
        assertEquals(b.hash(), n.previousHash());
        assertEquals(64, a.hash().length());

        assertEquals(List.of(a), audit.entries(Scope.of(c1), null, null, null, 100));
        assertEquals(List.of(a), audit.entries(Scope.of(c1), c1, null, null, 100));
        assertEquals(List.of(), audit.entries(Scope.of(c1), c2, null, null, 100));
        assertEquals(List.of(b, a), audit.entries(Scope.of(c1, c2), null, null, null, 100));
        List<AuditLog.AuditEntry> everything = audit.entries(Scope.all(), null, null, null, 10_000).stream()
                .filter(e -> e.actor().equals(actor)).toList();
        assertEquals(List.of(n, b, a), everything);
        assertEquals(List.of(n), audit.entries(Scope.all(), null, null, null, 1));
        assertEquals(List.of(a), audit.entries(Scope.all(), c1, a.at(), a.at().plusNanos(1000), 10));
        assertEquals(List.of(), audit.entries(Scope.all(), c1, a.at().plusNanos(1000), null, 10));
        assertEquals(List.of(), audit.entries(Scope.of(c2), null, null, a.at(), 10));

        assertTrue(assertThrows(IllegalArgumentException.class, () -> audit.append(" ", "x", null, null, null))
                .getMessage().contains("actor"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> audit.append("a", null, null, null, null))
                .getMessage().contains("action"));
        assertThrows(IllegalArgumentException.class, () -> audit.entries(Scope.all(), null, null, null, 0));
    }

    @Test
    void auditHashEncodingIsUnambiguous() {
        Instant at = Instant.parse("2026-01-01T00:00:00Z");
        String zero = AuditHashes.GENESIS;
        byte[] k = new byte[32];
        assertNotEquals(AuditHashes.hmac(k, zero, at, "ab", "c", null, null, null),
                AuditHashes.hmac(k, zero, at, "a", "bc", null, null, null));
        assertNotEquals(AuditHashes.hmac(k, zero, at, "a", "b", null, null, ""),
                AuditHashes.hmac(k, zero, at, "a", "b", null, null, null));
        assertNotEquals(AuditHashes.hmac(k, zero, at, "a", "b", "x", null, null),
                AuditHashes.hmac(k, zero, at, "a", "b", null, "x", null));
        assertNotEquals(AuditHashes.hmac(k, zero, at, "a", "b", null, null, null),
                AuditHashes.hmac(k, zero, at.plusNanos(1000), "a", "b", null, null, null));
        byte[] other = new byte[32];
        other[0] = 1;
        assertNotEquals(AuditHashes.hmac(k, zero, at, "a", "b", null, null, null),
                AuditHashes.hmac(other, zero, at, "a", "b", null, null, null), "the key matters");
        assertNotEquals(AuditHashes.sha256(zero, at, "ab", "c", null, null, null),
                AuditHashes.sha256(zero, at, "a", "bc", null, null, null));
    }

    protected byte[] auditKeyBytes() {
        try {
            return java.nio.file.Files.readAllBytes(auditKey);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void templatesAndAuditSurviveRestart() {
        Community c = community();
        Scope scope = Scope.of(c.id());
        float[] v = vector(256, 99);
        FaceTemplateRepository.StoredTemplate t = templates.save(scope, c.id(), unique("res"), "m", v);
        AuditLog.AuditEntry e = audit.append("system", "enrollment.refused", c.id(), null, "restart test");
        store.close();
        start(settings);
        assertVector(v, templates.templatesOf(scope, t.subjectId()).get(0));
        assertEquals(List.of(e), audit.entries(scope, c.id(), null, null, 10));
        AuditLog.AuditEntry next = audit.append("system", "resident.view", c.id(), null, null);
        assertEquals(e.hash(), next.previousHash());
        assertTrue(audit.verify().intact());
    }

    // ---------------------------------------------------------------- key checks (V007)

    /** A store on another fresh database with the repositories the key tests use. */
    private final class OtherStore implements AutoCloseable {
        final CayenneStore db;
        final KeyChecksImpl checks;
        final CommunityRepository communities;
        final HouseholdRepository households;
        final CredentialRepository credentials;
        final org.gatehouse.api.service.VisitorRepository visitors;

        OtherStore(String name) throws Exception {
            db = new CayenneStore(anotherDatabase(name));
            checks = new KeyChecksImpl(db);
            communities = new CommunityRepositoryImpl(db);
            households = new HouseholdRepositoryImpl(db);
            credentials = new CredentialRepositoryImpl(db);
            visitors = new org.gatehouse.store.internal.repo.VisitorRepositoryImpl(db);
        }

        Resident resident(Community c) {
            Scope scope = Scope.of(c.id());
            Building b = communities.createBuilding(scope, c.id(), unique("B"), null);
            Unit u = communities.createUnit(scope, b.id(), unique("s"), 1, "101", null);
            Household h = households.createHousehold(scope, u.id(), "H");
            return households.addResident(scope, h.id(), "R", ResidentRole.OWNER, null, null, null, null, null);
        }

        void sql(String sql, Object... args) throws Exception {
            try (Connection connection = db.dataSource().getConnection();
                 java.sql.PreparedStatement st = connection.prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) {
                    st.setObject(i + 1, args[i]);
                }
                st.executeUpdate();
            }
        }

        @Override
        public void close() {
            db.close();
        }
    }

    private static void assertRefused(org.gatehouse.api.keys.KeyRefusedException e, Path file, String says) {
        assertTrue(e.getMessage().contains(file.toAbsolutePath().normalize().toString()), e.getMessage());
        assertTrue(e.getMessage().contains(says), e.getMessage());
        assertTrue(e.getMessage().contains("Keys and backups"), e.getMessage());
    }

    @Test
    void keyChecksAreRecordedOnceAndListWhatEachKeyMade() throws Exception {
        try (OtherStore o = new OtherStore("checks")) {
            assertTrue(o.checks.recorded("whitelist").isEmpty());
            org.gatehouse.api.service.KeyChecks.KeyCheck first = o.checks.record("whitelist", "hmac-sha256:aa", "/a/k");
            assertEquals("hmac-sha256:aa", first.checkValue());
            assertEquals("/a/k", first.keyFile());
            assertNotNull(first.recordedAt());
            // the first record wins (another node, or a second start): what is recorded comes back
            assertEquals(first, o.checks.record("whitelist", "hmac-sha256:bb", "/b/k"));
            assertEquals(first, o.checks.recorded("whitelist").orElseThrow());

            assertEquals(List.of(), o.checks.keyedValues("whitelist", 10));
            assertEquals(List.of(), o.checks.keyedValues("visitor", 10));
            Community c = o.communities.createCommunity(unique("K"), "Keys", null);
            Scope scope = Scope.of(c.id());
            Resident r = o.resident(c);
            o.credentials.issue(scope, r.id(), CredentialKind.CARD, "04A3B2C177"); // in clear (before V006): not keyed
            assertEquals(List.of(), o.checks.keyedValues("whitelist", 10));
            o.credentials.issue(scope, r.id(), CredentialKind.ID_CARD, "hmac-sha256:" + "1".repeat(64));
            o.credentials.issue(scope, r.id(), CredentialKind.APP_TOKEN, "totp-aesgcm:sealed");
            List<org.gatehouse.api.service.KeyChecks.KeyedValue> keyed = o.checks.keyedValues("whitelist", 10);
            assertEquals(List.of(new org.gatehouse.api.service.KeyChecks.KeyedValue("APP_TOKEN", c.id(),
                    "totp-aesgcm:sealed"), new org.gatehouse.api.service.KeyChecks.KeyedValue("ID_CARD", c.id(),
                    "hmac-sha256:" + "1".repeat(64))), keyed, "sealed secrets first: a key can be tried on them");
            assertEquals(1, o.checks.keyedValues("whitelist", 1).size());

            org.gatehouse.api.model.Household h = o.households.households(scope, c.id()).get(0);
            Instant from = Instant.parse("2026-05-01T08:00:00Z");
            org.gatehouse.api.model.Visitor v = o.visitors.register(scope, visitorDraft(h.id(), from,
                    from.plus(Duration.ofHours(4))));
            assertEquals(List.of(new org.gatehouse.api.service.KeyChecks.KeyedValue("id-card", c.id(), "hmac-idcard")),
                    o.checks.keyedValues("visitor", 10));
            o.visitors.issuePass(scope, v.id(), passDraft("c0de", from, from.plusSeconds(3600), 1, Set.of()));
            assertEquals("pass-code", o.checks.keyedValues("visitor", 10).get(0).kind());
            assertEquals("c0de", o.checks.keyedValues("visitor", 10).get(0).value());
            assertThrows(IllegalArgumentException.class, () -> o.checks.keyedValues("audit", 10));
        }
    }

    @Test
    void aMissingOrDifferentTemplateKeystoreIsRefusedWhileTheDatabaseNeedsItsKeys() throws Exception {
        Path dir = keystore.getParent().resolve("guard");
        Path ks = dir.resolve("etc").resolve("gatehouse-keys.p12");
        Path elsewhere = dir.resolve("new-host").resolve("etc").resolve("gatehouse-keys.p12");
        Path other = dir.resolve("other").resolve("k.p12");
        new TemplateKeys(other, "pw-other"); // a keystore of another installation: its template-key-1 is another key
        try (OtherStore o = new OtherStore("templates")) {
            // an empty database: the keystore is created and each key's check value recorded
            TemplateKeys keys1 = new TemplateKeys(ks, "", o.checks);
            assertTrue(java.nio.file.Files.exists(ks));
            String check = o.checks.recorded("template:template-key-1").orElseThrow().checkValue();
            assertTrue(check.matches("hmac-sha256:[0-9a-f]{64}"), check);
            Community c = o.communities.createCommunity(unique("T"), "Templates", null);
            Scope scope = Scope.of(c.id());
            float[] v = vector(64, 5);
            FaceTemplateRepository.StoredTemplate t = new FaceTemplateRepositoryImpl(o.db, keys1)
                    .save(scope, c.id(), "subject-1", "m", v);

            // a restore to a new host, or a wrong path: nothing there, and nothing created there
            var missing = assertThrows(org.gatehouse.api.keys.KeyRefusedException.class,
                    () -> new TemplateKeys(elsewhere, "", o.checks));
            assertRefused(missing, elsewhere, "is missing");
            assertFalse(java.nio.file.Files.exists(elsewhere));
            assertFalse(java.nio.file.Files.exists(elsewhere.resolveSibling(TemplateKeys.PASSWORD_FILE)));
            // another keystore
            var different = assertThrows(org.gatehouse.api.keys.KeyRefusedException.class,
                    () -> new TemplateKeys(other, "pw-other", o.checks));
            assertRefused(different, other, "is not the key this database was used with");
            // the right one reads
            TemplateKeys again = new TemplateKeys(ks, "", o.checks);
            assertVector(v, new FaceTemplateRepositoryImpl(o.db, again).templatesOf(scope, "subject-1").get(0));

            // a database from before the key checks (templates, no records): only a keystore that opens them
            o.sql("delete from key_check");
            assertRefused(assertThrows(org.gatehouse.api.keys.KeyRefusedException.class,
                    () -> new TemplateKeys(elsewhere, "", o.checks)), elsewhere, "holds 1 face template(s)");
            assertRefused(assertThrows(org.gatehouse.api.keys.KeyRefusedException.class,
                    () -> new TemplateKeys(other, "pw-other", o.checks)), other, "does not open");
            assertTrue(o.checks.recorded("template:template-key-1").isEmpty(), "nothing recorded for a refused key");
            new TemplateKeys(ks, "", o.checks);
            assertEquals(check, o.checks.recorded("template:template-key-1").orElseThrow().checkValue());

            // rotation records the new key; a copy of the keystore from before it lacks the key rows now need
            Path before = dir.resolve("before-rotation").resolve("gatehouse-keys.p12");
            java.nio.file.Files.createDirectories(before.getParent());
            java.nio.file.Files.copy(ks, before);
            java.nio.file.Files.copy(ks.resolveSibling(TemplateKeys.PASSWORD_FILE),
                    before.resolveSibling(TemplateKeys.PASSWORD_FILE));
            assertEquals("template-key-2", again.rotateKey());
            assertTrue(o.checks.recorded("template:template-key-2").isPresent());
            assertEquals(1, new FaceTemplateRepositoryImpl(o.db, again).reencryptAll());
            assertRefused(assertThrows(org.gatehouse.api.keys.KeyRefusedException.class,
                    () -> new TemplateKeys(before, "", o.checks)), before, "has no key 'template-key-2'");

            // no template left: the recorded keys still refuse a missing keystore (a wrong path stays wrong)
            new FaceTemplateRepositoryImpl(o.db, again).delete(scope, t.id());
            assertRefused(assertThrows(org.gatehouse.api.keys.KeyRefusedException.class,
                    () -> new TemplateKeys(elsewhere, "", o.checks)), elsewhere, "was used with template keys");
            assertFalse(java.nio.file.Files.exists(elsewhere));
        }
    }

    @Test
    void aTemplateKeystoreIsCheckedOnFirstUseWhenTheDatabaseWasDownAtStart() throws Exception {
        Path dir = keystore.getParent().resolve("down-" + System.nanoTime());
        Path copy = dir.resolve("etc").resolve("gatehouse-keys.p12");
        java.nio.file.Files.createDirectories(copy.getParent());
        java.nio.file.Files.copy(keystore, copy);
        java.nio.file.Files.copy(keystore.resolveSibling(TemplateKeys.PASSWORD_FILE),
                copy.resolveSibling(TemplateKeys.PASSWORD_FILE));
        Path missing = dir.resolve("missing").resolve("gatehouse-keys.p12");
        try (TcpProxy proxy = new TcpProxy(targetHost(), targetPort())) {
            proxy.cut();
            CayenneStore late = new CayenneStore(viaProxy(proxy.port()));
            try {
                KeyChecksImpl checks = new KeyChecksImpl(late);
                TemplateKeys deferred = new TemplateKeys(copy, "", checks); // starts: checked on first use
                new TemplateKeys(missing, "", checks);
                assertFalse(java.nio.file.Files.exists(missing), "never created without asking the database");
                quicklyUnavailable(() -> deferred.seal(new byte[] {1}, new byte[0]));
                proxy.restore();
                TemplateKeys.Sealed sealed = afterItReturns(() -> deferred.seal(new byte[] {1, 2}, new byte[0]));
                assertArrayEquals(new byte[] {1, 2}, deferred.open(sealed.keyId(), sealed.iv(), sealed.ciphertext(),
                        new byte[0]));
                assertTrue(checks.recorded("template:" + sealed.keyId()).isPresent());
            } finally {
                late.close();
            }
        }
    }

    // ---------------------------------------------------------------- health, restart, migrations

    @Test
    void healthReportsUp() {
        StoreHealth.Status status = store.status();
        assertTrue(status.up(), status.detail());
        assertEquals(Migrator.latestVersion(), status.schemaVersion());
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
        assertEquals(Migrator.latestVersion(), again.version());
        try (Connection connection = store.dataSource().getConnection(); Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("select count(*), max(version) from schema_version")) {
            rs.next();
            assertEquals(Migrator.MIGRATIONS.size(), rs.getInt(1));
            assertEquals(Migrator.latestVersion(), rs.getInt(2));
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

                // and once it is known to be down, the next callers are answered at once (nobody waits on it again)
                long fast = System.nanoTime();
                quicklyUnavailable(() -> repo.community(Scope.all(), c.id()));
                assertTrue((System.nanoTime() - fast) / 1_000_000 < 200, "a known outage is answered at once");

                proxy.restore();
                assertEquals(c, afterItReturns(() -> repo.community(Scope.all(), c.id())).orElseThrow());
                assertTrue(log.record(event));
                assertTrue(down.status().up());
            } finally {
                down.close();
            }
        }
    }

    /**
     * The first answer after the database is back: for up to a second after an outage was seen the store answers
     * unavailable without trying (FailFastDataSource), then one call reaches the database again.
     */
    private static <T> T afterItReturns(java.util.function.Supplier<T> call) throws InterruptedException {
        long until = System.nanoTime() + 5_000_000_000L;
        while (true) {
            try {
                return call.get();
            } catch (StoreUnavailableException e) {
                if (System.nanoTime() > until) {
                    throw e;
                }
                Thread.sleep(100);
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
                Community c = afterItReturns(() -> repo.createCommunity(unique("L"), "Late", null));
                assertEquals(c, repo.community(Scope.of(c.id()), c.id()).orElseThrow());
                assertTrue(late.status().up());
            } finally {
                late.close();
            }
        }
    }

    // ---------------------------------------------------------------- visitors, passes, visit log

    private org.gatehouse.api.model.Household visitorHost(Community c) {
        Scope scope = Scope.of(c.id());
        Building b = communities.createBuilding(scope, c.id(), unique("VB"), null);
        Unit u = communities.createUnit(scope, b.id(), "1", 2, unique("U"), null);
        return households.createHousehold(scope, u.id(), "Host");
    }

    private org.gatehouse.api.model.Visitor visitorDraft(String householdId, Instant from, Instant until) {
        return new org.gatehouse.api.model.Visitor("ignored", "ignored", householdId, "Li Si", "13700000000",
                "hmac-idcard", "delivery", from, until, org.gatehouse.api.model.VisitorStatus.WAITING_APPROVAL,
                "guard-1", "GATE", null, null, null);
    }

    private org.gatehouse.api.model.VisitorPass passDraft(String code, Instant from, Instant until, int maxUses,
                                                          Set<String> gates) {
        return new org.gatehouse.api.model.VisitorPass("ignored", "ignored", "name", "ignored", code, from, until,
                maxUses, 5, gates, null);
    }

    @Test
    void visitorRegisterAndDecideTransitions() {
        Community c = community();
        Scope scope = Scope.of(c.id());
        org.gatehouse.api.model.Household h = visitorHost(c);
        Instant from = Instant.parse("2026-05-01T08:00:00.1234567Z");
        org.gatehouse.api.model.Visitor v = visitors.register(scope,
                visitorDraft(h.id(), from, from.plus(Duration.ofHours(4))));
        assertNotEquals("ignored", v.id());
        assertEquals(c.id(), v.communityId());
        assertNotNull(v.createdAt());
        assertEquals(from.truncatedTo(ChronoUnit.MICROS), v.expectedFrom());
        assertEquals(v, visitors.visitor(scope, v.id()).orElseThrow());
        assertTrue(visitors.visitor(Scope.of("elsewhere"), v.id()).isEmpty());
        assertThrows(NotFoundException.class, () -> visitors.register(scope,
                visitorDraft("no-such-household", from, from.plusSeconds(60))));
        assertThrows(NotFoundException.class, () -> visitors.register(Scope.of("elsewhere"),
                visitorDraft(h.id(), from, from.plusSeconds(60))));

        var WAITING = org.gatehouse.api.model.VisitorStatus.WAITING_APPROVAL;
        var APPROVED = org.gatehouse.api.model.VisitorStatus.APPROVED;
        var REJECTED = org.gatehouse.api.model.VisitorStatus.REJECTED;
        var CLOSED = org.gatehouse.api.model.VisitorStatus.CLOSED;
        assertThrows(NotFoundException.class, () -> visitors.decide(Scope.of("elsewhere"), v.id(), APPROVED, "host"));
        assertThrows(ConflictException.class, () -> visitors.decide(scope, v.id(), WAITING, "host"));
        org.gatehouse.api.model.Visitor approved = visitors.decide(scope, v.id(), APPROVED, "resident-9");
        assertEquals(APPROVED, approved.status());
        assertEquals("resident-9", approved.decidedBy());
        assertNotNull(approved.decidedAt());
        assertEquals(approved, visitors.visitor(scope, v.id()).orElseThrow());
        assertThrows(ConflictException.class, () -> visitors.decide(scope, v.id(), APPROVED, "host"));
        assertThrows(ConflictException.class, () -> visitors.decide(scope, v.id(), REJECTED, "host"));
        assertEquals(CLOSED, visitors.decide(scope, v.id(), CLOSED, "office").status());
        assertThrows(ConflictException.class, () -> visitors.decide(scope, v.id(), CLOSED, "office"));
        assertThrows(ConflictException.class, () -> visitors.decide(scope, v.id(), APPROVED, "office"));

        org.gatehouse.api.model.Visitor w = visitors.register(scope, visitorDraft(h.id(), from, from.plusSeconds(60)));
        assertEquals(REJECTED, visitors.decide(scope, w.id(), REJECTED, "host").status());
        assertThrows(ConflictException.class, () -> visitors.decide(scope, w.id(), CLOSED, "office"));
        assertThrows(ConflictException.class, () -> visitors.decide(scope, w.id(), APPROVED, "office"));
        org.gatehouse.api.model.Visitor x = visitors.register(scope, visitorDraft(h.id(), from, from.plusSeconds(60)));
        assertEquals(CLOSED, visitors.decide(scope, x.id(), CLOSED, "host").status());

        assertEquals(List.of(x.id(), w.id(), v.id()), visitors.visitors(scope, c.id(), null, 10).stream()
                .map(org.gatehouse.api.model.Visitor::id).toList());
        assertEquals(List.of(w.id()), visitors.visitors(scope, null, REJECTED, 10).stream()
                .map(org.gatehouse.api.model.Visitor::id).toList());
        assertTrue(visitors.visitors(Scope.of("elsewhere"), c.id(), null, 10).isEmpty());
    }

    /** Every alerts event of a community in the outbox (published or not), in sequence order. */
    private List<Alert> alertEvents(String communityId) throws Exception {
        List<Alert> result = new java.util.ArrayList<>();
        try (Connection connection = store.dataSource().getConnection();
             java.sql.PreparedStatement st = connection.prepareStatement(
                     "select event_id, payload from outbox where community_id = ? and stream = ? order by sequence")) {
            st.setString(1, communityId);
            st.setString(2, Streams.ALERTS);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    Alert alert = Json.read(rs.getString(2), Alert.class);
                    assertEquals(rs.getString(1), alert.id());
                    result.add(alert);
                }
            }
        }
        return result;
    }

    @Test
    void aWaitingVisitorIsPublishedWithItsRegistrationAndItsEndWithTheDecision() throws Exception {
        Community c = community();
        Scope scope = Scope.of(c.id());
        org.gatehouse.api.model.Household h = visitorHost(c);
        Instant now = Instant.now();
        Resident tenant = households.addResident(scope, h.id(), "Wang Fang", ResidentRole.TENANT, null, null,
                now.minus(Duration.ofDays(30)), null, null);
        households.addResident(scope, h.id(), "Lease Ended", ResidentRole.CO_RESIDENT, null, null,
                now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)), null);
        Resident movedOut = households.addResident(scope, h.id(), "Moved Out", ResidentRole.CO_RESIDENT, null, null,
                null, null, null);
        households.removeResident(scope, movedOut.id());
        org.gatehouse.api.model.Household neighbour = visitorHost(c);
        households.addResident(scope, neighbour.id(), "Neighbour", ResidentRole.TENANT, null, null, null, null, null);
        Device door = devices.register(scope, c.id(), null, "east", "East gate", DeviceKind.FACE_TERMINAL,
                Direction.IN).device();
        Community other = community();
        Device elsewhere = devices.register(Scope.of(other.id()), other.id(), null, "east", "East gate",
                DeviceKind.FACE_TERMINAL, Direction.IN).device();
        Instant from = now.plus(Duration.ofMinutes(1));
        int before = alertEvents(c.id()).size();

        org.gatehouse.api.model.Visitor v = visitors.register(scope,
                visitorDraft(h.id(), from, from.plus(Duration.ofHours(4))), door.id());
        List<Alert> events = alertEvents(c.id());
        assertEquals(before + 1, events.size());
        Alert waiting = events.get(events.size() - 1);
        assertEquals("visitor-waiting:" + v.id(), waiting.id());
        assertEquals(AlertType.VISITOR_WAITING, waiting.type());
        assertEquals(AlertStatus.OPEN, waiting.status());
        assertEquals(v.id(), waiting.subjectId());
        assertTrue(alerts.alert(scope, waiting.id()).isEmpty(), "a notification, not an alert of the office's list");
        Alert.Visit visit = waiting.visit();
        assertEquals(v.id(), visit.visitorId());
        assertEquals(h.id(), visit.householdId());
        assertEquals(h.unitId(), visit.unitId());
        assertEquals(communities.unit(scope, h.unitId()).orElseThrow().number(), visit.flat().number());
        assertEquals("Li Si", visit.visitorName());
        assertEquals("delivery", visit.purpose());
        assertEquals(door.id(), visit.deviceId());
        assertEquals("east", visit.gate());
        assertEquals(v.expectedFrom(), visit.expectedFrom());
        assertEquals(v.expectedUntil(), visit.expectedUntil());
        assertEquals(VisitorStatus.WAITING_APPROVAL, visit.status());
        assertEquals(List.of(tenant.id()), visit.residentIds(), "only who lives there now, of this household");
        assertTrue(waiting.message().contains(visit.flat().number()), waiting.message());

        // a device of another community: nothing stored, nothing published
        int visitorsBefore = visitors.visitors(scope, c.id(), null, 100).size();
        assertThrows(NotFoundException.class, () -> visitors.register(scope,
                visitorDraft(h.id(), from, from.plusSeconds(60)), elsewhere.id()));
        assertEquals(visitorsBefore, visitors.visitors(scope, c.id(), null, 100).size());
        assertEquals(before + 1, alertEvents(c.id()).size());
        // a visitor stored approved (an invitation) never waits
        org.gatehouse.api.model.Visitor d = visitorDraft(h.id(), from, from.plusSeconds(60));
        visitors.register(scope, new org.gatehouse.api.model.Visitor(d.id(), d.communityId(), d.hostHouseholdId(),
                d.name(), d.phone(), d.idCardHash(), d.purpose(), d.expectedFrom(), d.expectedUntil(),
                VisitorStatus.APPROVED, "wang", "app", "wang", now, null));
        assertEquals(before + 1, alertEvents(c.id()).size());

        visitors.decide(scope, v.id(), VisitorStatus.APPROVED, "wang");
        visitors.decide(scope, v.id(), VisitorStatus.CLOSED, "office");
        events = alertEvents(c.id());
        assertEquals(before + 2, events.size(), "one end of the wait; closing the approved visit is not one");
        Alert ended = events.get(events.size() - 1);
        assertEquals("visitor-waiting-closed:" + v.id(), ended.id());
        assertEquals(AlertType.VISITOR_WAITING_CLOSED, ended.type());
        assertEquals(AlertStatus.CLOSED, ended.status());
        assertEquals(VisitorStatus.APPROVED, ended.visit().status());
        assertEquals(List.of(tenant.id()), ended.visit().residentIds());
        assertTrue(outbox.pending(10_000).stream().anyMatch(e -> e.eventId().equals(ended.id())),
                "pending for the relay like any other event");
    }

    @Test
    void aWaitingRegistrationAndItsEventCommitTogetherOrNotAtAll() throws Exception {
        Community c = community();
        Scope scope = Scope.of(c.id());
        org.gatehouse.api.model.Household h = visitorHost(c);
        Instant from = Instant.now().plus(Duration.ofMinutes(1));
        String name = "ck_test_" + UUID.randomUUID().toString().substring(0, 8);
        jdbc("alter table outbox add constraint " + name + " check (payload not like '%VISITOR_WAITING%' "
                + "or payload not like '%" + h.id() + "%')");
        try {
            assertThrows(RuntimeException.class, () -> visitors.register(scope,
                    visitorDraft(h.id(), from, from.plusSeconds(600))));
            assertEquals(List.of(), visitors.visitors(scope, c.id(), null, 10), "no visitor without its event");
        } finally {
            jdbc("alter table outbox drop constraint " + name);
        }
        org.gatehouse.api.model.Visitor v = visitors.register(scope, visitorDraft(h.id(), from, from.plusSeconds(600)));
        jdbc("alter table outbox add constraint " + name + " check (payload not like '%VISITOR_WAITING_CLOSED%' "
                + "or payload not like '%" + h.id() + "%')");
        try {
            assertThrows(RuntimeException.class, () -> visitors.decide(scope, v.id(), VisitorStatus.REJECTED, "wang"));
            assertEquals(VisitorStatus.WAITING_APPROVAL, visitors.visitor(scope, v.id()).orElseThrow().status());
        } finally {
            jdbc("alter table outbox drop constraint " + name);
        }
    }

    @Test
    void passCodesAreUniqueAmongActivePasses() throws Exception {
        Community c = community();
        Scope scope = Scope.of(c.id());
        org.gatehouse.api.model.Household h = visitorHost(c);
        Instant from = Instant.parse("2026-06-01T08:00:00Z");
        Instant until = from.plus(Duration.ofHours(8));
        org.gatehouse.api.model.Visitor v1 = visitors.register(scope, visitorDraft(h.id(), from, until));
        org.gatehouse.api.model.Visitor v2 = visitors.register(scope, visitorDraft(h.id(), from, until));
        String code = unique("hash");
        org.gatehouse.api.model.VisitorPass p1 = visitors.issuePass(scope, v1.id(),
                passDraft(code, from, until, 2, Set.of("north")));
        assertNotEquals("ignored", p1.id());
        assertEquals(0, p1.uses());
        assertEquals(c.id(), p1.communityId());
        assertEquals(h.id(), p1.hostHouseholdId());
        assertEquals(Set.of("north"), p1.gates());
        assertEquals(p1, visitors.pass(scope, p1.id()).orElseThrow());
        assertEquals(p1, visitors.passByCode(scope, c.id(), code).orElseThrow());
        assertTrue(visitors.passByCode(Scope.of("elsewhere"), c.id(), code).isEmpty());
        assertTrue(visitors.pass(Scope.of("elsewhere"), p1.id()).isEmpty());
        assertThrows(NotFoundException.class, () -> visitors.issuePass(Scope.of("elsewhere"), v1.id(),
                passDraft(unique("hash"), from, until, 1, Set.of())));
        assertThrows(ConflictException.class, () -> visitors.issuePass(scope, v2.id(),
                passDraft(code, from, until, 1, Set.of())));
        // same code in another community is fine
        Community other = community();
        org.gatehouse.api.model.Household h2 = visitorHost(other);
        org.gatehouse.api.model.Visitor elsewhere = visitors.register(Scope.all(), visitorDraft(h2.id(), from, until));
        visitors.issuePass(Scope.all(), elsewhere.id(), passDraft(code, from, until, 1, Set.of()));

        org.gatehouse.api.model.VisitorPass revoked = visitors.revokePass(scope, p1.id());
        assertNotNull(revoked.revokedAt());
        assertEquals(revoked, visitors.revokePass(scope, p1.id()));
        assertTrue(visitors.passByCode(scope, c.id(), code).isEmpty());
        org.gatehouse.api.model.VisitorPass p2 = visitors.issuePass(scope, v2.id(),
                passDraft(code, from, until, 1, Set.of()));
        assertEquals(p2, visitors.passByCode(scope, c.id(), code).orElseThrow());
        visitors.revokePass(scope, p2.id());
        visitors.issuePass(scope, v1.id(), passDraft(code, from, until, 1, Set.of()));
        assertEquals(2, visitors.passesOf(scope, v1.id()).size());
        assertEquals(List.of(p2.id()), visitors.passesOf(scope, v2.id()).stream()
                .map(org.gatehouse.api.model.VisitorPass::id).toList());
        assertThrows(NotFoundException.class, () -> visitors.passesOf(Scope.of("elsewhere"), v1.id()));
        assertThrows(NotFoundException.class, () -> visitors.revokePass(Scope.of("elsewhere"), p2.id()));
        // the database itself refuses a second active row with the code
        assertThrows(java.sql.SQLException.class, () -> jdbc("insert into visitor_pass (id, community_id, visitor_id, "
                + "visitor_name, host_household_id, code, active_code, valid_from, valid_until, max_uses, uses, gates) "
                + "values (?, ?, ?, 'x', ?, ?, ?, ?, ?, 1, 0, '')", unique("raw"), c.id(), v1.id(), h.id(), code, code,
                java.time.OffsetDateTime.parse("2026-06-01T08:00:00Z"),
                java.time.OffsetDateTime.parse("2026-06-01T09:00:00Z")));
        // a rejected visitor gets no pass
        visitors.decide(scope, v2.id(), org.gatehouse.api.model.VisitorStatus.REJECTED, "host");
        assertThrows(ConflictException.class, () -> visitors.issuePass(scope, v2.id(),
                passDraft(unique("hash"), from, until, 1, Set.of())));
    }

    @Test
    void usePassRespectsUsesWindowGatesAndRevocation() {
        Community c = community();
        Scope scope = Scope.of(c.id());
        org.gatehouse.api.model.Household h = visitorHost(c);
        Instant from = Instant.parse("2026-07-01T08:00:00Z");
        Instant until = from.plus(Duration.ofHours(1));
        org.gatehouse.api.model.Visitor v = visitors.register(scope, visitorDraft(h.id(), from, until));
        org.gatehouse.api.model.VisitorPass p = visitors.issuePass(scope, v.id(),
                passDraft(unique("hash"), from, until, 2, Set.of("north")));
        Instant inside = from.plusSeconds(60);
        assertTrue(visitors.usePass(scope, p.id(), "south", inside).isEmpty(), "wrong gate");
        assertTrue(visitors.usePass(scope, p.id(), "north", from.minusSeconds(1)).isEmpty(), "not yet valid");
        assertTrue(visitors.usePass(scope, p.id(), "north", until).isEmpty(), "expired");
        assertEquals(0, visitors.pass(scope, p.id()).orElseThrow().uses());
        assertEquals(1, visitors.usePass(scope, p.id(), "north", from).orElseThrow().uses());
        assertThrows(NotFoundException.class, () -> visitors.usePass(Scope.of("elsewhere"), p.id(), "north", inside));
        org.gatehouse.api.model.VisitorPass used = visitors.usePass(scope, p.id(), "north", inside).orElseThrow();
        assertEquals(2, used.uses());
        assertFalse(used.opens("north", inside));
        assertTrue(visitors.usePass(scope, p.id(), "north", inside).isEmpty(), "max uses");
        assertEquals(2, visitors.pass(scope, p.id()).orElseThrow().uses());

        org.gatehouse.api.model.VisitorPass any = visitors.issuePass(scope, v.id(),
                passDraft(unique("hash"), from, until, 5, Set.of()));
        assertEquals(1, visitors.usePass(scope, any.id(), "any gate", inside).orElseThrow().uses());
        visitors.revokePass(scope, any.id());
        assertTrue(visitors.usePass(scope, any.id(), "any gate", inside).isEmpty(), "revoked");
        assertEquals(1, visitors.pass(scope, any.id()).orElseThrow().uses());
    }

    @Test
    void aBuildingLimitedPassOpensOnlyItsBuildingsDoorsAndCompoundGates() throws Exception {
        Community c = community();
        Scope scope = Scope.of(c.id());
        Building a = communities.createBuilding(scope, c.id(), unique("A"), null);
        Building b = communities.createBuilding(scope, c.id(), unique("B"), null);
        Unit flat = communities.createUnit(scope, a.id(), "1", 1, unique("U"), null);
        org.gatehouse.api.model.Household host = households.createHousehold(scope, flat.id(), "Host");
        Device doorA = devices.register(scope, c.id(), a.id(), "unit-door", "A door", DeviceKind.FACE_TERMINAL,
                Direction.IN).device();
        // the same gate name in another building must not help: the building decides
        Device doorB = devices.register(scope, c.id(), b.id(), "unit-door", "B door", DeviceKind.FACE_TERMINAL,
                Direction.IN).device();
        Device compound = devices.register(scope, c.id(), null, "north", "North gate", DeviceKind.TURNSTILE,
                Direction.BOTH).device();
        Community other = community();
        Device elsewhere = devices.register(Scope.all(), other.id(), null, "north", "Other north",
                DeviceKind.TURNSTILE, Direction.BOTH).device();
        Instant from = Instant.parse("2026-07-03T08:00:00Z");
        Instant until = from.plus(Duration.ofHours(1));
        Instant inside = from.plusSeconds(60);
        org.gatehouse.api.model.Visitor v = visitors.register(scope, visitorDraft(host.id(), from, until));
        String code = unique("hash");
        org.gatehouse.api.model.VisitorPass p = visitors.issuePass(scope, v.id(), limitedDraft(code, from, until, 5,
                Set.of(), a.id()));
        assertEquals(a.id(), p.buildingId());
        assertEquals(p, visitors.pass(scope, p.id()).orElseThrow());
        assertEquals(p, visitors.passByCode(scope, c.id(), code).orElseThrow());
        assertEquals(List.of(p), visitors.passesOf(scope, v.id()));

        assertTrue(visitors.usePassAtDevice(scope, p.id(), doorB.id(), inside).isEmpty(), "another building's door");
        assertTrue(visitors.usePass(scope, p.id(), "unit-door", inside).isEmpty(), "by gate name alone");
        assertTrue(visitors.usePass(scope, p.id(), "north", inside).isEmpty(), "by gate name alone");
        assertThrows(NotFoundException.class, () -> visitors.usePassAtDevice(scope, p.id(), elsewhere.id(), inside),
                "a device of another community");
        assertThrows(NotFoundException.class, () -> visitors.usePassAtDevice(scope, p.id(), "no-such-device", inside));
        assertEquals(0, visitors.pass(scope, p.id()).orElseThrow().uses(), "no use counted by a refusal");
        assertEquals(1, visitors.usePassAtDevice(scope, p.id(), doorA.id(), inside).orElseThrow().uses());
        org.gatehouse.api.model.VisitorPass atGate = visitors.usePassAtDevice(scope, p.id(), compound.id(), inside)
                .orElseThrow();
        assertEquals(2, atGate.uses());
        assertEquals(a.id(), atGate.buildingId());
        assertTrue(visitors.usePassAtDevice(scope, p.id(), doorA.id(), until).isEmpty(), "expired");

        // an unlimited pass (office) opens any building's door, by device or by name, within its gates
        org.gatehouse.api.model.VisitorPass any = visitors.issuePass(scope, v.id(),
                passDraft(unique("hash"), from, until, 5, Set.of()));
        assertNull(any.buildingId());
        assertEquals(1, visitors.usePassAtDevice(scope, any.id(), doorB.id(), inside).orElseThrow().uses());
        assertEquals(2, visitors.usePass(scope, any.id(), "unit-door", inside).orElseThrow().uses());
        org.gatehouse.api.model.VisitorPass north = visitors.issuePass(scope, v.id(),
                limitedDraft(unique("hash"), from, until, 5, Set.of("north"), null));
        assertTrue(visitors.usePassAtDevice(scope, north.id(), doorB.id(), inside).isEmpty(), "not in its gates");
        assertEquals(1, visitors.usePassAtDevice(scope, north.id(), compound.id(), inside).orElseThrow().uses());

        // the building must be one of the visitor's community; the database refuses an unknown building
        assertThrows(NotFoundException.class, () -> visitors.issuePass(scope, v.id(),
                limitedDraft(unique("hash"), from, until, 1, Set.of(), "no-such-building")));
        Building otherBuilding = communities.createBuilding(Scope.all(), other.id(), unique("O"), null);
        assertThrows(NotFoundException.class, () -> visitors.issuePass(scope, v.id(),
                limitedDraft(unique("hash"), from, until, 1, Set.of(), otherBuilding.id())));
        String raw = unique("hash");
        assertThrows(java.sql.SQLException.class, () -> jdbc("insert into visitor_pass (id, community_id, visitor_id, "
                + "visitor_name, host_household_id, code, active_code, valid_from, valid_until, max_uses, uses, gates, "
                + "building_id) values (?, ?, ?, 'x', ?, ?, ?, ?, ?, 1, 0, '', 'no-such-building')", unique("raw"),
                c.id(), v.id(), host.id(), raw, raw, java.time.OffsetDateTime.parse("2026-07-03T08:00:00Z"),
                java.time.OffsetDateTime.parse("2026-07-03T09:00:00Z")));
    }

    private org.gatehouse.api.model.VisitorPass limitedDraft(String code, Instant from, Instant until, int maxUses,
                                                             Set<String> gates, String buildingId) {
        return new org.gatehouse.api.model.VisitorPass("ignored", "ignored", "name", "ignored", code, from, until,
                maxUses, 5, gates, null, buildingId);
    }

    @Test
    void concurrentUsesOfTheLastUseHaveOneWinner() throws Exception {
        Community c = community();
        Scope scope = Scope.of(c.id());
        org.gatehouse.api.model.Household h = visitorHost(c);
        Instant from = Instant.parse("2026-07-02T08:00:00Z");
        Instant until = from.plus(Duration.ofHours(1));
        org.gatehouse.api.model.Visitor v = visitors.register(scope, visitorDraft(h.id(), from, until));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 5; round++) {
                org.gatehouse.api.model.VisitorPass p = visitors.issuePass(scope, v.id(),
                        passDraft(unique("hash"), from, until, 2, Set.of("north")));
                visitors.usePass(scope, p.id(), "north", from.plusSeconds(1)).orElseThrow();
                java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
                List<Future<java.util.Optional<org.gatehouse.api.model.VisitorPass>>> results = new java.util.ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    results.add(pool.submit(() -> {
                        start.await();
                        return visitors.usePass(scope, p.id(), "north", from.plusSeconds(2));
                    }));
                }
                start.countDown();
                int won = 0;
                for (Future<java.util.Optional<org.gatehouse.api.model.VisitorPass>> result : results) {
                    java.util.Optional<org.gatehouse.api.model.VisitorPass> r = result.get();
                    if (r.isPresent()) {
                        won++;
                        assertEquals(2, r.get().uses());
                    }
                }
                assertEquals(1, won, "round " + round);
                assertEquals(2, visitors.pass(scope, p.id()).orElseThrow().uses());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void visitLogNewestFirstScopedAndByTime() {
        Community c = community();
        Scope scope = Scope.of(c.id());
        Instant t = Instant.parse("2026-08-01T10:00:00Z");
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            org.gatehouse.api.model.VisitLogEntry e = visitors.log(scope, new org.gatehouse.api.model.VisitLogEntry(
                    "ignored", c.id(), "v-1", null, "PASS_USED", "gate-device", "north", t.plusSeconds(i), null));
            assertNotEquals("ignored", e.id());
            assertEquals("", e.detail());
            ids.add(e.id());
        }
        List<org.gatehouse.api.model.VisitLogEntry> all = visitors.log(scope, c.id(), null, null, 10);
        assertEquals(List.of(ids.get(2), ids.get(1), ids.get(0)),
                all.stream().map(org.gatehouse.api.model.VisitLogEntry::id).toList());
        assertEquals(t.plusSeconds(2), all.get(0).at());
        assertEquals(List.of(ids.get(1)), visitors.log(scope, c.id(), t.plusSeconds(1), t.plusSeconds(2), 10)
                .stream().map(org.gatehouse.api.model.VisitLogEntry::id).toList());
        assertEquals(2, visitors.log(scope, null, null, null, 2).size());
        assertTrue(visitors.log(Scope.of("elsewhere"), c.id(), null, null, 10).isEmpty());
        assertThrows(OutOfScopeException.class, () -> visitors.log(Scope.of("elsewhere"),
                new org.gatehouse.api.model.VisitLogEntry("x", c.id(), null, null, "REMOTE_OPEN", "a", null, t, "")));
        assertThrows(NotFoundException.class, () -> visitors.log(Scope.all(),
                new org.gatehouse.api.model.VisitLogEntry("x", "no-such", null, null, "REMOTE_OPEN", "a", null, t, "")));
    }

    // ---------------------------------------------------------------- retention and subject data

    private PassageEvent subjectPassage(String communityId, String id, String subjectId, Instant at) {
        return new PassageEvent(id, communityId, "dev-1", at, Direction.IN, SubjectType.VISITOR, subjectId,
                CredentialKind.FACE, new AccessDecision(Verdict.ALLOW, List.of(), Map.of()));
    }

    private long outboxSequence(String eventId) {
        return outbox.pending(10_000).stream().filter(e -> e.eventId().equals(eventId)).findFirst().orElseThrow()
                .sequence();
    }

    @Test
    void retentionPurgesOldRowsInBatchesAndKeepsUnpublished() throws Exception {
        Community c = community();
        Scope scope = Scope.of(c.id());
        Instant old = Instant.parse("2001-03-01T00:00:00Z");
        Instant cutoff = Instant.parse("2002-01-01T00:00:00Z");
        Instant recent = Instant.parse("2003-03-01T00:00:00Z");

        // passages: published old -> gone with its outbox row; unpublished old -> both stay; new -> stays
        PassageEvent publishedOld = subjectPassage(c.id(), unique("old-pub"), "s", old);
        PassageEvent pendingOld = subjectPassage(c.id(), unique("old-pending"), "s", old);
        PassageEvent publishedNew = subjectPassage(c.id(), unique("new-pub"), "s", recent);
        for (PassageEvent e : List.of(publishedOld, pendingOld, publishedNew)) {
            passages.record(e);
        }
        outbox.markPublished(outboxSequence(publishedOld.id()));
        outbox.markPublished(outboxSequence(publishedNew.id()));
        // more than one batch of old passages without outbox rows
        int bulk = 1_005;
        String prefix = unique("bulk");
        try (Connection connection = store.dataSource().getConnection();
             java.sql.PreparedStatement st = connection.prepareStatement("insert into passage (id, community_id, "
                     + "device_id, occurred_at, direction, subject_type, verdict, reasons, scores) "
                     + "values (?, ?, 'dev', ?, 'IN', 'UNKNOWN', 'DENY', '[]', '{}')")) {
            connection.setAutoCommit(false);
            for (int i = 0; i < bulk; i++) {
                st.setString(1, prefix + "-" + i);
                st.setString(2, c.id());
                st.setObject(3, java.time.OffsetDateTime.parse("2001-01-01T00:00:00Z").plusSeconds(i));
                st.addBatch();
            }
            st.executeBatch();
            connection.commit();
            connection.setAutoCommit(true);
        }
        assertEquals(bulk + 1, retention.purgePassages(cutoff));
        assertTrue(passages.passage(scope, publishedOld.id()).isEmpty());
        assertEquals(0, rows("select count(*) from outbox where event_id = ?", publishedOld.id()));
        assertTrue(passages.passage(scope, pendingOld.id()).isPresent());
        assertEquals(1, outbox.pending(10_000).stream().filter(e -> e.eventId().equals(pendingOld.id())).count());
        assertTrue(passages.passage(scope, publishedNew.id()).isPresent());
        assertEquals(1, rows("select count(*) from outbox where event_id = ?", publishedNew.id()));
        assertEquals(0, rows("select count(*) from passage where id like ?", prefix + "%"));
        assertEquals(0, retention.purgePassages(cutoff));
        // once published, the remaining old passage goes too
        outbox.markPublished(outboxSequence(pendingOld.id()));
        assertEquals(1, retention.purgePassages(cutoff));
        assertTrue(passages.passage(scope, pendingOld.id()).isEmpty());

        // visitors with their passes
        org.gatehouse.api.model.Household h = visitorHost(c);
        org.gatehouse.api.model.Visitor gone = visitors.register(scope, visitorDraft(h.id(), old, old.plusSeconds(3600)));
        org.gatehouse.api.model.VisitorPass gonePass = visitors.issuePass(scope, gone.id(),
                passDraft(unique("hash"), old, old.plusSeconds(3600), 1, Set.of()));
        org.gatehouse.api.model.Visitor kept = visitors.register(scope,
                visitorDraft(h.id(), old, recent));
        org.gatehouse.api.model.VisitorPass keptPass = visitors.issuePass(scope, kept.id(),
                passDraft(unique("hash"), old, recent, 1, Set.of()));
        assertEquals(1, retention.purgeVisitors(cutoff));
        assertTrue(visitors.visitor(scope, gone.id()).isEmpty());
        assertTrue(visitors.pass(scope, gonePass.id()).isEmpty());
        assertEquals(kept, visitors.visitor(scope, kept.id()).orElseThrow());
        assertEquals(keptPass, visitors.pass(scope, keptPass.id()).orElseThrow());

        // visit log
        org.gatehouse.api.model.VisitLogEntry oldEntry = visitors.log(scope, new org.gatehouse.api.model.VisitLogEntry(
                "x", c.id(), gone.id(), null, "REGISTERED", "guard", null, old, null));
        org.gatehouse.api.model.VisitLogEntry newEntry = visitors.log(scope, new org.gatehouse.api.model.VisitLogEntry(
                "x", c.id(), kept.id(), null, "REGISTERED", "guard", null, recent, null));
        assertEquals(1, retention.purgeVisitLog(cutoff));
        assertEquals(List.of(newEntry), visitors.log(scope, c.id(), null, null, 10));
        assertNotEquals(oldEntry.id(), newEntry.id());

        // alerts: only closed ones before the cutoff
        Acknowledgement ack = new Acknowledgement("officer", recent, "done");
        Alert closedOld = alerts.raise(new Alert(unique("a"), c.id(), AlertType.STRANGER, AlertSeverity.INFO,
                AlertStatus.OPEN, null, "m", old, null));
        alerts.acknowledge(scope, closedOld.id(), ack, AlertStatus.CLOSED);
        Alert openOld = alerts.raise(new Alert(unique("a"), c.id(), AlertType.STRANGER, AlertSeverity.INFO,
                AlertStatus.OPEN, null, "m", old, null));
        Alert closedNew = alerts.raise(new Alert(unique("a"), c.id(), AlertType.STRANGER, AlertSeverity.INFO,
                AlertStatus.OPEN, null, "m", recent, null));
        alerts.acknowledge(scope, closedNew.id(), ack, AlertStatus.CLOSED);
        assertEquals(1, retention.purgeAlerts(cutoff));
        assertTrue(alerts.alert(scope, closedOld.id()).isEmpty());
        assertTrue(alerts.alert(scope, openOld.id()).isPresent());
        assertTrue(alerts.alert(scope, closedNew.id()).isPresent());

        // published outbox entries
        String stream = unique("retention");
        outbox.append(stream, "published-old", c.id(), "{}");
        outbox.append(stream, "published-new", c.id(), "{}");
        outbox.append(stream, "pending", c.id(), "{}");
        outbox.markPublished(outboxSequence("published-old"));
        outbox.markPublished(outboxSequence("published-new"));
        jdbc("update outbox set published_at = ? where stream = ? and event_id = 'published-old'",
                java.time.OffsetDateTime.parse("2001-06-01T00:00:00Z"), stream);
        assertEquals(1, retention.purgePublishedOutbox(cutoff));
        assertEquals(0, rows("select count(*) from outbox where event_id = 'published-old' and stream = ?", stream));
        assertEquals(2, rows("select count(*) from outbox where stream = ?", stream));
        assertThrows(IllegalArgumentException.class, () -> retention.purgeAlerts(null));
    }

    @Test
    void subjectPassagesListedOldestFirstAndAnonymised() throws Exception {
        Community c = community();
        Community other = community();
        Scope scope = Scope.of(c.id());
        String subject = unique("visitor");
        Instant t = Instant.parse("2026-09-01T10:00:00Z");
        PassageEvent second = subjectPassage(c.id(), unique("s2"), subject, t.plusSeconds(60));
        PassageEvent first = subjectPassage(c.id(), unique("s1"), subject, t);
        PassageEvent third = subjectPassage(c.id(), unique("s3"), subject, t.plusSeconds(120));
        PassageEvent someoneElse = subjectPassage(c.id(), unique("s4"), unique("other"), t);
        PassageEvent otherCommunity = subjectPassage(other.id(), unique("s5"), subject, t);
        for (PassageEvent e : List.of(second, first, third, someoneElse, otherCommunity)) {
            passages.record(e);
        }
        assertEquals(List.of(first, second, third), subjects.passagesOf(scope, subject));
        assertEquals(4, subjects.passagesOf(Scope.all(), subject).size());
        assertTrue(subjects.passagesOf(Scope.of("elsewhere"), subject).isEmpty());

        assertEquals(3, subjects.anonymisePassages(scope, subject));
        assertTrue(subjects.passagesOf(scope, subject).isEmpty());
        PassageEvent anonymous = passages.passage(scope, first.id()).orElseThrow();
        assertNull(anonymous.subjectId());
        assertEquals(first.occurredAt(), anonymous.occurredAt());
        assertEquals(3, passages.passages(scope, c.id(), t, t.plusSeconds(121), 10).stream()
                .filter(e -> e.subjectId() == null).count());
        OutboxRepository.OutboxEntry entry = outbox.pending(10_000).stream()
                .filter(e -> e.eventId().equals(first.id())).findFirst().orElseThrow();
        assertNull(Json.read(entry.payloadJson(), PassageEvent.class).subjectId());
        assertFalse(entry.payloadJson().contains(subject));
        // other subjects and other communities untouched
        assertEquals(someoneElse, passages.passage(scope, someoneElse.id()).orElseThrow());
        assertEquals(List.of(otherCommunity), subjects.passagesOf(Scope.all(), subject));
        assertEquals(0, subjects.anonymisePassages(scope, subject));
    }

    // ---------------------------------------------------------------- erasure of a resident

    /** The resident row as the database holds it, column by column. */
    private Map<String, Object> residentRow(String id) throws Exception {
        try (Connection connection = store.dataSource().getConnection();
             java.sql.PreparedStatement st = connection.prepareStatement("select * from resident where id = ?")) {
            st.setString(1, id);
            try (ResultSet rs = st.executeQuery()) {
                assertTrue(rs.next(), "the row stays");
                Map<String, Object> row = new java.util.TreeMap<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.put(rs.getMetaData().getColumnLabel(i).toLowerCase(java.util.Locale.ROOT), rs.getObject(i));
                }
                return row;
            }
        }
    }

    private List<String> columnValues(String sql, String arg) throws Exception {
        List<String> values = new java.util.ArrayList<>();
        try (Connection connection = store.dataSource().getConnection();
             java.sql.PreparedStatement st = connection.prepareStatement(sql)) {
            st.setString(1, arg);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        values.add(String.valueOf(rs.getObject(i)));
                    }
                }
            }
        }
        return values;
    }

    @Test
    void erasureOverwritesEveryPersonalFieldOfTheResidentRow() throws Exception {
        Community c = community();
        Scope scope = Scope.of(c.id());
        Resident neighbour = resident(c, "Lin Neighbour", ResidentRole.OWNER);
        String name = unique("Wang Fang");
        String phone = "139" + (10_000_000 + new java.util.Random().nextInt(89_999_999));
        Resident r = households.addResident(scope, neighbour.householdId(), name, ResidentRole.TENANT,
                LocalDate.of(1948, 2, 29), phone, Instant.parse("2024-03-01T00:00:00Z"),
                Instant.parse("2030-03-01T00:00:00Z"), Set.of(CareFlag.LIVES_ALONE, CareFlag.NEEDS_ATTENTION));
        credentials.issue(scope, r.id(), CredentialKind.APP_TOKEN, "totp-aesgcm:sealed-" + name);
        Credential idCard = credentials.issue(scope, r.id(), CredentialKind.ID_CARD, "hmac-sha256:id-" + name,
                "idno-aesgcm:sealed-" + name);
        assertEquals(Optional.of("idno-aesgcm:sealed-" + name), credentials.sealedValue(r.id(), CredentialKind.ID_CARD));
        credentials.revoke(scope, credentials.issue(scope, r.id(), CredentialKind.PIN, "hmac-sha256:pin-" + name).id());
        consents.give(scope, r.id(), Consent.PURPOSE_FACE_ACCESS, "v1", "paper", "clerk");
        FaceTemplateRepository.ResidentFace face = templates.saveResidentFace(scope, r.id(), "m1", FACE,
                Consent.PURPOSE_FACE_ACCESS);
        PassageEvent passage = subjectPassage(c.id(), unique("p"), r.id(), Instant.parse("2026-05-05T05:05:05Z"));
        passages.record(passage);
        String welfareId = unique("welfare-inactivity");
        Instant raised = Instant.parse("2026-05-07T05:05:05Z");
        welfare.open(new Alert(welfareId, c.id(), AlertType.WELFARE_INACTIVITY, AlertSeverity.CRITICAL,
                AlertStatus.OPEN, r.id(), "No passage for 24 h", raised, null), new WelfareCase(welfareId, c.id(),
                AlertType.WELFARE_INACTIVITY, AlertStatus.OPEN, r.id(), neighbour.householdId(), raised.minusSeconds(86400),
                raised, raised, null, List.of(), null, null, null, null, null, null, null, List.of(), "reads passages"));
        welfare.acknowledge(scope, welfareId, "officer-wang", raised, WelfareOutcome.NEEDED_HELP,
                "found on the floor, " + name + " taken to hospital");
        int moveOuts = (int) populationChanges(c.id()).stream().filter(p -> p.type() == PopulationChangeType.MOVE_OUT)
                .count();
        int events = credentialChanges(r.id()).size();

        org.gatehouse.api.service.SubjectDataRepository.ResidentErasure erased = subjects.eraseResident(scope, r.id());
        assertEquals(c.id(), erased.communityId());
        assertEquals(1, erased.templatesDeleted());
        assertEquals(3, erased.credentialsRevoked(), "face, app token, ID card (the PIN was revoked before)");
        assertEquals(1, erased.passagesAnonymised());
        assertTrue(erased.removedNow());

        // the raw row: the pseudonymous id and the structure stay, nothing about the person
        Map<String, Object> row = residentRow(r.id());
        assertEquals(r.id(), row.get("id"));
        assertEquals(c.id(), row.get("community_id"));
        assertEquals("erased", row.get("name"));
        assertNull(row.get("phone"));
        assertNull(row.get("birth_date"));
        assertNull(row.get("valid_from"));
        assertNull(row.get("valid_until"));
        assertEquals("", row.get("care_flags"));
        assertNotNull(row.get("removed_at"));
        String everything = row.toString() + columnValues("select * from credential where resident_id = ?", r.id())
                + columnValues("select payload from outbox where payload like ?", "%" + r.id() + "%")
                + columnValues("select * from passage where id = ?", passage.id());
        for (String personal : List.of(name, phone, "1948-02-29", "LIVES_ALONE", "2024-03-01", "2030-03-01",
                "hmac-sha256:", "totp-aesgcm:", "idno-aesgcm:", face.template().id())) {
            assertFalse(everything.contains(personal), personal + " is still stored: " + everything);
        }
        assertEquals(List.of("erased", "erased", "erased", "erased"),
                columnValues("select reference from credential where resident_id = ? order by issued_at", r.id()));
        assertEquals(Optional.empty(), credentials.sealedValue(r.id(), CredentialKind.ID_CARD));
        assertEquals(0, rows("select count(*) from credential where resident_id = ? and revoked_at is null", r.id()));
        assertEquals(0, rows("select count(*) from face_template where subject_id = ?", r.id()));
        assertEquals(1, rows("select count(*) from passage where id = ? and subject_id is null", passage.id()));
        assertEquals(1, rows("select count(*) from consent where resident_id = ?", r.id()), "the legal trail stays");
        assertEquals(0, rows("select count(*) from welfare_case where subject_id = ?", r.id()), "what the visit found");
        assertEquals(0, rows("select count(*) from alert where id = ?", welfareId));

        // terminals told, in the erasure's transaction: every revoke and the faces; one MOVE_OUT
        List<CredentialChange> changes = credentialChanges(r.id());
        List<String> told = changeNames(changes.subList(events, changes.size()));
        assertEquals(List.of("REVOKED " + face.credential().id(), "FACE_DELETED"), told.subList(0, 2));
        assertTrue(told.contains("REVOKED " + idCard.id()), told.toString());
        assertEquals(4, told.size(), told.toString());
        assertEquals(moveOuts + 1, populationChanges(c.id()).stream()
                .filter(p -> p.type() == PopulationChangeType.MOVE_OUT).count());
        assertTrue(households.resident(scope, r.id()).isEmpty());
        assertEquals(neighbour, households.resident(scope, neighbour.id()).orElseThrow(), "others untouched");

        // again (e.g. a retry): still erased, no second move-out; out of scope: like a missing id
        assertFalse(subjects.eraseResident(scope, r.id()).removedNow());
        assertEquals(moveOuts + 1, populationChanges(c.id()).stream()
                .filter(p -> p.type() == PopulationChangeType.MOVE_OUT).count());
        assertThrows(NotFoundException.class, () -> subjects.eraseResident(Scope.of("elsewhere"), neighbour.id()));
        assertThrows(NotFoundException.class, () -> subjects.eraseResident(scope, "no-such"));
    }

    @Test
    void aResidentWhoMovedOutCanBeErasedToo() throws Exception {
        Community c = community();
        Scope scope = Scope.of(c.id());
        Building b = communities.createBuilding(scope, c.id(), "B", null);
        Household h = households.createHousehold(scope, communities.createUnit(scope, b.id(), "1", 1, "101", null).id(),
                "Liu");
        Resident r = households.addResident(scope, h.id(), "Liu Yang", ResidentRole.TENANT, LocalDate.of(1990, 1, 2),
                "13700000000", null, null, Set.of());
        households.removeResident(scope, r.id());
        assertEquals("Liu Yang", residentRow(r.id()).get("name"), "a move-out alone keeps the person's data");
        assertFalse(subjects.eraseResident(scope, r.id()).removedNow());
        Map<String, Object> row = residentRow(r.id());
        assertEquals("erased", row.get("name"));
        assertNull(row.get("phone"));
        assertNull(row.get("birth_date"));
    }

    @Test
    void anErasureWhoseCredentialChangesCannotBeWrittenChangesNothing() throws Exception {
        Community c = community();
        Scope scope = Scope.of(c.id());
        Resident r = resident(c, "Tang", ResidentRole.TENANT);
        Credential app = credentials.issue(scope, r.id(), CredentialKind.APP_TOKEN, "sealed-tang");
        PassageEvent passage = subjectPassage(c.id(), unique("p"), r.id(), Instant.parse("2026-05-05T05:05:05Z"));
        passages.record(passage);
        List<CredentialChange> before = credentialChanges(r.id());
        try (AutoCloseable refused = refuseRevokedEventsOf(r.id())) {
            assertThrows(RuntimeException.class, () -> subjects.eraseResident(scope, r.id()));
        }
        assertEquals(before, credentialChanges(r.id()));
        assertEquals("Tang", residentRow(r.id()).get("name"));
        assertTrue(credentials.credential(scope, app.id()).orElseThrow().isActive());
        assertEquals(r.id(), passages.passage(scope, passage.id()).orElseThrow().subjectId());
        assertTrue(households.resident(scope, r.id()).isPresent());
    }

    @Test
    void erasureClearsTheCsvFieldsOfTheImportRowsThatNameTheResidentInAJobThatHasNotEnded() throws Exception {
        Community c = community();
        Scope scope = Scope.of(c.id());
        Household h = importHousehold(c);
        ImportJob job = importJob(c, unique("node"), 4); // rows {"name":"Person i","phone":"1380000000i"}
        assertTrue(imports.start(scope, job.id(), 1));
        Resident done = imports.importResident(scope, job.id(), 1, 0, newResident(h, "Sun Yi", unique("sealed")),
                null, false).resident();
        Resident facePending = imports.importResident(scope, job.id(), 1, 1, newResident(h, "Sun Er",
                unique("sealed")), null, true).resident();
        Resident kept = imports.importResident(scope, job.id(), 1, 2, newResident(h, "Sun San", unique("sealed")),
                null, false).resident();
        String rawFields = "select fields from import_row where job_id = ? order by seq";
        assertTrue(columnValues(rawFields, job.id()).get(0).contains("Person 0"));

        // an erasure that fails (its REVOKED event refused) leaves the import rows too: one transaction
        try (AutoCloseable refused = refuseRevokedEventsOf(done.id())) {
            assertThrows(RuntimeException.class, () -> subjects.eraseResident(scope, done.id()));
        }
        assertTrue(columnValues(rawFields, job.id()).get(0).contains("Person 0"), "rolled back with the erasure");

        subjects.eraseResident(scope, done.id());
        subjects.eraseResident(scope, facePending.id());

        // the raw rows: the erased people's CSV values are gone, the others' and the outcomes stay
        List<String> fields = columnValues(rawFields, job.id());
        assertEquals(List.of("null", "null"), fields.subList(0, 2), fields.toString());
        assertTrue(fields.get(2).contains("Person 2"), "a resident not erased: " + fields);
        assertTrue(fields.get(3).contains("Person 3"), "a row not imported yet names nobody: " + fields);
        String everything = columnValues("select * from import_row where job_id = ?", job.id()).toString();
        for (String personal : List.of("Person 0", "13800000000", "Person 1", "13800000001")) {
            assertFalse(everything.contains(personal), personal + " is still stored: " + everything);
        }
        assertEquals(List.of("DONE", "FACE_PENDING", "DONE", "PENDING"),
                columnValues("select status from import_row where job_id = ? order by seq", job.id()));
        assertEquals(List.of(done.id(), facePending.id(), kept.id(), "null"),
                columnValues("select resident_id from import_row where job_id = ? order by seq", job.id()));
        assertEquals(ImportJob.Status.RUNNING, imports.job(scope, job.id()).orElseThrow().status());

        // the run goes on: the erased FACE_PENDING row is closed as such, without fields; the others as before
        ImportRow skipped = imports.rowFailed(scope, job.id(), 1, 1, "RESIDENT_ERASED", "erased", "已删除", false);
        assertEquals(List.of(ImportRow.Status.FAILED, "RESIDENT_ERASED"), List.of(skipped.status(), skipped.code()));
        assertNull(skipped.fields());
        assertNull(importRow(scope, job, 0).fields());
        assertEquals("Person 3", importRow(scope, job, 3).fields().get("name"));
    }

    @Test
    void activeFaceCountsAreOneGroupedReadOfTheCommunity() throws Exception {
        Community c = community();
        Community other = community();
        Scope scope = Scope.of(c.id());
        Resident none = resident(c, "Wu Ling", ResidentRole.TENANT);
        Resident one = resident(c, "Wu Yi", ResidentRole.TENANT);
        Resident two = resident(c, "Wu Er", ResidentRole.OWNER);
        Resident revoked = resident(c, "Wu San", ResidentRole.CO_RESIDENT);
        Resident elsewhere = resident(other, "Zheng", ResidentRole.TENANT);
        credentials.issue(scope, none.id(), CredentialKind.APP_TOKEN, unique("sealed"));
        credentials.issue(scope, none.id(), CredentialKind.CARD, unique("card"));
        credentials.issue(scope, one.id(), CredentialKind.FACE, unique("template"));
        credentials.issue(scope, two.id(), CredentialKind.FACE, unique("template"));
        credentials.issue(scope, two.id(), CredentialKind.FACE, unique("template"));
        Credential gone = credentials.issue(scope, two.id(), CredentialKind.FACE, unique("template"));
        credentials.revoke(scope, gone.id());
        credentials.issue(scope, revoked.id(), CredentialKind.FACE, unique("template"));
        credentials.endFaces(scope, revoked.id(), false);
        credentials.issue(Scope.of(other.id()), elsewhere.id(), CredentialKind.FACE, unique("template"));

        // only active FACE credentials, only residents who have one, only this community
        assertEquals(Map.of(one.id(), 1, two.id(), 2), credentials.activeFaceCounts(scope, c.id()));
        assertEquals(Map.of(one.id(), 1, two.id(), 2), credentials.activeFaceCounts(Scope.all(), c.id()));
        assertEquals(Map.of(elsewhere.id(), 1), credentials.activeFaceCounts(Scope.all(), other.id()));
        // a removed resident's faces are ended with it
        households.removeResident(scope, one.id());
        assertEquals(Map.of(two.id(), 2), credentials.activeFaceCounts(scope, c.id()));
        // a community with no faces: empty; out of scope or unknown: not found, no existence leak
        assertEquals(Map.of(), credentials.activeFaceCounts(Scope.all(), community().id()));
        assertThrows(NotFoundException.class, () -> credentials.activeFaceCounts(scope, other.id()));
        assertThrows(NotFoundException.class, () -> credentials.activeFaceCounts(Scope.all(), unique("C")));
        assertThrows(NotFoundException.class, () -> credentials.activeFaceCounts(Scope.all(), null));
    }

    // ---------------------------------------------------------------- import jobs

    /** A household in a fresh flat of {@code c}. */
    private Household importHousehold(Community c) {
        Scope scope = Scope.of(c.id());
        Building b = communities.buildings(scope, c.id()).stream().findFirst()
                .orElseGet(() -> communities.createBuilding(scope, c.id(), "B", null));
        Unit u = communities.createUnit(scope, b.id(), unique("s"), 1, "101", null);
        return households.createHousehold(scope, u.id(), "Zhao");
    }

    private ImportJob importJob(Community c, String node, int rows) {
        List<ImportJobRepository.NewRow> list = new java.util.ArrayList<>();
        for (int i = 0; i < rows; i++) {
            list.add(new ImportJobRepository.NewRow(i + 2, Map.of("name", "Person " + i, "phone", "1380000000" + i)));
        }
        return imports.create(Scope.of(c.id()), new ImportJobRepository.NewJob(UUID.randomUUID().toString(), c.id(),
                "office", node, null, null), list);
    }

    private static ImportJobRepository.NewResident newResident(Household h, String name, String token) {
        return new ImportJobRepository.NewResident(h.id(), name, ResidentRole.TENANT, null, "13800000000",
                Instant.parse("2026-01-01T00:00:00Z"), null, Set.of(), token);
    }

    private ImportRow importRow(Scope scope, ImportJob job, int seq) {
        return imports.rows(scope, job.id(), Set.of(), seq - 1, 1).get(0);
    }

    @Test
    void anImportRowAndItsResidentCommitTogetherOrNotAtAll() throws Exception {
        Community c = community();
        Scope scope = Scope.of(c.id());
        Household h = importHousehold(c);
        ImportJob job = importJob(c, "node-a", 3);
        assertEquals(ImportJob.Status.QUEUED, job.status());
        assertEquals(List.of(3, 0, 0, 0, 1, "node-a", "office"), List.of(job.total(), job.done(), job.failed(),
                job.nextSeq(), job.attempt(), job.node(), job.submittedBy()));
        List<ImportRow> rows = imports.rows(scope, job.id(), Set.of(ImportRow.Status.PENDING), -1, 100);
        assertEquals(List.of(2, 3, 4), rows.stream().map(ImportRow::csvRow).toList());
        assertEquals("Person 1", rows.get(1).fields().get("name"));
        assertTrue(imports.start(scope, job.id(), 1));
        assertFalse(imports.start(scope, job.id(), 1), "started once");

        // row 0 imported: resident, app token and the row's outcome, with the job's counters
        ImportJobRepository.Imported first = imports.importResident(scope, job.id(), 1, 0,
                newResident(h, "Zhao Yi", "sealed-zhao-0"), null, false);
        assertEquals(ImportRow.Status.DONE, first.row().status());
        assertEquals(first.resident().id(), first.row().residentId());
        assertEquals(first.resident(), households.resident(scope, first.resident().id()).orElseThrow());
        assertEquals(List.of("ISSUED " + first.appToken().id()), changeNames(credentialChanges(first.resident().id())));
        assertTrue(credentials.credential(scope, first.appToken().id()).orElseThrow().isActive());
        assertNull(first.consent());
        ImportJob after = imports.job(scope, job.id()).orElseThrow();
        assertEquals(List.of(1, 0, 1), List.of(after.done(), after.failed(), after.nextSeq()));
        int residentsBefore = households.residents(scope, h.id()).size();
        int populationBefore = populationChanges(c.id()).size();

        // the row's outcome cannot be written: the resident, token, consent and events written before it roll back
        String refuseMark = "ck_test_" + UUID.randomUUID().toString().substring(0, 8);
        jdbc("alter table import_row add constraint " + refuseMark + " check (status = 'PENDING' or seq <> 1 or "
                + "job_id <> '" + job.id() + "')");
        try {
            assertThrows(RuntimeException.class, () -> imports.importResident(scope, job.id(), 1, 1,
                    newResident(h, "Zhao Er", "sealed-zhao-1"), new ImportJobRepository.NewConsent(
                            Consent.PURPOSE_FACE_ACCESS, "v1", "import", "office"), true));
        } finally {
            jdbc("alter table import_row drop constraint " + refuseMark);
        }
        assertEquals(residentsBefore, households.residents(scope, h.id()).size(), "no resident without its row");
        assertEquals(populationBefore, populationChanges(c.id()).size(), "no MOVE_IN either");
        assertEquals(0, rows("select count(*) from credential where reference = ?", "sealed-zhao-1"));
        assertEquals(0, rows("select count(*) from consent c join resident r on r.id = c.resident_id "
                + "where r.name = ?", "Zhao Er"));
        assertEquals(ImportRow.Status.PENDING, importRow(scope, job, 1).status());
        assertEquals(after, imports.job(scope, job.id()).orElseThrow(), "counters and position unchanged");

        // the resident cannot be written: the row stays pending
        String refuseResident = "ck_test_" + UUID.randomUUID().toString().substring(0, 8);
        jdbc("alter table resident add constraint " + refuseResident + " check (name <> 'Zhao Er')");
        try {
            assertThrows(RuntimeException.class, () -> imports.importResident(scope, job.id(), 1, 1,
                    newResident(h, "Zhao Er", "sealed-zhao-1"), null, false));
        } finally {
            jdbc("alter table resident drop constraint " + refuseResident);
        }
        assertEquals(ImportRow.Status.PENDING, importRow(scope, job, 1).status());
        assertEquals(after, imports.job(scope, job.id()).orElseThrow());

        // a row is imported once: again is a conflict and writes nothing
        assertThrows(ConflictException.class, () -> imports.importResident(scope, job.id(), 1, 0,
                newResident(h, "Zhao Yi", "sealed-zhao-0b"), null, false));
        assertEquals(residentsBefore, households.residents(scope, h.id()).size());

        // row 1 with its consent, the face to follow: FACE_PENDING names the resident, then DONE
        ImportJobRepository.Imported second = imports.importResident(scope, job.id(), 1, 1,
                newResident(h, "Zhao Er", "sealed-zhao-1"), new ImportJobRepository.NewConsent(
                        Consent.PURPOSE_FACE_ACCESS, "v1", "import", "office"), true);
        assertEquals(ImportRow.Status.FACE_PENDING, second.row().status());
        assertEquals(second.consent(), consents.inForce(scope, second.resident().id(), Consent.PURPOSE_FACE_ACCESS)
                .orElseThrow());
        assertEquals(List.of(1, 2), List.of(imports.job(scope, job.id()).orElseThrow().done(),
                imports.job(scope, job.id()).orElseThrow().nextSeq()), "taken, not yet done");
        assertEquals(ImportRow.Status.DONE, imports.faceDone(scope, job.id(), 1, 1).status());
        assertThrows(ConflictException.class, () -> imports.faceDone(scope, job.id(), 1, 1));

        // row 2: its face fails, the resident is removed in the transaction that marks the row failed
        ImportJobRepository.Imported third = imports.importResident(scope, job.id(), 1, 2,
                newResident(h, "Zhao San", "sealed-zhao-2"), null, true);
        ImportRow failed = imports.rowFailed(scope, job.id(), 1, 2, "NO_FACE", "No face", "未检测到人脸", true);
        assertEquals(List.of(ImportRow.Status.FAILED, "NO_FACE", "未检测到人脸"),
                List.of(failed.status(), failed.code(), failed.messageZh()));
        assertTrue(households.resident(scope, third.resident().id()).isEmpty(), "the row's resident is removed");
        assertFalse(credentials.credential(scope, third.appToken().id()).orElseThrow().isActive());
        assertEquals(PopulationChangeType.MOVE_OUT, populationChanges(c.id()).get(populationChanges(c.id()).size() - 1)
                .type());
        ImportJob counted = imports.job(scope, job.id()).orElseThrow();
        assertEquals(List.of(2, 1, 3), List.of(counted.done(), counted.failed(), counted.nextSeq()));

        // the end: FINISHED, the CSV's fields forgotten, the outcomes kept
        ImportJob finished = imports.end(scope, job.id(), 1, ImportJob.Status.FINISHED, null, null).orElseThrow();
        assertEquals(ImportJob.Status.FINISHED, finished.status());
        assertNotNull(finished.finishedAt());
        List<ImportRow> ended = imports.rows(scope, job.id(), Set.of(), -1, 100);
        assertTrue(ended.stream().allMatch(r -> r.fields() == null), ended.toString());
        assertEquals(List.of(ImportRow.Status.DONE, ImportRow.Status.DONE, ImportRow.Status.FAILED),
                ended.stream().map(ImportRow::status).toList());
        assertTrue(imports.end(scope, job.id(), 1, ImportJob.Status.FAILED, "x", "x").isEmpty(), "ended once");
        assertThrows(ImportRunSupersededException.class, () -> imports.rowFailed(scope, job.id(), 1, 0, "X", "x",
                "x", false));
    }

    @Test
    void onlyTheRunHoldingTheLatestAttemptWritesAndOfTwoResumesOneWins() throws Exception {
        Community c = community();
        Scope scope = Scope.of(c.id());
        Household h = importHousehold(c);
        String node = unique("node");
        ImportJob job = importJob(c, node, 3);
        assertTrue(imports.start(scope, job.id(), 1));
        imports.importResident(scope, job.id(), 1, 0, newResident(h, "Qian Yi", unique("sealed")), null, false);

        // the node dies; the job and its position survive the store's restart; the node starts again
        store.close();
        start(settings);
        ImportJob survived = imports.job(scope, job.id()).orElseThrow();
        assertEquals(List.of(ImportJob.Status.RUNNING, 1, 1), List.of(survived.status(), survived.done(),
                survived.nextSeq()));
        assertEquals(List.of(job.id()), imports.interruptNode(node).stream().map(ImportJob::id).toList());
        assertEquals(ImportJob.Status.INTERRUPTED, imports.job(scope, job.id()).orElseThrow().status());
        assertEquals(List.of(), imports.interruptNode(node));
        int residents = households.residents(scope, h.id()).size();

        // the old run cannot write any more
        assertThrows(ImportRunSupersededException.class, () -> imports.importResident(scope, job.id(), 1, 1,
                newResident(h, "Qian Er", unique("sealed")), null, false));
        assertEquals(residents, households.residents(scope, h.id()).size());

        // two resumes at once: one wins
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            java.util.concurrent.CyclicBarrier barrier = new java.util.concurrent.CyclicBarrier(2);
            List<Future<Boolean>> resumes = new java.util.ArrayList<>();
            for (String n : List.of(node, "other-node")) {
                resumes.add(pool.submit(() -> {
                    barrier.await();
                    return imports.requeue(scope, job.id(), 1, n);
                }));
            }
            int won = 0;
            for (Future<Boolean> f : resumes) {
                won += f.get() ? 1 : 0;
            }
            assertEquals(1, won, "one resume wins");
        } finally {
            pool.shutdownNow();
        }
        ImportJob queued = imports.job(scope, job.id()).orElseThrow();
        assertEquals(List.of(ImportJob.Status.QUEUED, 2), List.of(queued.status(), queued.attempt()));
        assertFalse(imports.requeue(scope, job.id(), 1, node), "a late resume of the old attempt loses");
        assertTrue(imports.start(scope, job.id(), 2));
        assertThrows(ImportRunSupersededException.class, () -> imports.importResident(scope, job.id(), 1, 1,
                newResident(h, "Qian Er", unique("sealed")), null, false));
        assertEquals(ImportRow.Status.DONE, imports.importResident(scope, job.id(), 2, 1,
                newResident(h, "Qian Er", unique("sealed")), null, false).row().status());
        assertEquals(List.of(ImportRow.Status.PENDING), imports.rows(scope, job.id(),
                Set.of(ImportRow.Status.PENDING, ImportRow.Status.FACE_PENDING), -1, 100).stream()
                .map(ImportRow::status).toList(), "the resume goes on after the last committed row");
        assertTrue(imports.end(scope, job.id(), 1, ImportJob.Status.INTERRUPTED, null, null).isEmpty());
        assertEquals(ImportJob.Status.INTERRUPTED, imports.end(scope, job.id(), 2, ImportJob.Status.INTERRUPTED,
                null, null).orElseThrow().status());
        assertEquals(2, imports.rows(scope, job.id(), Set.of(), -1, 100).stream()
                .filter(r -> r.fields() != null && r.status() != ImportRow.Status.PENDING).count(),
                "an interrupted job keeps what it needs to go on");
        imports.requeue(scope, job.id(), 2, node);
        imports.start(scope, job.id(), 3);
        imports.end(scope, job.id(), 3, ImportJob.Status.FINISHED, null, null);
        assertFalse(imports.requeue(scope, job.id(), 3, node), "an ended job is not resumed");
    }

    @Test
    void aDoneRowKeepsItsWarningAcrossARestartAndTheJobsEnd() throws Exception {
        Community c = community();
        Scope scope = Scope.of(c.id());
        Household h = importHousehold(c);
        ImportJob job = importJob(c, unique("node"), 3);
        assertTrue(imports.start(scope, job.id(), 1));
        for (int seq = 0; seq < 3; seq++) {
            imports.importResident(scope, job.id(), 1, seq, newResident(h, "Zhou " + seq, unique("sealed")), null,
                    true);
        }

        // row 0: DONE with its warning, in the transaction that marks it done
        ImportJobRepository.RowWarning warning = new ImportJobRepository.RowWarning("NO_FACE",
                "Second photo b.jpg not enrolled", "第二张照片 b.jpg 未录入");
        ImportRow warned = imports.faceDone(scope, job.id(), 1, 0, warning);
        assertEquals(List.of(ImportRow.Status.DONE, "OK", "NO_FACE", "Second photo b.jpg not enrolled",
                "第二张照片 b.jpg 未录入"), List.of(warned.status(), warned.code(), warned.warningCode(),
                warned.warningEn(), warned.warningZh()));
        assertNull(warned.messageEn());
        // row 1: DONE without one (both forms of faceDone)
        assertNull(imports.faceDone(scope, job.id(), 1, 1).warningCode());
        // row 2: a warning longer than the column is cut, like a failure's message
        ImportRow cut = imports.faceDone(scope, job.id(), 1, 2, new ImportJobRepository.RowWarning("PHOTO_NOT_FOUND",
                "e".repeat(2500), "z".repeat(2500)));
        assertEquals(2000, cut.warningEn().length());
        assertEquals(2000, cut.warningZh().length());
        // a warning is refused when its code is missing or too long, before anything is written
        assertThrows(IllegalArgumentException.class, () -> new ImportJobRepository.RowWarning(" ", "x", "x"));
        assertThrows(IllegalArgumentException.class, () -> new ImportJobRepository.RowWarning("X".repeat(65), "x",
                "x"));

        // the node dies: what the store acknowledged is read back from the database as it was answered
        store.close();
        start(settings);
        List<ImportRow> read = imports.rows(scope, job.id(), Set.of(), -1, 100);
        assertEquals(warned, read.get(0), "the warned row as faceDone answered it");
        assertNull(read.get(1).warningCode());
        assertNull(read.get(1).warningEn());
        assertEquals(cut, read.get(2));
        assertEquals(List.of("NO_FACE", "Second photo b.jpg not enrolled", "第二张照片 b.jpg 未录入"), jdbcRow(
                "select warning_code, warning_en, warning_zh from import_row where job_id = ? and seq = 0", job.id()));

        // the job ends: the CSV's fields are forgotten, outcomes and warnings kept
        imports.end(scope, job.id(), 1, ImportJob.Status.FINISHED, null, null).orElseThrow();
        ImportRow ended = imports.rows(scope, job.id(), Set.of(), -1, 1).get(0);
        assertNull(ended.fields());
        assertEquals(List.of("NO_FACE", "Second photo b.jpg not enrolled", "第二张照片 b.jpg 未录入"),
                List.of(ended.warningCode(), ended.warningEn(), ended.warningZh()));
    }

    @Test
    void theImportRowWarningsMigrationCanBeRunAgain() throws Exception {
        String script;
        try (java.io.InputStream in = Migrator.class.getClassLoader().getResourceAsStream(
                "org/gatehouse/store/migrations/V012__import_row_warnings.sql")) {
            script = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        assertTrue(Migrator.MIGRATIONS.contains("V012__import_row_warnings.sql"));
        String sql = script.lines().filter(l -> !l.strip().startsWith("--")).collect(
                java.util.stream.Collectors.joining("\n"));
        int statements = 0;
        for (String statement : sql.split(";")) {
            if (!statement.isBlank()) {
                jdbc(statement.strip());
                statements++;
            }
        }
        assertEquals(3, statements);
        assertEquals(0, rows("select count(*) from import_row where warning_code is not null and status <> ?",
                "DONE"));
    }

    /** The columns of the first row {@code sql} returns, as strings. */
    private List<String> jdbcRow(String sql, Object... args) throws Exception {
        try (Connection connection = store.dataSource().getConnection();
             java.sql.PreparedStatement st = connection.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                st.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = st.executeQuery()) {
                assertTrue(rs.next(), sql);
                List<String> values = new java.util.ArrayList<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    values.add(rs.getString(i));
                }
                return values;
            }
        }
    }

    @Test
    void importJobsAreScopedListedNewestFirstAndPruned() throws Exception {
        Community c = community();
        Community other = community();
        Scope scope = Scope.of(c.id());
        ImportJob a = importJob(c, "n", 1);
        Thread.sleep(2);
        ImportJob b = importJob(c, "n", 1);
        Thread.sleep(2);
        ImportJob d = importJob(c, "n", 0);
        assertEquals(List.of(d.id(), b.id(), a.id()), imports.jobs(scope, c.id(), 10).stream().map(ImportJob::id)
                .toList());
        // another community's office sees nothing of them
        Scope stranger = Scope.of(other.id());
        assertTrue(imports.job(stranger, a.id()).isEmpty());
        assertThrows(NotFoundException.class, () -> imports.rows(stranger, a.id(), Set.of(), -1, 10));
        assertThrows(NotFoundException.class, () -> imports.jobs(stranger, c.id(), 10));
        assertThrows(NotFoundException.class, () -> imports.requeue(stranger, a.id(), 1, "n"));
        assertThrows(OutOfScopeException.class, () -> imports.create(stranger, new ImportJobRepository.NewJob(
                UUID.randomUUID().toString(), c.id(), "x", "n", null, null), List.of()));
        // a household of another community is refused, nothing written
        assertTrue(imports.start(scope, a.id(), 1));
        Household elsewhere = importHousehold(other);
        assertThrows(NotFoundException.class, () -> imports.importResident(scope, a.id(), 1, 0,
                newResident(elsewhere, "Sun", unique("sealed")), null, false));
        assertThrows(NotFoundException.class, () -> imports.importResident(Scope.all(), a.id(), 1, 0,
                newResident(elsewhere, "Sun", unique("sealed")), null, false));
        assertEquals(0, households.residents(Scope.all(), elsewhere.id()).size());
        assertEquals(0, imports.job(scope, a.id()).orElseThrow().done());
        // bad input
        assertThrows(IllegalArgumentException.class, () -> imports.create(scope, new ImportJobRepository.NewJob(
                UUID.randomUUID().toString(), c.id(), "x", "n", null, null), List.of(new ImportJobRepository.NewRow(2,
                Map.of("name", "x".repeat(ImportJobRepository.MAX_FIELDS_CHARS))))));
        assertThrows(IllegalArgumentException.class, () -> imports.create(scope, new ImportJobRepository.NewJob(
                UUID.randomUUID().toString(), c.id(), "x", "n", "a.zip", null), List.of()));
        // pruning keeps the newest ended jobs and never touches one that may go on
        imports.end(scope, a.id(), 1, ImportJob.Status.FINISHED, null, null);
        imports.start(scope, d.id(), 1);
        imports.end(scope, d.id(), 1, ImportJob.Status.FAILED, "stopped", "停止");
        assertEquals(1, imports.deleteEnded(scope, c.id(), 1));
        assertEquals(List.of(d.id(), b.id()), imports.jobs(scope, c.id(), 10).stream().map(ImportJob::id).toList());
        assertEquals(List.of("stopped", "停止"), List.of(imports.job(scope, d.id()).orElseThrow().errorEn(),
                imports.job(scope, d.id()).orElseThrow().errorZh()));
        assertEquals(0, rows("select count(*) from import_row where job_id = ?", a.id()));
    }
}

package org.gatehouse.whitelist.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import java.util.List;
import java.util.Map;

import org.gatehouse.api.keys.KeyRefusedException;
import org.gatehouse.api.model.CredentialKind;
import org.gatehouse.api.service.KeyChecks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretKeysTest {
    @TempDir
    Path dir;

    @Test
    void theKeyFileIsCreatedOwnerOnlyOnceAndReused() throws Exception {
        Path file = dir.resolve("etc/gatehouse-whitelist.key");
        Fakes.KeyCheckRecords checks = new Fakes.KeyCheckRecords();
        SecretKeys first = SecretKeys.load(file, checks);
        assertTrue(first.checkNow());
        assertEquals(32, Files.size(file));
        if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        }
        SecretKeys again = SecretKeys.load(file, checks);
        assertEquals(first.hash("ID_CARD", "x"), again.hash("ID_CARD", "x"));
        assertNotEquals(first.hash("ID_CARD", "x"), first.hash("PIN:c", "x"));
        assertArrayEquals(new byte[] {1, 2, 3}, again.open(first.seal(new byte[] {1, 2, 3})));
        assertEquals(0, again.open(first.seal(new byte[] {1}) + "x").length, "tampered");
    }

    @Test
    void aCardReferenceIsAKeyedHashWithAtMostTheLastFourCharacters() {
        SecretKeys keys = new SecretKeys(SecretKeys.random(32));
        String reference = keys.cardReference("04:A3:B2:C1:77");
        assertEquals(keys.cardReference("04:A3:B2:C1:77"), reference, "deterministic: looked up by the same string");
        assertEquals(keys.hash("CARD", "04:A3:B2:C1:77") + ":****C177", reference);
        assertNotEquals(reference, new SecretKeys(SecretKeys.random(32)).cardReference("04:A3:B2:C1:77"), "keyed");
        assertNotEquals(keys.hash("ID_CARD", "12345678"), keys.hash("CARD", "12345678"), "labelled");
        assertEquals(keys.hash("CARD", "1234") + ":****34", keys.cardReference("1234"), "at most half shown");
    }

    @Test
    void karafEtcIsTheDefaultPlace() {
        String old = System.getProperty("karaf.etc");
        try {
            System.setProperty("karaf.etc", dir.toString());
            assertEquals(dir.resolve("gatehouse-whitelist.key"), SecretKeys.keyFile(""));
            assertEquals(Path.of("/x/k"), SecretKeys.keyFile("/x/k"));
        } finally {
            if (old == null) {
                System.clearProperty("karaf.etc");
            } else {
                System.setProperty("karaf.etc", old);
            }
        }
    }

    private static void assertRefused(Path file, String says, SecretKeys keys) {
        KeyRefusedException e = assertThrows(KeyRefusedException.class, keys::checkNow);
        assertTrue(e.getMessage().contains(file.toAbsolutePath().toString()), e.getMessage());
        assertTrue(e.getMessage().contains(says), e.getMessage());
        assertTrue(e.getMessage().contains("Keys and backups"), e.getMessage());
        assertThrows(KeyRefusedException.class, () -> keys.hash("ID_CARD", "x"), "nothing is hashed with it");
    }

    @Test
    void aMissingOrDifferentKeyFileIsRefusedOnceTheDatabaseRecordedItsKey() throws Exception {
        Path file = dir.resolve("etc/gatehouse-whitelist.key");
        Fakes.KeyCheckRecords checks = new Fakes.KeyCheckRecords();
        SecretKeys.load(file, checks).checkNow();
        assertTrue(checks.records.containsKey(KeyChecks.WHITELIST));
        byte[] key = Files.readAllBytes(file);

        // restored to a new host without the key file, or a wrong path: refused, no new key
        Path elsewhere = dir.resolve("new-host/etc/gatehouse-whitelist.key");
        assertRefused(elsewhere, "is missing", SecretKeys.load(elsewhere, checks));
        assertFalse(Files.exists(elsewhere));
        // another key
        Files.write(file, SecretKeys.random(32));
        assertRefused(file, "is not the key this database was used with", SecretKeys.load(file, checks));
        Files.write(file, key);
        assertTrue(SecretKeys.load(file, checks).checkNow());
    }

    @Test
    void beforeKeyChecksTheSealedAppTokenSecretsTellTheRightKey() throws Exception {
        Path file = dir.resolve("gatehouse-whitelist.key");
        Files.write(file, SecretKeys.random(32));
        SecretKeys right = new SecretKeys(Files.readAllBytes(file));
        String communityId = "c1";
        List<KeyChecks.KeyedValue> stored = List.of(
                new KeyChecks.KeyedValue(CredentialKind.APP_TOKEN.name(), communityId, right.seal(new byte[20])),
                new KeyChecks.KeyedValue(CredentialKind.ID_CARD.name(), communityId, right.hash("ID_CARD", "1101")));

        // an installation from before the key checks: no record, but references made with a key
        Fakes.KeyCheckRecords checks = new Fakes.KeyCheckRecords();
        checks.values.put(KeyChecks.WHITELIST, stored);
        Path missing = dir.resolve("missing/gatehouse-whitelist.key");
        assertRefused(missing, "is missing", SecretKeys.load(missing, checks));
        assertFalse(Files.exists(missing));
        Path wrong = dir.resolve("wrong.key");
        Files.write(wrong, SecretKeys.random(32));
        assertRefused(wrong, "does not open", SecretKeys.load(wrong, checks));
        assertTrue(checks.records.isEmpty(), "nothing recorded for a refused key");
        assertTrue(SecretKeys.load(file, checks).checkNow());
        assertTrue(checks.records.containsKey(KeyChecks.WHITELIST));
        assertRefused(wrong, "is not the key", SecretKeys.load(wrong, checks));

        // hashes alone cannot tell a right key from a wrong one: the existing file is taken and recorded
        Fakes.KeyCheckRecords hashesOnly = new Fakes.KeyCheckRecords();
        hashesOnly.values.put(KeyChecks.WHITELIST, List.of(stored.get(1)));
        assertTrue(SecretKeys.load(wrong, hashesOnly).checkNow());
        assertTrue(hashesOnly.records.containsKey(KeyChecks.WHITELIST));
    }

    @Test
    void theCredentialsDoNotStartWithAMissingKeyFileAndWaitForADatabaseThatIsDown() throws Exception {
        Path file = dir.resolve("etc/gatehouse-whitelist.key");
        Fakes.KeyCheckRecords checks = new Fakes.KeyCheckRecords();
        World world = new World();
        WhitelistConfig config = Fakes.config(Map.of("keyFile", file.toString()));
        new StoredCredentials(world.households, world.credentials, world.faces, checks, config, world.trails);
        assertTrue(Files.exists(file));
        Files.delete(file);
        KeyRefusedException e = assertThrows(KeyRefusedException.class, () -> new StoredCredentials(world.households,
                world.credentials, world.faces, checks, config, world.trails));
        assertTrue(e.getMessage().contains(file.toAbsolutePath().toString()), e.getMessage());
        assertFalse(Files.exists(file));

        // database down at start: the credentials come up, create nothing, and check on first use
        Fakes.KeyCheckRecords down = new Fakes.KeyCheckRecords();
        down.down = true;
        StoredCredentials waiting = new StoredCredentials(world.households, world.credentials, world.faces, down,
                config, world.trails);
        Households register = new StoredHouseholds(world.households, world.credentials, world.faces, waiting,
                world.dates, world.trails);
        assertFalse(Files.exists(file));
        down.down = false;
        down.records.putAll(checks.records); // the database that recorded the lost key is back
        assertThrows(KeyRefusedException.class, () -> register.addResident(world.office, world.wang.id(),
                new Households.ResidentInput("李四", org.gatehouse.api.model.ResidentRole.TENANT, null,
                        "13800000001", "2026-01-01", "2027-12-31", null)));
        assertFalse(Files.exists(file));
    }
}

package org.gatehouse.visitor.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import org.gatehouse.api.keys.KeyRefusedException;
import org.gatehouse.api.service.KeyChecks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The visitor key file: created once for a new database, refused when missing or another key. */
class SecretKeysTest {
    @TempDir
    Path dir;

    private static KeyRefusedException assertRefused(Path file, String says, SecretKeys keys) {
        KeyRefusedException e = assertThrows(KeyRefusedException.class, keys::checkNow);
        assertTrue(e.getMessage().contains(file.toAbsolutePath().toString()), e.getMessage());
        assertTrue(e.getMessage().contains(says), e.getMessage());
        assertTrue(e.getMessage().contains("Keys and backups"), e.getMessage());
        assertThrows(KeyRefusedException.class, () -> keys.hash("pass-code", "x"), "nothing is hashed with it");
        return e;
    }

    /** A pass code hash made exactly as the passes make it ({@link VisitorKeyFile}). */
    private static String passCodeHash(World w, byte[] key, String code) {
        return new VisitorKeyFile(new SecretKeys(key)).passCodeHash(w.sunshine.id(), code);
    }

    @Test
    void theKeyFileIsCreatedOwnerOnlyForANewDatabaseAndRefusedWhenMissingOrAnother() throws Exception {
        Path file = dir.resolve("etc/gatehouse-visitor.key");
        Fakes.KeyCheckRecords checks = new Fakes.KeyCheckRecords();
        SecretKeys first = SecretKeys.load(file, checks);
        assertTrue(first.checkNow());
        assertEquals(32, Files.size(file));
        if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        }
        assertTrue(checks.records.containsKey(KeyChecks.VISITOR));
        assertEquals(first.hash("pass-code", "c\u0000123456"), SecretKeys.load(file, checks).hash("pass-code",
                "c\u0000123456"));

        Path elsewhere = dir.resolve("new-host/etc/gatehouse-visitor.key");
        assertRefused(elsewhere, "is missing", SecretKeys.load(elsewhere, checks));
        assertFalse(Files.exists(elsewhere));
        byte[] key = Files.readAllBytes(file);
        Files.write(file, SecretKeys.random(32));
        assertRefused(file, "is not the key this database was used with", SecretKeys.load(file, checks));
        Files.write(file, key);
        assertTrue(SecretKeys.load(file, checks).checkNow());
    }

    @Test
    void beforeKeyChecksAStoredPassCodeHashTellsTheRightKey() throws Exception {
        World w = new World();
        byte[] right = SecretKeys.random(32);
        Path file = dir.resolve("gatehouse-visitor.key");
        Files.write(file, right);
        String hash = passCodeHash(w, right, "042917");
        long start = System.nanoTime();
        assertTrue(SecretKeys.codeFound(right, w.sunshine.id(), hash), "the million codes include 042917");
        assertFalse(SecretKeys.codeFound(SecretKeys.random(32), w.sunshine.id(), hash));
        System.out.println("two searches of the code space: " + (System.nanoTime() - start) / 1_000_000 + " ms");

        Fakes.KeyCheckRecords checks = new Fakes.KeyCheckRecords();
        checks.values.put(KeyChecks.VISITOR, List.of(
                new KeyChecks.KeyedValue("pass-code", w.sunshine.id(), hash),
                new KeyChecks.KeyedValue("id-card", w.sunshine.id(), new SecretKeys(right).hash("id-card", "110105"))));
        Path missing = dir.resolve("missing/gatehouse-visitor.key");
        assertRefused(missing, "holds visitor pass code and ID card hashes", SecretKeys.load(missing, checks));
        assertFalse(Files.exists(missing));
        Path wrong = dir.resolve("wrong.key");
        Files.write(wrong, SecretKeys.random(32));
        assertRefused(wrong, "does not open", SecretKeys.load(wrong, checks));
        assertTrue(checks.records.isEmpty(), "nothing recorded for a refused key");
        assertTrue(SecretKeys.load(file, checks).checkNow());
        assertTrue(checks.records.containsKey(KeyChecks.VISITOR));

        // visitors' ID card hashes alone cannot tell: the existing file is taken and recorded
        Fakes.KeyCheckRecords idCardsOnly = new Fakes.KeyCheckRecords();
        idCardsOnly.values.put(KeyChecks.VISITOR, List.of(checks.values.get(KeyChecks.VISITOR).get(1)));
        assertTrue(SecretKeys.load(wrong, idCardsOnly).checkNow());
        assertTrue(idCardsOnly.records.containsKey(KeyChecks.VISITOR));
    }

    @Test
    void theVisitorKeyDoesNotStartWithAMissingKeyFile() throws Exception {
        Path file = dir.resolve("etc/gatehouse-visitor.key");
        VisitorConfig config = Fakes.config(Map.of("keyFile", file.toString()));
        Fakes.KeyCheckRecords checks = new Fakes.KeyCheckRecords();
        new VisitorKeyFile(checks, config);
        Files.delete(file);
        KeyRefusedException e = assertThrows(KeyRefusedException.class, () -> new VisitorKeyFile(checks, config));
        assertTrue(e.getMessage().contains(file.toAbsolutePath().toString()), e.getMessage());
        assertFalse(Files.exists(file));
    }
}

package org.gatehouse.whitelist.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretKeysTest {
    @TempDir
    Path dir;

    @Test
    void theKeyFileIsCreatedOwnerOnlyOnceAndReused() throws Exception {
        Path file = dir.resolve("etc/gatehouse-whitelist.key");
        SecretKeys first = SecretKeys.load(file);
        assertEquals(32, Files.size(file));
        if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        }
        SecretKeys again = SecretKeys.load(file);
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
}

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

package org.gatehouse.store;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;

import org.gatehouse.store.internal.TemplateKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The key manager on its own: keystore and password file creation, reopening, rotation, wrong passwords. */
class TemplateKeysTest {
    private static final byte[] AAD = "row".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    @Test
    void firstStartGeneratesKeystoreAndOwnerOnlyPasswordFile() throws Exception {
        Path path = dir.resolve("etc").resolve("gatehouse-keys.p12");
        TemplateKeys keys = new TemplateKeys(path, "");
        assertTrue(Files.exists(path));
        Path passwordFile = dir.resolve("etc").resolve(TemplateKeys.PASSWORD_FILE);
        assertEquals(passwordFile, keys.passwordFile());
        assertTrue(Files.readString(passwordFile).strip().length() >= 40);
        if (posix()) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile)));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(path)));
        }
        assertEquals("template-key-1", keys.currentKeyId());

        TemplateKeys.Sealed sealed = keys.seal(new byte[] {1, 2, 3}, AAD);
        assertEquals(12, sealed.iv().length);
        // reopened from the file with the generated password: same key
        TemplateKeys reopened = new TemplateKeys(path, null);
        assertArrayEquals(new byte[] {1, 2, 3}, reopened.open(sealed.keyId(), sealed.iv(), sealed.ciphertext(), AAD));
        assertThrows(GeneralSecurityException.class,
                () -> reopened.open(sealed.keyId(), sealed.iv(), sealed.ciphertext(), "other".getBytes()));
        assertThrows(GeneralSecurityException.class,
                () -> reopened.open("template-key-9", sealed.iv(), sealed.ciphertext(), AAD));
        // the same password given in the configuration works too
        new TemplateKeys(path, Files.readString(passwordFile).strip());
    }

    @Test
    void configuredPasswordWritesNoFileAndWrongPasswordIsClear() {
        Path path = dir.resolve("keys.p12");
        new TemplateKeys(path, "s3cret-from-config");
        assertFalse(Files.exists(dir.resolve(TemplateKeys.PASSWORD_FILE)));
        IllegalStateException wrong = assertThrows(IllegalStateException.class, () -> new TemplateKeys(path, "nope"));
        assertTrue(wrong.getMessage().contains("password"), wrong.getMessage());
        IllegalStateException missing = assertThrows(IllegalStateException.class, () -> new TemplateKeys(path, ""));
        assertTrue(missing.getMessage().contains(TemplateKeys.PASSWORD_FILE), missing.getMessage());
    }

    @Test
    void rotationAddsCurrentKeyAndKeepsOldOnes() throws Exception {
        Path path = dir.resolve("k.p12");
        TemplateKeys keys = new TemplateKeys(path, "changeit");
        TemplateKeys.Sealed old = keys.seal(new byte[] {9}, AAD);
        assertEquals("template-key-2", keys.rotateKey());
        assertEquals("template-key-3", keys.rotateKey());
        TemplateKeys.Sealed fresh = keys.seal(new byte[] {8}, AAD);
        assertEquals("template-key-3", fresh.keyId());
        TemplateKeys reopened = new TemplateKeys(path, "changeit");
        assertSameKeys(reopened, keys);
        assertArrayEquals(new byte[] {9}, reopened.open(old.keyId(), old.iv(), old.ciphertext(), AAD));
        assertArrayEquals(new byte[] {8}, reopened.open(fresh.keyId(), fresh.iv(), fresh.ciphertext(), AAD));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary files left behind");
        }
    }

    private static void assertSameKeys(TemplateKeys a, TemplateKeys b) {
        assertEquals(b.keyIds(), a.keyIds());
        assertEquals(b.currentKeyId(), a.currentKeyId());
    }

    @Test
    void defaultPathUsesKarafEtc() {
        String previous = System.getProperty("karaf.etc");
        try {
            System.setProperty("karaf.etc", "/opt/karaf/etc");
            assertEquals(Path.of("/opt/karaf/etc/gatehouse-keys.p12"), TemplateKeys.resolvePath(""));
            assertEquals(Path.of("/opt/karaf/etc/sub/k.p12"), TemplateKeys.resolvePath("${karaf.etc}/sub/k.p12"));
            assertEquals(Path.of("/srv/k.p12"), TemplateKeys.resolvePath(" /srv/k.p12 "));
            System.clearProperty("karaf.etc");
            assertEquals(Path.of("./etc/gatehouse-keys.p12"), TemplateKeys.resolvePath(null));
        } finally {
            if (previous != null) {
                System.setProperty("karaf.etc", previous);
            }
        }
    }
}

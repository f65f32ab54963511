package org.gatehouse.core.internal.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.apache.karaf.jaas.modules.Encryption;
import org.apache.karaf.jaas.modules.encryption.BasicEncryptionService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A login is removed as a default only while its password is still that default: the demo's office/office goes when
 * the demo is disabled, a demo login whose password somebody changed is theirs and stays, and nothing else is touched.
 * (The distribution hashes with bcrypt; this test uses the realm's basic SHA-256 hashing, the same file format.)
 */
class UsersFileAccountsTest {
    @TempDir
    Path etc;

    @Test
    void aLoginStillOnItsDefaultPasswordIsRemovedAChangedOneIsKept() throws Exception {
        Files.writeString(etc.resolve("org.apache.karaf.jaas.cfg"), "encryption.enabled = true\n"
                + "encryption.algorithm = SHA-256\nencryption.encoding = hexadecimal\n");
        BasicEncryptionService service = new BasicEncryptionService();
        Encryption sha = service.createEncryption(Map.of("algorithm", "SHA-256", "encoding", "hexadecimal"));
        Files.write(etc.resolve("users.properties"), List.of(
                "# Gatehouse logins",
                "admin = {CRYPT}" + sha.encryptPassword("Generated-1") + "{CRYPT},_g_:admingroup",
                "office = {CRYPT}" + sha.encryptPassword("office") + "{CRYPT},community-office,community:SUNSHINE",
                "police = {CRYPT}" + sha.encryptPassword("Changed-Pass-1") + "{CRYPT},police",
                "plain = office,viewer"));
        UsersFileAccounts accounts = new UsersFileAccounts(etc, service);

        assertTrue(accounts.removeIfPassword("office", "office".toCharArray()), "still on its demo password");
        assertFalse(accounts.exists("office"));
        assertFalse(accounts.removeIfPassword("police", "police".toCharArray()), "its password was changed");
        assertTrue(accounts.exists("police"));
        assertFalse(accounts.removeIfPassword("plain", "office".toCharArray()),
                "a line that is not one of the realm's hashes is not a default this code made");
        assertFalse(accounts.removeIfPassword("nobody", "nobody".toCharArray()));
        List<String> left = Files.readAllLines(etc.resolve("users.properties"));
        assertEquals(4, left.size(), String.valueOf(left));
        assertTrue(left.get(0).startsWith("# Gatehouse logins") && left.get(1).startsWith("admin = "));
    }
}

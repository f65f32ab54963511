package org.gatehouse.core.internal.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.apache.karaf.jaas.modules.Encryption;
import org.apache.karaf.jaas.modules.encryption.BasicEncryptionService;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A login's stamp changes exactly when what the realm holds for it changes (password, roles, its groups' roles), so
 * the portal can end a session whose login was changed without checking a password on every call.
 */
class UsersFileAccountsTest {
    static final String OFFICE = "office = {CRYPT}$2a$10$aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa{CRYPT},"
            + "community-office,community:SUNSHINE";
    static final String GROUP = "_g_\\:admingroup = group,admin,city-admin";

    @TempDir
    Path etc;

    private UsersFileAccounts accounts() {
        return new UsersFileAccounts(etc, null);
    }

    private void write(String... lines) throws Exception {
        Files.writeString(etc.resolve("users.properties"), String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    }

    @Test
    void aLoginKeepsItsStampWhileNothingOfItChanges() throws Exception {
        write(OFFICE, "admin = {CRYPT}x{CRYPT},_g_:admingroup", GROUP);
        UsersFileAccounts accounts = accounts();
        String office = accounts.stamp("office");
        assertNotNull(office);
        assertEquals(office, accounts.stamp("office"));
        assertTrue(accounts.exists("office"));

        write("# rewritten", "police = {CRYPT}y{CRYPT},police", OFFICE.replace(",", " , ").replace(
                "community-office , community:SUNSHINE", "community:SUNSHINE,community-office"),
                "admin = {CRYPT}x{CRYPT},_g_:admingroup", GROUP);
        assertEquals(office, accounts.stamp("office"), "another login added, spaces and role order do not count");
        assertNotEquals(office, accounts.stamp("admin"), "each login has its own stamp");
    }

    @Test
    void aChangedPasswordOrRoleChangesTheStampAndARemovedLoginHasNone() throws Exception {
        write(OFFICE);
        UsersFileAccounts accounts = accounts();
        String before = accounts.stamp("office");

        write(OFFICE.replace("$2a$10$a", "$2a$10$b"));
        String newPassword = accounts.stamp("office");
        assertNotEquals(before, newPassword, "a new password hash");

        write(OFFICE.replace(",community:SUNSHINE", ""));
        assertNotEquals(before, accounts.stamp("office"), "a role taken away");
        assertNotEquals(newPassword, accounts.stamp("office"));

        write(OFFICE + ",city-admin");
        assertNotEquals(before, accounts.stamp("office"), "a role added");

        write("police = {CRYPT}y{CRYPT},police");
        assertNull(accounts.stamp("office"), "removed");
        assertFalse(accounts.exists("office"));
        assertNull(accounts.stamp("nobody"));
        assertNull(accounts.stamp(null));
    }

    @Test
    void aChangeToTheRolesOfOneOfItsGroupsChangesTheStamp() throws Exception {
        write("admin = {CRYPT}x{CRYPT},_g_:admingroup", GROUP);
        UsersFileAccounts accounts = accounts();
        String before = accounts.stamp("admin");
        write("admin = {CRYPT}x{CRYPT},_g_:admingroup", GROUP.replace(",city-admin", ""));
        assertNotEquals(before, accounts.stamp("admin"));
    }

    @Test
    void anEditOfTheSameSizeIsSeenOnceTheFileHasSettled() throws Exception {
        Path file = etc.resolve("users.properties");
        write(OFFICE);
        Instant old = Instant.now().minusSeconds(60);
        Files.setLastModifiedTime(file, FileTime.from(old));
        UsersFileAccounts accounts = accounts();
        String before = accounts.stamp("office");
        assertEquals(before, accounts.stamp("office"), "read once, then kept while the file is unchanged");

        write(OFFICE.replace("$2a$10$a", "$2a$10$b"));
        Files.setLastModifiedTime(file, FileTime.from(old.plusSeconds(1)));
        assertNotEquals(before, accounts.stamp("office"), "same size, another modification time");
    }

    @Test
    void noUsersFileMeansNoLogins() {
        assertNull(accounts().stamp("office"));
        assertFalse(accounts().exists("office"));
    }

    /**
     * A login is removed as a default only while its password is still that default: the demo's office/office goes
     * when the demo is disabled, a demo login whose password somebody changed is theirs and stays, nothing else is
     * touched. (The distribution hashes with bcrypt; this uses the realm's basic SHA-256 hashing, same file format.)
     */
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

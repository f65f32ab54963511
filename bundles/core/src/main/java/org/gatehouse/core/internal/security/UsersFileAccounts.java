package org.gatehouse.core.internal.security;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.stream.Collectors;

import javax.security.auth.login.LoginException;

import org.apache.karaf.jaas.modules.Encryption;
import org.apache.karaf.jaas.modules.EncryptionService;
import org.gatehouse.core.api.Accounts;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Logins in Karaf's properties realm. A new login's password is hashed with the realm's own encryption
 * service and settings ({@code etc/org.apache.karaf.jaas.cfg}: bcrypt through spring-security-crypto) and
 * appended to {@code etc/users.properties} as {@code {CRYPT}hash{CRYPT}}, so it is never written in clear;
 * then the login is checked once through the realm, and removed again if the realm does not accept it.
 * Available once the realm's hashing service is.
 *
 * <p>The file is read again only when its size, modification time or identity changed, or while it was changed too
 * recently for its time to tell two edits apart; so {@link #stamp}, asked on every call of a portal screen, costs one
 * look at the file's attributes.
 */
@Component(service = Accounts.class)
public class UsersFileAccounts implements Accounts {
    static final String REALM = "karaf";
    static final String CRYPT = "{CRYPT}";
    /** How Karaf's properties realm names a group in a user's entry and in the group's own entry. */
    static final String GROUP_PREFIX = "_g_:";
    /** A file changed less than this before it was read may change again within the same modification time. */
    static final long SETTLE_MILLIS = 2000;

    private final Path users;
    private final Path realmConfig;
    private final EncryptionService hashing;
    private Snapshot snapshot;

    /** The users file as last read, and how it looked on disk just before. */
    private record Snapshot(Properties entries, long size, FileTime modified, Object fileKey, long readAt) {
        boolean stillCurrent(BasicFileAttributes now) {
            return size == now.size() && modified.equals(now.lastModifiedTime()) && Objects.equals(fileKey, now.fileKey())
                    && readAt - modified.toMillis() >= SETTLE_MILLIS;
        }
    }

    @Activate
    public UsersFileAccounts(@Reference(target = "(name=spring-security-crypto)") EncryptionService hashing) {
        this(Paths.get(System.getProperty("karaf.etc", "etc")), hashing);
    }

    UsersFileAccounts(Path etc, EncryptionService hashing) {
        this.users = etc.resolve("users.properties");
        this.realmConfig = etc.resolve("org.apache.karaf.jaas.cfg");
        this.hashing = hashing;
    }

    @Override
    public synchronized boolean exists(String user) {
        return entries().containsKey(user);
    }

    /**
     * SHA-256 of the user's password hash, its roles and groups (sorted: their order means nothing) and each such
     * group's roles, spaces trimmed: rewriting the file without changing this login (another user added, a plain
     * password hashed by the realm) leaves it as it was.
     */
    @Override
    public synchronized String stamp(String user) {
        Properties entries = entries();
        String entry = user == null ? null : entries.getProperty(user);
        if (entry == null) {
            return null;
        }
        String[] parts = entry.split(",", -1);
        StringBuilder what = new StringBuilder(parts[0].strip()).append('\n').append(roles(parts));
        Arrays.stream(parts).skip(1).map(String::strip).filter(r -> r.startsWith(GROUP_PREFIX)).sorted().distinct()
                .forEach(group -> what.append('\n').append(group).append('=')
                        .append(roles(entries.getProperty(group, "").split(",", -1))));
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(what.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The roles and groups of an entry (after its first part, the password or a group's placeholder), sorted. */
    private static String roles(String[] parts) {
        return Arrays.stream(parts).skip(1).map(String::strip).filter(r -> !r.isEmpty()).sorted().distinct()
                .collect(Collectors.joining(","));
    }

    @Override
    public synchronized void create(String user, char[] password, List<String> rolesAndGroups) {
        if (user == null || !user.matches("[A-Za-z0-9._@-]{1,64}")) {
            throw new IllegalArgumentException("A login name is 1-64 letters, digits or . _ @ -");
        }
        String clear = new String(password);
        if (clear.isEmpty() || clear.contains(",") || clear.contains("\n") || clear.startsWith(CRYPT)) {
            throw new IllegalArgumentException("The password must not be empty or hold commas or line breaks");
        }
        if (exists(user)) {
            throw new IllegalStateException("The login " + user + " exists already");
        }
        String line = user + " = " + hash(clear)
                + (rolesAndGroups.isEmpty() ? "" : "," + String.join(",", rolesAndGroups));
        try {
            Files.writeString(users, System.lineSeparator() + line + System.lineSeparator(), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + users, e);
        }
        try {
            loginSoon(user, password);
        } catch (LoginException | RuntimeException e) {
            remove(user);
            throw new IllegalStateException("The realm does not accept the new login " + user + " (" + e
                    + "); it was removed again", e);
        }
    }

    @Override
    public synchronized boolean removeIfPassword(String user, char[] password) {
        String entry = load().getProperty(user);
        if (entry == null) {
            return false;
        }
        String stored = entry.split(",", 2)[0].strip();
        Realm realm = realm();
        if (!stored.startsWith(realm.prefix()) || !stored.endsWith(realm.suffix())
                || stored.length() < realm.prefix().length() + realm.suffix().length()) {
            return false; // not a hash of this realm's settings: not a default this code made
        }
        String hash = stored.substring(realm.prefix().length(), stored.length() - realm.suffix().length());
        if (!realm.encryption().checkPassword(new String(password), hash)) {
            return false;
        }
        remove(user);
        return true;
    }

    /** Attempts to check a new login while the realm may still be starting (its hashing options applied late). */
    static final int LOGIN_ATTEMPTS = 20;
    static final long LOGIN_RETRY_MILLIS = 500;

    /**
     * The new login must work through the realm. At the first start the realm's module can still be taking its
     * configuration (hashing on) when the first logins are made, and refuses them for a moment; so a refusal is
     * tried again for up to {@value #LOGIN_ATTEMPTS} × {@value #LOGIN_RETRY_MILLIS} ms before it counts.
     */
    private static void loginSoon(String user, char[] password) throws LoginException {
        for (int attempt = 1; ; attempt++) {
            try {
                login(user, password);
                return;
            } catch (LoginException | RuntimeException e) {
                if (attempt >= LOGIN_ATTEMPTS) {
                    throw e;
                }
                try {
                    Thread.sleep(LOGIN_RETRY_MILLIS);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** {@code {CRYPT}hash{CRYPT}} with the realm's encryption settings (bcrypt unless configured otherwise). */
    private String hash(String clear) {
        Realm realm = realm();
        return realm.prefix() + realm.encryption().encryptPassword(clear) + realm.suffix();
    }

    /** The realm's hashing as {@code etc/org.apache.karaf.jaas.cfg} sets it. */
    private record Realm(Encryption encryption, String prefix, String suffix) {
    }

    private Realm realm() {
        Properties realm = new Properties();
        if (Files.isRegularFile(realmConfig)) {
            try (InputStream in = Files.newInputStream(realmConfig)) {
                realm.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + realmConfig, e);
            }
        }
        if (!Boolean.parseBoolean(realm.getProperty("encryption.enabled", "true").strip())) {
            throw new IllegalStateException("Password hashing is off in " + realmConfig
                    + " (encryption.enabled): Gatehouse stores no password in clear");
        }
        Map<String, String> options = new HashMap<>();
        options.put("algorithm", realm.getProperty("encryption.algorithm", "bcrypt").strip());
        options.put("encoding", realm.getProperty("encryption.encoding", "").strip());
        Encryption encryption = hashing.createEncryption(options);
        if (encryption == null) {
            throw new IllegalStateException("The password hashing service cannot hash with " + options);
        }
        return new Realm(encryption, realm.getProperty("encryption.prefix", CRYPT).strip(),
                realm.getProperty("encryption.suffix", CRYPT).strip());
    }

    /** The file's entries: the last reading while the file is unchanged since, else a new one. */
    private Properties entries() {
        BasicFileAttributes now;
        try {
            now = Files.readAttributes(users, BasicFileAttributes.class);
        } catch (IOException e) {
            snapshot = null;
            return load();
        }
        Snapshot last = snapshot;
        if (last != null && last.stillCurrent(now)) {
            return last.entries();
        }
        // the attributes are read before the content: an edit in between makes the next look read it again
        long readAt = System.currentTimeMillis();
        Properties entries = load();
        snapshot = new Snapshot(entries, now.size(), now.lastModifiedTime(), now.fileKey(), readAt);
        return entries;
    }

    private Properties load() {
        Properties p = new Properties();
        if (Files.isRegularFile(users)) {
            try (InputStream in = Files.newInputStream(users)) {
                p.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + users, e);
            }
        }
        return p;
    }

    /** Drops the lines of {@code user} (its entry), keeping every other line as it is. */
    private void remove(String user) {
        try {
            List<String> kept = Files.readAllLines(users, StandardCharsets.UTF_8).stream()
                    .filter(l -> !l.strip().matches(java.util.regex.Pattern.quote(user) + "\\s*[=:].*")).toList();
            Files.write(users, kept, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + users, e);
        }
    }

    private static void login(String user, char[] password) throws LoginException {
        RealmLogin.login(REALM, user, password);
    }
}

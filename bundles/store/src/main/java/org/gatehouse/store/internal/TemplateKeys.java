package org.gatehouse.store.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

import org.gatehouse.api.keys.KeyGuard;
import org.gatehouse.api.keys.KeyRefusedException;
import org.gatehouse.api.service.KeyChecks;
import org.gatehouse.api.service.StoreUnavailableException;
import org.gatehouse.store.internal.repo.KeyChecksImpl;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The key manager of the face templates: AES-256 keys in a PKCS12 keystore, aliases {@code template-key-N}; the
 * highest N is the current key that seals new rows, older ones only open rows not yet re-sealed.
 * <p>
 * Keystore: {@code keystorePath} of the store configuration, by default {@code ${karaf.etc}/gatehouse-keys.p12}
 * ({@code ./etc} when {@code karaf.etc} is unset). Password: {@code keystorePassword}, or when blank the file
 * {@code gatehouse-keys.password} next to the keystore. When the keystore is missing and the database holds no
 * template and no template key check, it is created with one random key ({@code template-key-1}); when the password is
 * blank too, a random password is generated into the password file (owner read/write only) and a WARN asks the admin
 * to move it into the configuration. Each key's check value is recorded in {@code key_check}
 * ({@code template:template-key-N}); a missing keystore, a key whose check value differs, or a keystore without a key
 * that templates were sealed with is refused ({@link KeyRefusedException}) instead of replaced.
 * {@link #rotateKey()} adds {@code template-key-(N+1)}, rewrites the keystore atomically and records the new key.
 */
@Component(service = TemplateKeys.class, configurationPid = CayenneStore.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true)
public final class TemplateKeys {
    public static final String ALIAS_PREFIX = "template-key-";
    public static final String DEFAULT_FILE = "gatehouse-keys.p12";
    public static final String PASSWORD_FILE = "gatehouse-keys.password";
    public static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final Pattern ALIAS = Pattern.compile(Pattern.quote(ALIAS_PREFIX) + "(\\d{1,9})");
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Logger LOG = LoggerFactory.getLogger(TemplateKeys.class);

    /** A sealed value: the key that sealed it, the GCM nonce, ciphertext plus tag. */
    public record Sealed(String keyId, byte[] iv, byte[] ciphertext) {
    }

    private final Path path;
    private final String configuredPassword;
    /** Null: no database (the key manager alone, tests): the keystore is opened without key checks. */
    private final KeyChecksImpl checks;
    private char[] password;
    /** N -> key, for aliases template-key-N. */
    private final TreeMap<Integer, SecretKey> keys = new TreeMap<>();
    /** Opened and checked against the database. */
    private volatile boolean ready;
    private KeyRefusedException refused;

    @Activate
    public TemplateKeys(StoreConfig config, @Reference KeyChecksImpl checks) {
        this(resolvePath(config.keystorePath()), config.keystorePassword(), checks);
    }

    /**
     * Opens (or on first start creates) the keystore without asking a database: the key manager alone (tests,
     * tools). The platform uses {@link #TemplateKeys(Path, String, KeyChecksImpl)}.
     *
     * @param password blank = use, or generate, the password file next to the keystore
     */
    public TemplateKeys(Path path, String password) {
        this(path, password, null);
    }

    /**
     * Opens the keystore and checks it against the database ({@code key_check}, {@code face_template}): refused with
     * a {@link KeyRefusedException} naming the file when the keystore is missing while the database recorded a template
     * key or holds templates, when a key's check value differs from the recorded one, when templates were sealed with
     * a key the keystore lacks, or when a key with no record does not open the templates sealed under its alias.
     * Created (with its password file when no password is configured) only when the database holds neither. When the
     * database cannot be reached, opening and checking wait for the first use.
     */
    public TemplateKeys(Path path, String password, KeyChecksImpl checks) {
        this.path = path.toAbsolutePath().normalize();
        this.configuredPassword = password;
        this.checks = checks;
        if (checks == null) {
            synchronized (this) {
                openFile();
                ready = true;
            }
            LOG.info("template keystore {}: keys {}, current {}", this.path, keyIds(), currentKeyId());
            return;
        }
        try {
            ready();
        } catch (StoreUnavailableException e) {
            LOG.warn("the database is not reachable: the template keystore {} is opened and checked against it on "
                    + "first use ({})", this.path, e.getMessage());
        }
    }

    /** {@code configured} with ${karaf.etc} resolved; blank = ${karaf.etc}/gatehouse-keys.p12. */
    public static Path resolvePath(String configured) {
        return StoreSettings.etcFile(configured, DEFAULT_FILE);
    }

    public Path path() {
        return path;
    }

    public Path passwordFile() {
        return passwordFileOf(path);
    }

    public synchronized String currentKeyId() {
        ready();
        return ALIAS_PREFIX + keys.lastKey();
    }

    public synchronized List<String> keyIds() {
        ready();
        List<String> ids = new ArrayList<>();
        keys.keySet().forEach(n -> ids.add(ALIAS_PREFIX + n));
        return Collections.unmodifiableList(ids);
    }

    public synchronized boolean has(String keyId) {
        ready();
        Integer n = number(keyId);
        return n != null && keys.containsKey(n);
    }

    /**
     * Opens and checks the keystore the first time (see the constructor); a refusal sticks until restart.
     *
     * @throws KeyRefusedException       the keystore is missing or holds other keys than this database's
     * @throws StoreUnavailableException the database cannot be asked yet
     */
    private void ready() {
        if (ready) {
            return;
        }
        synchronized (this) {
            if (ready) {
                return;
            }
            if (refused != null) {
                throw refused;
            }
            try {
                openChecked();
            } catch (KeyRefusedException e) {
                refused = e;
                LOG.error("{}", e.getMessage());
                throw e;
            }
            ready = true;
        }
        LOG.info("template keystore {}: keys {}, current {} (checked against the database)", path, keyIds(),
                currentKeyId());
    }

    private static final String LABEL = "template keystore (face template keys)";

    /** The keystore, checked against what the database recorded and holds. Caller holds the monitor. */
    private void openChecked() {
        KeyChecksImpl.TemplateKeyUse use = checks.templateKeyUse();
        if (!Files.exists(path)) {
            if (!use.recorded().isEmpty() || !use.rows().isEmpty()) {
                String why = use.rows().isEmpty()
                        ? "this database was used with template keys " + use.recorded().keySet() + " (key checks "
                        + "recorded, e.g. " + use.recorded().values().iterator().next().recordedAt() + ")"
                        : "this database holds " + templates(use.rows()) + " sealed with its keys";
                throw KeyGuard.missing(KeyChecks.TEMPLATE_PREFIX, LABEL, path, why + " (restore "
                        + passwordFile().getFileName() + " or keystorePassword with it)");
            }
            openFile();
        } else {
            openFile();
        }
        for (Map.Entry<String, Long> used : use.rows().entrySet()) {
            Integer n = number(used.getKey());
            if (n == null || !keys.containsKey(n)) {
                throw new KeyRefusedException(KeyChecks.TEMPLATE_PREFIX + used.getKey(), path, "The " + LABEL + " "
                        + path + " has no key '" + used.getKey() + "', but this database holds " + used.getValue()
                        + " face template(s) sealed with it: it is not (or no longer) the keystore of this database. "
                        + KeyGuard.ADVICE + ".");
            }
        }
        for (Map.Entry<Integer, SecretKey> entry : keys.entrySet()) {
            String alias = ALIAS_PREFIX + entry.getKey();
            String purpose = KeyChecks.TEMPLATE_PREFIX + alias;
            byte[] material = entry.getValue().getEncoded();
            KeyChecks.KeyCheck recorded = use.recorded().get(alias);
            if (recorded != null) {
                if (!recorded.checkValue().equals(KeyGuard.checkValue(material, purpose))) {
                    throw KeyGuard.different(purpose, LABEL + ", key '" + alias + "',", path, recorded);
                }
                continue;
            }
            Long rows = use.rows().get(alias);
            if (rows != null && !opensAny(entry.getValue(), checks.templateSamples(alias, 3))) {
                throw KeyGuard.doesNotOpen(purpose, LABEL + ", key '" + alias + "',", path,
                        rows + " face template(s) sealed under '" + alias + "'");
            }
            KeyGuard.record(checks, purpose, LABEL + ", key '" + alias + "',", path, material);
            if (rows != null) {
                LOG.info("template keystore {}: key {} opens the templates sealed with it; its check value is now "
                        + "recorded in the database", path, alias);
            }
        }
    }

    private static String templates(Map<String, Long> rows) {
        return rows.values().stream().mapToLong(Long::longValue).sum() + " face template(s)";
    }

    private static boolean opensAny(SecretKey key, List<KeyChecksImpl.SealedSample> samples) {
        for (KeyChecksImpl.SealedSample sample : samples) {
            try {
                Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
                cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sample.iv()));
                cipher.updateAAD(sample.aad());
                Arrays.fill(cipher.doFinal(sample.ciphertext()), (byte) 0);
                return true;
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                // not this key (or this row was tampered with): try the next
            }
        }
        return false;
    }

    /** Loads the keystore, or creates it with one new key (and the password file when needed). */
    private void openFile() {
        try {
            password = password(path, configuredPassword);
            keys.clear();
            if (Files.exists(path)) {
                load();
            } else {
                create();
            }
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot open the template keystore " + path + ": " + e.getMessage(), e);
        }
        if (keys.isEmpty()) {
            throw new IllegalStateException("the template keystore " + path + " holds no " + ALIAS_PREFIX
                    + "N entry");
        }
    }

    /**
     * Adds a new random key {@code template-key-(N+1)}, which becomes current, and saves the keystore (written
     * to a temporary file and moved over the old one). Rows sealed earlier stay readable; {@code reencryptAll()}
     * moves them to the new key.
     *
     * @return the new key id
     */
    public synchronized String rotateKey() {
        ready();
        int next = keys.lastKey() + 1;
        if (checks != null && checks.recorded(KeyChecks.TEMPLATE_PREFIX + ALIAS_PREFIX + next).isPresent()) {
            throw new IllegalStateException("'" + ALIAS_PREFIX + next + "' is already recorded for this database by "
                    + "another keystore (did another node rotate?): copy that node's keystore to " + path
                    + " and restart instead of rotating here");
        }
        try {
            SecretKey key = newKey();
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(path)) {
                store.load(in, password);
            }
            store.setEntry(ALIAS_PREFIX + next, new KeyStore.SecretKeyEntry(key),
                    new KeyStore.PasswordProtection(password));
            save(store);
            keys.put(next, key);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot add a key to the template keystore " + path + ": " + e.getMessage(),
                    e);
        }
        if (checks != null) {
            try {
                KeyGuard.record(checks, KeyChecks.TEMPLATE_PREFIX + ALIAS_PREFIX + next, LABEL, path,
                        keys.get(next).getEncoded());
            } catch (StoreUnavailableException e) {
                ready = false; // recorded by the check on next use
                LOG.warn("template keystore {}: the check value of {} is recorded once the database answers ({})",
                        path, ALIAS_PREFIX + next, e.getMessage());
            }
        }
        LOG.warn("template keystore {}: new current key {}; run reencryptAll() to re-seal older rows, and back up "
                + "the keystore", path, ALIAS_PREFIX + next);
        return ALIAS_PREFIX + next;
    }

    /** Seals {@code plaintext} with the current key, a fresh random 12-byte IV and {@code aad}. */
    public Sealed seal(byte[] plaintext, byte[] aad) {
        ready();
        String keyId;
        SecretKey key;
        synchronized (this) {
            keyId = currentKeyId();
            key = keys.lastEntry().getValue();
        }
        byte[] iv = new byte[IV_BYTES];
        RANDOM.nextBytes(iv);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(aad);
            return new Sealed(keyId, iv, cipher.doFinal(plaintext));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed: " + e.getMessage(), e);
        }
    }

    /**
     * Opens a sealed value.
     *
     * @throws GeneralSecurityException when the key is unknown, or the ciphertext, IV, AAD or key is wrong
     */
    public byte[] open(String keyId, byte[] iv, byte[] ciphertext, byte[] aad) throws GeneralSecurityException {
        ready();
        SecretKey key;
        synchronized (this) {
            Integer n = number(keyId);
            key = n == null ? null : keys.get(n);
        }
        if (key == null) {
            throw new java.security.UnrecoverableKeyException("key '" + keyId + "' is not in the keystore " + path);
        }
        if (iv == null || iv.length != IV_BYTES) {
            throw new java.security.InvalidAlgorithmParameterException("the IV must be " + IV_BYTES + " bytes, not "
                    + (iv == null ? "missing" : iv.length));
        }
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
        cipher.updateAAD(aad);
        return cipher.doFinal(ciphertext);
    }

    private static Integer number(String keyId) {
        if (keyId == null) {
            return null;
        }
        Matcher m = ALIAS.matcher(keyId);
        return m.matches() ? Integer.valueOf(m.group(1)) : null;
    }

    // ---------------------------------------------------------------- keystore file

    private void load() throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(path)) {
            store.load(in, password);
        } catch (IOException e) {
            if (e.getCause() instanceof java.security.UnrecoverableKeyException) {
                throw new IOException("wrong keystore password (keystorePassword or " + passwordFile() + ")", e);
            }
            throw e;
        }
        for (String alias : Collections.list(store.aliases())) {
            Integer n = number(alias);
            if (n == null) {
                LOG.warn("template keystore {}: ignoring entry '{}' (not {}N)", path, alias, ALIAS_PREFIX);
                continue;
            }
            java.security.Key key = store.getKey(alias, password);
            if (!(key instanceof SecretKey secret) || !"AES".equalsIgnoreCase(secret.getAlgorithm())) {
                throw new GeneralSecurityException("entry '" + alias + "' is not an AES secret key");
            }
            keys.put(n, secret);
        }
    }

    private void create() throws IOException, GeneralSecurityException {
        Path dir = path.getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, password);
        SecretKey key = newKey();
        store.setEntry(ALIAS_PREFIX + 1, new KeyStore.SecretKeyEntry(key), new KeyStore.PasswordProtection(password));
        save(store);
        keys.put(1, key);
        LOG.warn("created the template keystore {} with a new random key {}; back it up: templates cannot be read "
                + "without it", path, ALIAS_PREFIX + 1);
    }

    private void save(KeyStore store) throws IOException, GeneralSecurityException {
        Path dir = path.getParent() == null ? Path.of(".") : path.getParent();
        Path temp = Files.createTempFile(dir, ".gatehouse-keys", ".tmp", ownerOnly());
        try {
            try (OutputStream out = Files.newOutputStream(temp, StandardOpenOption.TRUNCATE_EXISTING)) {
                store.store(out, password);
            }
            restrict(temp);
            try {
                Files.move(temp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (java.nio.file.AtomicMoveNotSupportedException e) {
                Files.move(temp, path, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static SecretKey newKey() throws GeneralSecurityException {
        KeyGenerator generator = KeyGenerator.getInstance("AES");
        generator.init(256, RANDOM);
        return generator.generateKey();
    }

    // ---------------------------------------------------------------- password

    private static Path passwordFileOf(Path keystore) {
        Path dir = keystore.getParent() == null ? Path.of(".") : keystore.getParent();
        return dir.resolve(PASSWORD_FILE);
    }

    private static char[] password(Path keystore, String configured) throws IOException {
        if (configured != null && !configured.isBlank()) {
            if ("changeit".equals(configured)) {
                LOG.warn("keystorePassword is the well-known 'changeit': acceptable for a demo, never in production");
            }
            return configured.toCharArray();
        }
        Path file = passwordFileOf(keystore);
        if (Files.exists(file)) {
            if (!Files.exists(keystore)) {
                LOG.warn("template keystore {} is missing: creating a new one with the password in {}. Templates "
                        + "sealed with the lost keys can no longer be decrypted", keystore, file);
            }
            warnIfReadableByOthers(file);
            String text = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (text.isEmpty()) {
                throw new IOException("the password file " + file + " is empty");
            }
            LOG.warn("the template keystore password is read from {}: move it into etc/{}.cfg as keystorePassword "
                    + "and delete the file", file, CayenneStore.PID);
            return text.toCharArray();
        }
        if (Files.exists(keystore)) {
            throw new IOException("no keystorePassword is configured and the password file " + file + " is missing");
        }
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String generated = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Arrays.fill(random, (byte) 0);
        Path dir = file.getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        if (posix(dir)) {
            Files.writeString(Files.createFile(file, ownerOnly()), generated + "\n", StandardCharsets.UTF_8);
        } else {
            Files.writeString(file, generated + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
        }
        restrict(file);
        LOG.warn("generated a random template keystore password into {} (owner read/write only). Move it into "
                + "etc/{}.cfg as keystorePassword = <the file's content> and delete the file", file, CayenneStore.PID);
        return generated.toCharArray();
    }

    private static boolean posix(Path dir) {
        Path where = dir == null ? Path.of(".") : dir;
        try {
            return Files.getFileStore(where).supportsFileAttributeView("posix");
        } catch (IOException e) {
            return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        }
    }

    private static FileAttribute<?>[] ownerOnly() {
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)};
        }
        return new FileAttribute<?>[0];
    }

    /** Owner read/write only: POSIX 600, elsewhere the closest the file system offers. */
    private static void restrict(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, OWNER_ONLY);
        } catch (UnsupportedOperationException e) {
            java.io.File f = file.toFile();
            boolean ok = f.setReadable(false, false) & f.setReadable(true, true)
                    & f.setWritable(false, false) & f.setWritable(true, true);
            if (!ok) {
                LOG.warn("could not restrict {} to its owner", file);
            }
        }
    }

    private static void warnIfReadableByOthers(Path file) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (!OWNER_ONLY.containsAll(perms)) {
                LOG.warn("{} is accessible to others ({}): chmod 600 it", file, PosixFilePermissions.toString(perms));
            }
        } catch (UnsupportedOperationException | IOException e) {
            // not a POSIX file system
        }
    }
}

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
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The key manager of the face templates: AES-256 keys in a PKCS12 keystore, aliases {@code template-key-N}; the
 * highest N is the current key that seals new rows, older ones only open rows not yet re-sealed.
 * <p>
 * Keystore: {@code keystorePath} of the store configuration, by default {@code ${karaf.etc}/gatehouse-keys.p12}
 * ({@code ./etc} when {@code karaf.etc} is unset). Password: {@code keystorePassword}, or when blank the file
 * {@code gatehouse-keys.password} next to the keystore. When the keystore is missing it is created with one
 * random key ({@code template-key-1}); when the password is blank too, a random password is generated into the
 * password file (owner read/write only) and a WARN asks the admin to move it into the configuration.
 * {@link #rotateKey()} adds {@code template-key-(N+1)} and rewrites the keystore atomically.
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
    private final char[] password;
    /** N -> key, for aliases template-key-N. */
    private final TreeMap<Integer, SecretKey> keys = new TreeMap<>();

    @Activate
    public TemplateKeys(StoreConfig config) {
        this(resolvePath(config.keystorePath()), config.keystorePassword());
    }

    /**
     * Opens (or on first start creates) the keystore.
     *
     * @param password blank = use, or generate, the password file next to the keystore
     */
    public TemplateKeys(Path path, String password) {
        this.path = path.toAbsolutePath().normalize();
        try {
            this.password = password(this.path, password);
            if (Files.exists(this.path)) {
                load();
            } else {
                create();
            }
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot open the template keystore " + this.path + ": " + e.getMessage(),
                    e);
        }
        if (keys.isEmpty()) {
            throw new IllegalStateException("the template keystore " + this.path + " holds no " + ALIAS_PREFIX
                    + "N entry");
        }
        LOG.info("template keystore {}: keys {}, current {}", this.path, keyIds(), currentKeyId());
    }

    /** {@code configured} with ${karaf.etc} resolved; blank = ${karaf.etc}/gatehouse-keys.p12. */
    public static Path resolvePath(String configured) {
        String etc = System.getProperty("karaf.etc", "./etc");
        if (configured == null || configured.isBlank()) {
            return Path.of(etc, DEFAULT_FILE);
        }
        return Path.of(configured.strip().replace("${karaf.etc}", etc));
    }

    public Path path() {
        return path;
    }

    public Path passwordFile() {
        return passwordFileOf(path);
    }

    public synchronized String currentKeyId() {
        return ALIAS_PREFIX + keys.lastKey();
    }

    public synchronized List<String> keyIds() {
        List<String> ids = new ArrayList<>();
        keys.keySet().forEach(n -> ids.add(ALIAS_PREFIX + n));
        return Collections.unmodifiableList(ids);
    }

    public synchronized boolean has(String keyId) {
        Integer n = number(keyId);
        return n != null && keys.containsKey(n);
    }

    /**
     * Adds a new random key {@code template-key-(N+1)}, which becomes current, and saves the keystore (written
     * to a temporary file and moved over the old one). Rows sealed earlier stay readable; {@code reencryptAll()}
     * moves them to the new key.
     *
     * @return the new key id
     */
    public synchronized String rotateKey() {
        int next = keys.lastKey() + 1;
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
        LOG.warn("template keystore {}: new current key {}; run reencryptAll() to re-seal older rows, and back up "
                + "the keystore", path, ALIAS_PREFIX + next);
        return ALIAS_PREFIX + next;
    }

    /** Seals {@code plaintext} with the current key, a fresh random 12-byte IV and {@code aad}. */
    public Sealed seal(byte[] plaintext, byte[] aad) {
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

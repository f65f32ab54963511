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
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.Set;
import java.util.TreeMap;

import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PKCS12 file of the template keys and its password: loaded, created on first start with one random key (and,
 * when no password is configured, a generated password file next to it, owner read/write only), extended by a
 * rotation (written to a temporary file and moved over the old one). Knows nothing of the database.
 */
final class TemplateKeystoreFile {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final SecureRandom RANDOM = new SecureRandom();
    /** The key manager's own log lines. */
    private static final Logger LOG = LoggerFactory.getLogger(TemplateKeys.class);

    private final Path path;
    private final String configuredPassword;
    private char[] password;

    TemplateKeystoreFile(Path path, String configuredPassword) {
        this.path = path;
        this.configuredPassword = configuredPassword;
    }

    Path passwordFile() {
        return passwordFileOf(path);
    }

    /** Loads the keystore, or creates it with one new key (and the password file when needed): N -> key. */
    TreeMap<Integer, SecretKey> open() {
        TreeMap<Integer, SecretKey> keys = new TreeMap<>();
        try {
            password = password(path, configuredPassword);
            if (Files.exists(path)) {
                load(keys);
            } else {
                create(keys);
            }
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot open the template keystore " + path + ": " + e.getMessage(), e);
        }
        if (keys.isEmpty()) {
            throw new IllegalStateException("the template keystore " + path + " holds no " + TemplateKeys.ALIAS_PREFIX
                    + "N entry");
        }
        return keys;
    }

    /** Adds a new random key under {@code template-key-n} and saves the keystore; the key. */
    SecretKey add(int n) throws IOException, GeneralSecurityException {
        SecretKey key = newKey();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(path)) {
            store.load(in, password);
        }
        store.setEntry(TemplateKeys.ALIAS_PREFIX + n, new KeyStore.SecretKeyEntry(key),
                new KeyStore.PasswordProtection(password));
        save(store);
        return key;
    }

    private void load(TreeMap<Integer, SecretKey> keys) throws IOException, GeneralSecurityException {
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
            Integer n = TemplateKeys.number(alias);
            if (n == null) {
                LOG.warn("template keystore {}: ignoring entry '{}' (not {}N)", path, alias, TemplateKeys.ALIAS_PREFIX);
                continue;
            }
            java.security.Key key = store.getKey(alias, password);
            if (!(key instanceof SecretKey secret) || !"AES".equalsIgnoreCase(secret.getAlgorithm())) {
                throw new GeneralSecurityException("entry '" + alias + "' is not an AES secret key");
            }
            keys.put(n, secret);
        }
    }

    private void create(TreeMap<Integer, SecretKey> keys) throws IOException, GeneralSecurityException {
        Path dir = path.getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, password);
        SecretKey key = newKey();
        store.setEntry(TemplateKeys.ALIAS_PREFIX + 1, new KeyStore.SecretKeyEntry(key), new KeyStore.PasswordProtection(password));
        save(store);
        keys.put(1, key);
        LOG.warn("created the template keystore {} with a new random key {}; back it up: templates cannot be read "
                + "without it", path, TemplateKeys.ALIAS_PREFIX + 1);
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

    static Path passwordFileOf(Path keystore) {
        Path dir = keystore.getParent() == null ? Path.of(".") : keystore.getParent();
        return dir.resolve(TemplateKeys.PASSWORD_FILE);
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

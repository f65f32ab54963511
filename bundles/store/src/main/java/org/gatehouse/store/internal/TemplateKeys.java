package org.gatehouse.store.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.SecretKey;

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
 * <p>
 * The keystore file and its password are {@link TemplateKeystoreFile}'s, the checks against the database
 * {@link TemplateKeystoreCheck}'s, the AES-GCM envelope {@link TemplateCipher}'s.
 */
@Component(service = TemplateKeys.class, configurationPid = CayenneStore.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true)
public final class TemplateKeys {
    public static final String ALIAS_PREFIX = "template-key-";
    public static final String PASSWORD_FILE = "gatehouse-keys.password";
    static final String LABEL = "template keystore (face template keys)";
    private static final Pattern ALIAS = Pattern.compile(Pattern.quote(ALIAS_PREFIX) + "(\\d{1,9})");
    private static final Logger LOG = LoggerFactory.getLogger(TemplateKeys.class);

    /** A sealed value: the key that sealed it, the GCM nonce, ciphertext plus tag. */
    public record Sealed(String keyId, byte[] iv, byte[] ciphertext) {
    }

    private final Path path;
    private final TemplateKeystoreFile file;
    /** Null: no database (the key manager alone, tests): the keystore is opened without key checks. */
    private final KeyChecksImpl checks;
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
        this.file = new TemplateKeystoreFile(this.path, password);
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

    /** {@code configured} with ${karaf.etc} resolved; blank = {@link StoreConfig#keystorePath()}'s default. */
    public static Path resolvePath(String configured) {
        return StoreSettings.etcFile(configured, "keystorePath");
    }

    public Path path() {
        return path;
    }

    public Path passwordFile() {
        return file.passwordFile();
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

    /** The keystore, checked against what the database recorded and holds. Caller holds the monitor. */
    private void openChecked() {
        KeyChecksImpl.TemplateKeyUse use = checks.templateKeyUse();
        TemplateKeystoreCheck.refuseMissing(use, path, passwordFile());
        openFile();
        TemplateKeystoreCheck.check(checks, use, path, keys);
    }

    /** Loads the keystore, or creates it with one new key (and the password file when needed). */
    private void openFile() {
        keys.clear();
        keys.putAll(file.open());
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
            keys.put(next, file.add(next));
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
        return TemplateCipher.seal(keyId, key, plaintext, aad);
    }

    /**
     * Seals {@code plaintext} with the key {@code keyId} (a value kept beside another in one row, under one key), a
     * fresh random 12-byte IV and {@code aad}.
     */
    public Sealed sealWith(String keyId, byte[] plaintext, byte[] aad) {
        ready();
        SecretKey key = key(keyId);
        if (key == null) {
            throw new IllegalStateException("key '" + keyId + "' is not in the keystore " + path);
        }
        return TemplateCipher.seal(keyId, key, plaintext, aad);
    }

    private synchronized SecretKey key(String keyId) {
        Integer n = number(keyId);
        return n == null ? null : keys.get(n);
    }

    /**
     * Opens a sealed value.
     *
     * @throws GeneralSecurityException when the key is unknown, or the ciphertext, IV, AAD or key is wrong
     */
    public byte[] open(String keyId, byte[] iv, byte[] ciphertext, byte[] aad) throws GeneralSecurityException {
        ready();
        SecretKey key = key(keyId);
        if (key == null) {
            throw new java.security.UnrecoverableKeyException("key '" + keyId + "' is not in the keystore " + path);
        }
        return TemplateCipher.open(key, iv, ciphertext, aad);
    }

    /** N of {@code template-key-N}; null for anything else. */
    static Integer number(String keyId) {
        if (keyId == null) {
            return null;
        }
        Matcher m = ALIAS.matcher(keyId);
        return m.matches() ? Integer.valueOf(m.group(1)) : null;
    }
}

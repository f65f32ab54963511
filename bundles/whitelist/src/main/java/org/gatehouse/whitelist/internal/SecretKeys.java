package org.gatehouse.whitelist.internal;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.gatehouse.api.keys.KeyFiles;
import org.gatehouse.api.keys.KeyGuard;
import org.gatehouse.api.service.KeyChecks;
import org.gatehouse.core.api.ModuleKey;
import org.gatehouse.core.api.ModuleKeys;

/**
 * The whitelist's 32-byte secret key (a file under Karaf's {@code etc/}, created owner-only on first use):
 * keyed HMAC-SHA256 of ID card numbers and PINs, and AES-GCM sealing of app-token secrets (the server needs
 * those to check codes, so they are kept encrypted, never in clear).
 * <p>
 * The platform opens the file through {@link KeyGuard} ({@link #load(Path, KeyChecks)}): a missing file, or a file
 * holding another key, is refused while the database recorded this key or holds references made with a key (the
 * sealed app-token secrets tell whether a file is the right one); a new key is only created for a database that
 * holds none.
 */
public final class SecretKeys {
    public static final String HMAC_PREFIX = "hmac-sha256:";
    public static final String SEALED_PREFIX = "totp-aesgcm:";
    static final String LABEL = "whitelist key (ID card, PIN and IC card hashes, app-token secrets)";

    /** Prefix of a sealed ID card number (kept beside its keyed hash for the consumers configured for it). */
    public static final String SEALED_ID_PREFIX = "idno-aesgcm:";

    private static final String SEAL_PURPOSE = "seal-app-token-secrets";
    private static final String SEAL_ID_PURPOSE = "seal-id-card-numbers";

    private final ModuleKey key;
    private volatile byte[] sealKey;
    private volatile byte[] idKey;

    public SecretKeys(byte[] key) {
        this(ModuleKey.of(key, "whitelist key"));
    }

    private SecretKeys(ModuleKey key) {
        this.key = key;
    }

    /** The key file named by config, else {@code ${karaf.etc}/gatehouse-whitelist.key} (fallback {@code ./etc}). */
    public static Path keyFile(String configured) {
        return KeyFiles.path(configured, "gatehouse-whitelist.key");
    }

    /**
     * The key in {@code file}, checked against the database through {@code checks} on first use (see the class
     * comment); {@link #checkNow()} does it at activation.
     */
    public static SecretKeys load(Path file, KeyChecks checks) {
        return new SecretKeys(ModuleKeys.open(checks, KeyChecks.WHITELIST, "whitelist key", LABEL, file,
                () -> keyedData(checks), "the sealed app-token secrets"));
    }

    /**
     * Checks the key now if the database answers.
     *
     * @return false when the database is down (checked on first use)
     * @throws org.gatehouse.api.keys.KeyRefusedException when the key file is missing or another key
     */
    public boolean checkNow() {
        return key.checkNow();
    }

    public static byte[] random(int n) {
        return KeyFiles.random(n);
    }

    /** Keyed hash of a secret value, labelled so an ID card number and a PIN never share a reference. */
    public String hash(String label, String value) {
        return HMAC_PREFIX + key.hash(label, value);
    }

    /**
     * What is stored for an IC card number (already normalised): its keyed hash, labelled {@code CARD}, followed by
     * at most its last four letters or digits so people can tell cards apart —
     * {@code hmac-sha256:<hex>:****1234}. Never more than half of them (a 4-character number shows two).
     * Deterministic, so a card read at the gate is looked up by the same string.
     */
    public String cardReference(String cardNumber) {
        String alphanumeric = cardNumber.replaceAll("[^0-9A-Za-z]", "");
        int shown = Math.min(4, alphanumeric.length() / 2);
        return hash("CARD", cardNumber) + ":****" + alphanumeric.substring(alphanumeric.length() - shown);
    }

    /** Encrypts an app-token secret for storing as a credential reference. */
    public String seal(byte[] secret) {
        return seal(sealKey(), SEALED_PREFIX, secret);
    }

    /**
     * Encrypts an ID card number (normalised) with a key of its own (derived for this purpose only), for the
     * credential's sealed value.
     */
    public String sealIdNumber(String number) {
        return seal(idKey(), SEALED_ID_PREFIX, number.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The number sealed by {@link #sealIdNumber}; empty if the value is not one of ours or was tampered with. */
    public java.util.Optional<String> openIdNumber(String sealed) {
        if (sealed == null || !sealed.startsWith(SEALED_ID_PREFIX)) {
            return java.util.Optional.empty();
        }
        byte[] clear = open(idKey(), SEALED_PREFIX + sealed.substring(SEALED_ID_PREFIX.length()));
        return clear.length == 0 ? java.util.Optional.empty()
                : java.util.Optional.of(new String(clear, java.nio.charset.StandardCharsets.UTF_8));
    }

    private byte[] idKey() {
        byte[] k = idKey;
        if (k == null) {
            k = key.derive(SEAL_ID_PURPOSE);
            idKey = k;
        }
        return k;
    }

    private static String seal(byte[] sealKey, String prefix, byte[] secret) {
        try {
            byte[] iv = random(12);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(sealKey, "AES"), new GCMParameterSpec(128, iv));
            byte[] ct = c.doFinal(secret);
            byte[] out = ByteBuffer.allocate(iv.length + ct.length).put(iv).put(ct).array();
            return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    /** The secret sealed by {@link #seal}; empty array if the reference is not one of ours or was tampered with. */
    public byte[] open(String reference) {
        return open(sealKey(), reference);
    }

    private byte[] sealKey() {
        byte[] k = sealKey;
        if (k == null) {
            k = key.derive(SEAL_PURPOSE);
            sealKey = k;
        }
        return k;
    }

    private static byte[] open(byte[] sealKey, String reference) {
        if (reference == null || !reference.startsWith(SEALED_PREFIX)) {
            return new byte[0];
        }
        try {
            byte[] in = Base64.getUrlDecoder().decode(reference.substring(SEALED_PREFIX.length()));
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(sealKey, "AES"), new GCMParameterSpec(128, in, 0, 12));
            return c.doFinal(in, 12, in.length - 12);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return new byte[0];
        }
    }

    /**
     * What the database holds made with a whitelist key: keyed credential references. A candidate key is tried on
     * the sealed app-token secrets (up to five, any that opens will do); ID card, PIN and IC card hashes alone cannot
     * tell a right key from a wrong one.
     */
    static KeyGuard.KeyedData keyedData(KeyChecks checks) {
        List<KeyChecks.KeyedValue> values = checks.keyedValues(KeyChecks.WHITELIST, 20);
        List<String> sealed = new ArrayList<>();
        for (KeyChecks.KeyedValue v : values) {
            if (v.value() != null && v.value().startsWith(SEALED_PREFIX) && sealed.size() < 5) {
                sealed.add(v.value());
            }
        }
        return new KeyGuard.KeyedData() {
            @Override
            public boolean exists() {
                return !values.isEmpty();
            }

            @Override
            public String describe() {
                return "keyed credential references (" + (sealed.isEmpty() ? "" : "sealed app-token secrets, ")
                        + "ID card, PIN or IC card hashes)";
            }

            @Override
            public KeyGuard.Verdict tryKey(byte[] candidate) {
                if (sealed.isEmpty()) {
                    return KeyGuard.Verdict.CANNOT_TELL;
                }
                byte[] seal = ModuleKey.derive(candidate, SEAL_PURPOSE);
                for (String reference : sealed) {
                    if (open(seal, reference).length > 0) {
                        return KeyGuard.Verdict.OPENS;
                    }
                }
                return KeyGuard.Verdict.DOES_NOT_OPEN;
            }
        };
    }

    @Override
    public String toString() {
        return "SecretKeys[not shown]";
    }
}

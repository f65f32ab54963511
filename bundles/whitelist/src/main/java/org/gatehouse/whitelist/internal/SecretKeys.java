package org.gatehouse.whitelist.internal;

import org.gatehouse.core.api.KeyFiles;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The whitelist's 32-byte secret key (a file under Karaf's {@code etc/}, created owner-only on first use):
 * keyed HMAC-SHA256 of ID card numbers and PINs, and AES-GCM sealing of app-token secrets (the server needs
 * those to check codes, so they are kept encrypted, never in clear).
 */
public final class SecretKeys {
    public static final String HMAC_PREFIX = "hmac-sha256:";
    public static final String SEALED_PREFIX = "totp-aesgcm:";

    private final byte[] key;
    private final byte[] sealKey;

    public SecretKeys(byte[] key) {
        if (key.length != 32) {
            throw new IllegalArgumentException("the whitelist key must be 32 bytes, not " + key.length);
        }
        this.key = key.clone();
        this.sealKey = mac(this.key, "seal-app-token-secrets".getBytes(StandardCharsets.UTF_8));
    }

    /** The key file named by config, else {@code ${karaf.etc}/gatehouse-whitelist.key} (fallback {@code ./etc}). */
    public static Path keyFile(String configured) {
        return KeyFiles.path(configured, "gatehouse-whitelist.key");
    }

    /** Reads the key, or creates it (32 random bytes, rw------- where the file system supports it). */
    public static SecretKeys load(Path file) {
        return new SecretKeys(KeyFiles.loadOrCreate(file, 32));
    }

    public static byte[] random(int n) {
        return KeyFiles.random(n);
    }

    /** Keyed hash of a secret value, labelled so an ID card number and a PIN never share a reference. */
    public String hash(String label, String value) {
        return HMAC_PREFIX + KeyFiles.hmacHex(key, label, value);
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
        try {
            byte[] iv = random(12);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(sealKey, "AES"), new GCMParameterSpec(128, iv));
            byte[] ct = c.doFinal(secret);
            byte[] out = ByteBuffer.allocate(iv.length + ct.length).put(iv).put(ct).array();
            return SEALED_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    /** The secret sealed by {@link #seal}; empty array if the reference is not one of ours or was tampered with. */
    public byte[] open(String reference) {
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

    private static byte[] mac(byte[] key, byte[] data) {
        return KeyFiles.hmac(key, data);
    }

    @Override
    public String toString() {
        return "SecretKeys[" + Arrays.hashCode(new byte[0]) + "]";
    }
}

package org.gatehouse.visitor.internal;

import org.gatehouse.core.api.KeyFiles;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * The visitor module's 32-byte secret key (a file under Karaf's {@code etc/}, created owner-only on first use):
 * keyed HMAC-SHA256 of pass codes and visitors' ID card numbers, so neither is ever stored in clear.
 */
public final class SecretKeys {
    /** Stored hashes are 64 lower-case hex digits (HMAC-SHA256): they fit the store's 64-character columns. */
    public static final java.util.regex.Pattern HASH = java.util.regex.Pattern.compile("[0-9a-f]{64}");

    private final byte[] key;

    public SecretKeys(byte[] key) {
        if (key.length != 32) {
            throw new IllegalArgumentException("the visitor key must be 32 bytes, not " + key.length);
        }
        this.key = key.clone();
    }

    /** The key file named by config, else {@code ${karaf.etc}/gatehouse-visitor.key} (fallback {@code ./etc}). */
    public static Path keyFile(String configured) {
        return KeyFiles.path(configured, "gatehouse-visitor.key");
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
        return KeyFiles.hmacHex(key, label, value);
    }

    private static byte[] mac(byte[] key, byte[] data) {
        return KeyFiles.hmac(key, data);
    }

    @Override
    public String toString() {
        return "SecretKeys[" + Arrays.hashCode(new byte[0]) + "]";
    }
}

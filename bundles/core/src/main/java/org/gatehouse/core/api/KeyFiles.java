package org.gatehouse.core.api;

import java.nio.file.Path;

/**
 * Secret keys kept in files under Karaf's {@code etc/} (one per purpose, e.g. ID card hashes, pass codes),
 * created with random bytes and owner-only permissions, and the keyed hash made with them.
 * Losing such a file means no stored hash matches any more: it belongs in the backup.
 *
 * @deprecated moved to {@link org.gatehouse.api.keys.KeyFiles} (the store, which cannot depend on the core, uses it
 * too); open keys that data in the database depends on through {@link org.gatehouse.api.keys.KeyGuard}, which
 * refuses to create a new key while such data exists. This class delegates.
 */
@Deprecated
public final class KeyFiles {
    private KeyFiles() {
    }

    /** The configured path, else {@code <karaf.etc>/defaultName} (fallback {@code ./etc}). */
    public static Path path(String configured, String defaultName) {
        return org.gatehouse.api.keys.KeyFiles.path(configured, defaultName);
    }

    /** Reads the key, or creates it with {@code length} random bytes (rw------- where supported). Unguarded. */
    public static byte[] loadOrCreate(Path file, int length) {
        return org.gatehouse.api.keys.KeyFiles.loadOrCreate(file, length);
    }

    public static byte[] random(int length) {
        return org.gatehouse.api.keys.KeyFiles.random(length);
    }

    /** HMAC-SHA256 of {@code label NUL value} as 64 hex digits: the label keeps purposes apart. */
    public static String hmacHex(byte[] key, String label, String value) {
        return org.gatehouse.api.keys.KeyFiles.hmacHex(key, label, value);
    }

    public static byte[] hmac(byte[] key, byte[] data) {
        return org.gatehouse.api.keys.KeyFiles.hmac(key, data);
    }
}

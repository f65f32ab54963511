package org.gatehouse.api.keys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Secret keys kept in files under Karaf's {@code etc/} (one per purpose: ID card hashes, pass codes, the audit
 * chain), created with random bytes and owner-only permissions, and the keyed hash made with them. Losing such a
 * file means no stored hash matches any more: it belongs in the backup. Modules whose data in the database needs
 * the key open it through {@link KeyGuard}, which refuses to create a new key while such data exists.
 * <p>
 * Here (in the api bundle, JDK only) so that the store, which cannot depend on the core, shares it;
 * {@code org.gatehouse.core.api.KeyFiles} delegates to this class.
 */
public final class KeyFiles {
    private static final SecureRandom RANDOM = new SecureRandom();

    private KeyFiles() {
    }

    /** The configured path, else {@code <karaf.etc>/defaultName} (fallback {@code ./etc}). */
    public static Path path(String configured, String defaultName) {
        if (configured != null && !configured.isBlank()) {
            return Paths.get(configured.trim());
        }
        return Paths.get(System.getProperty("karaf.etc", "etc"), defaultName);
    }

    /**
     * Reads the key, or creates it with {@code length} random bytes (rw------- where supported). Unguarded: use
     * {@link KeyGuard#open} when data in the database was made with the key.
     */
    public static byte[] loadOrCreate(Path file, int length) {
        if (!Files.exists(file)) {
            return create(file, length);
        }
        return read(file, length);
    }

    /** Reads an existing key of {@code length} bytes. */
    public static byte[] read(Path file, int length) {
        try {
            byte[] key = Files.readAllBytes(file);
            if (key.length != length) {
                throw new IllegalStateException("The key in " + file + " must be " + length + " bytes, not " + key.length);
            }
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the key " + file, e);
        }
    }

    /**
     * Creates the key file with {@code length} random bytes, owner read/write only (written to a temporary file and
     * moved into place, never over an existing file: a key written meanwhile by another starter wins and is
     * returned).
     */
    public static byte[] create(Path file, int length) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.createFile(tmp);
                tmp.toFile().setReadable(false, false);
                tmp.toFile().setReadable(true, true);
                tmp.toFile().setWritable(false, false);
                tmp.toFile().setWritable(true, true);
            }
            Files.write(tmp, random(length), StandardOpenOption.WRITE, StandardOpenOption.SYNC);
            try {
                Files.move(tmp, file); // no REPLACE_EXISTING: a key written meanwhile by another starter wins
            } catch (FileAlreadyExistsException e) {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the key " + file, e);
        }
        return read(file, length);
    }

    public static byte[] random(int length) {
        byte[] bytes = new byte[length];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /** HMAC-SHA256 of {@code label NUL value} as 64 hex digits: the label keeps purposes apart. */
    public static String hmacHex(byte[] key, String label, String value) {
        return HexFormat.of().formatHex(hmac(key, (label + "\u0000" + value).getBytes(StandardCharsets.UTF_8)));
    }

    public static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}

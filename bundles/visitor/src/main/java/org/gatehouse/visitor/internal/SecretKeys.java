package org.gatehouse.visitor.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Set;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The visitor module's 32-byte secret key (a file under Karaf's {@code etc/}, created owner-only on first use):
 * keyed HMAC-SHA256 of pass codes and visitors' ID card numbers, so neither is ever stored in clear.
 */
public final class SecretKeys {
    /** Stored hashes are 64 lower-case hex digits (HMAC-SHA256): they fit the store's 64-character columns. */
    public static final java.util.regex.Pattern HASH = java.util.regex.Pattern.compile("[0-9a-f]{64}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] key;

    public SecretKeys(byte[] key) {
        if (key.length != 32) {
            throw new IllegalArgumentException("the visitor key must be 32 bytes, not " + key.length);
        }
        this.key = key.clone();
    }

    /** The key file named by config, else {@code ${karaf.etc}/gatehouse-visitor.key} (fallback {@code ./etc}). */
    public static Path keyFile(String configured) {
        if (configured != null && !configured.isBlank()) {
            return Paths.get(configured.trim());
        }
        return Paths.get(System.getProperty("karaf.etc", "etc"), "gatehouse-visitor.key");
    }

    /** Reads the key, or creates it (32 random bytes, rw------- where the file system supports it). */
    public static SecretKeys load(Path file) {
        try {
            if (!Files.exists(file)) {
                create(file);
            }
            byte[] bytes = Files.readAllBytes(file);
            return new SecretKeys(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the visitor key " + file, e);
        }
    }

    private static void create(Path file) throws IOException {
        if (file.toAbsolutePath().getParent() != null) {
            Files.createDirectories(file.toAbsolutePath().getParent());
        }
        byte[] bytes = random(32);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        boolean posix = file.toAbsolutePath().getParent().getFileSystem().supportedFileAttributeViews().contains("posix");
        if (posix) {
            Set<PosixFilePermission> owner = PosixFilePermissions.fromString("rw-------");
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(owner));
        } else {
            Files.createFile(tmp);
            tmp.toFile().setReadable(false, false);
            tmp.toFile().setReadable(true, true);
            tmp.toFile().setWritable(false, false);
            tmp.toFile().setWritable(true, true);
        }
        Files.write(tmp, bytes, StandardOpenOption.WRITE, StandardOpenOption.SYNC);
        try {
            Files.move(tmp, file); // no REPLACE_EXISTING: another starter's key wins
        } catch (FileAlreadyExistsException e) {
            Files.deleteIfExists(tmp);
        }
    }

    public static byte[] random(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    /** Keyed hash of a secret value, labelled so an ID card number and a PIN never share a reference. */
    public String hash(String label, String value) {
        byte[] h = mac(key, (label + "\u0000" + value).getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(h);
    }

    private static byte[] mac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    @Override
    public String toString() {
        return "SecretKeys[" + Arrays.hashCode(new byte[0]) + "]";
    }
}

package org.gatehouse.whitelist.internal.imports;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

import org.gatehouse.core.api.DurableFiles;
import org.gatehouse.whitelist.internal.WhitelistConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's import folder ({@link WhitelistConfig#importDir()}), owner-only: the photo zips of the jobs that may
 * still go on, each written so that it survives a crash once stored, and {@code node-id}, this node's name in the jobs
 * it holds.
 */
final class ImportFolder {
    private static final Logger LOG = LoggerFactory.getLogger(ImportFolder.class);
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private final Path dir;

    /** Opens the folder, creating it (owner-only) if it is not there. */
    ImportFolder(Path dir) throws IOException {
        this.dir = ownerOnlyDirectory(dir);
    }

    /** The configured folder; empty = {@code ${karaf.data}/gatehouse/imports}. */
    static Path configured(String importDir) {
        return importDir == null || importDir.isBlank()
                ? Paths.get(System.getProperty("karaf.data", "data"), "gatehouse", "imports")
                : Paths.get(importDir.trim());
    }

    /** A file of the folder. */
    Path resolve(String name) {
        return dir.resolve(name);
    }

    @Override
    public String toString() {
        return dir.toString();
    }

    /**
     * Deletes what no job may still need: half-written copies ({@code .tmp}) and the photo zips ({@code <job>.zip})
     * for which {@code needed} says no.
     */
    void tidy(Predicate<String> needed) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (name.endsWith(".tmp")) {
                    delete(file);
                } else if (name.endsWith(".zip") && !needed.test(name)) {
                    delete(file);
                }
            }
        } catch (IOException e) {
            LOG.warn("Could not tidy the import folder {}: {}", dir, e.toString());
        }
    }

    private static Path ownerOnlyDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            if (POSIX) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectories(dir);
            }
        }
        return dir.toAbsolutePath();
    }

    private static FileAttribute<?>[] ownerOnlyFile() {
        return POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rw-------"))} : new FileAttribute<?>[0];
    }

    /** This node's stable name: {@code node-id} in the import folder, created once (a random UUID). */
    String nodeId() throws IOException {
        Path file = dir.resolve("node-id");
        if (Files.isRegularFile(file)) {
            String id = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (!id.isEmpty()) {
                return id;
            }
        }
        String id = UUID.randomUUID().toString();
        Path tmp = dir.resolve("node-id.tmp");
        Files.deleteIfExists(tmp);
        write(tmp, id.getBytes(StandardCharsets.UTF_8));
        move(tmp, file);
        return id;
    }

    /**
     * Copies {@code source} to {@code target} so that it survives a crash once this returns: written to a temporary
     * file (owner-only), forced to disk, renamed, the folder forced. Returns the SHA-256 (hex) of what was written.
     */
    static String copyDurably(Path source, Path target) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        MessageDigest digest = sha256();
        try (InputStream in = Files.newInputStream(source);
             FileChannel out = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                     ownerOnlyFile())) {
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
                ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
                while (chunk.hasRemaining()) {
                    out.write(chunk);
                }
            }
            out.force(true);
        } catch (IOException | RuntimeException e) {
            delete(tmp);
            throw e;
        }
        move(tmp, target);
        return HexFormat.of().formatHex(digest.digest());
    }

    private static void write(Path file, byte[] bytes) throws IOException {
        try (FileChannel out = FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                ownerOnlyFile())) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
            out.force(true);
        }
    }

    private static void move(Path tmp, Path target) throws IOException {
        DurableFiles.moveInto(tmp, target); // the rename itself survives a crash
    }

    static String sha256(Path file) throws IOException {
        MessageDigest digest = sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Deletes a file if it is there (null: nothing); a failure is logged. */
    static void delete(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                LOG.warn("Could not delete {}", p);
            }
        }
    }
}

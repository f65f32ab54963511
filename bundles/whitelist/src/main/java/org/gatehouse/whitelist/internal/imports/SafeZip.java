package org.gatehouse.whitelist.internal.imports;

import static org.gatehouse.whitelist.internal.Messages.MESSAGES;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

import org.gatehouse.whitelist.internal.WhitelistConfig;
import org.gatehouse.core.api.Refusal;

/**
 * The photo zip of a bulk import, opened defensively: refused above a compressed size, above a number of
 * entries, with an entry name that is absolute or climbs out ({@code ..}); entries are read with a cap on
 * each and on the total actually inflated (declared sizes are not trusted), so a zip bomb ends in a clear
 * error, never in an OutOfMemoryError.
 */
public final class SafeZip implements Closeable {
    /** Limits, all in bytes except {@code maxEntries}. */
    public record Limits(long maxZipBytes, long maxEntryBytes, long maxTotalBytes, int maxEntries) {
        /** The configured limits ({@code importMaxZipBytes}, {@code importMaxEntryBytes}, …). */
        public static Limits of(WhitelistConfig config) {
            return new Limits(config.importMaxZipBytes(), config.importMaxEntryBytes(), config.importMaxTotalBytes(),
                    config.importMaxEntries());
        }
    }

    private final ZipFile zip;
    private final Limits limits;
    private final Map<String, ZipEntry> byName = new HashMap<>();
    private final Map<String, ZipEntry> byBaseName = new HashMap<>();
    private long inflated;

    private SafeZip(ZipFile zip, Limits limits) {
        this.zip = zip;
        this.limits = limits;
    }

    /** Opens and checks the whole zip; a {@link Refusal} (code ZIP_…) says what is wrong with it. */
    public static SafeZip open(Path file, Limits limits) throws IOException {
        if (Files.size(file) > limits.maxZipBytes()) {
            throw MESSAGES.refusal(413, "ZIP_TOO_LARGE", "zip.tooLarge", limits.maxZipBytes() / (1024 * 1024));
        }
        ZipFile zip;
        try {
            zip = new ZipFile(file.toFile());
        } catch (ZipException e) {
            throw MESSAGES.refusal(400, "ZIP_UNREADABLE", "zip.unreadable", String.valueOf(e.getMessage()));
        }
        SafeZip safe = new SafeZip(zip, limits);
        try {
            if (zip.size() > limits.maxEntries()) {
                throw MESSAGES.refusal(400, "ZIP_TOO_MANY_ENTRIES", "zip.tooManyEntries", limits.maxEntries());
            }
            long declared = 0;
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                if (!safeName(e.getName())) {
                    throw MESSAGES.refusal(400, "ZIP_PATH_TRAVERSAL", "zip.pathTraversal", e.getName());
                }
                if (e.isDirectory()) {
                    continue;
                }
                if (e.getSize() > 0) {
                    declared += e.getSize();
                }
                if (declared > limits.maxTotalBytes()) {
                    throw MESSAGES.refusal(400, "ZIP_TOO_LARGE_UNCOMPRESSED", "zip.totalTooLarge",
                            limits.maxTotalBytes() / (1024 * 1024));
                }
                safe.byName.put(e.getName(), e);
                String base = e.getName().substring(e.getName().lastIndexOf('/') + 1);
                safe.byBaseName.putIfAbsent(base, e);
            }
            return safe;
        } catch (RuntimeException e) {
            zip.close();
            throw e;
        }
    }

    /** No absolute names (/x, \x, C:x), no {@code ..} segment, no NUL. */
    static boolean safeName(String name) {
        if (name == null || name.isEmpty() || name.indexOf('\0') >= 0) {
            return false;
        }
        String n = name.replace('\\', '/');
        if (n.startsWith("/") || n.matches("^[A-Za-z]:.*")) {
            return false;
        }
        for (String segment : n.split("/")) {
            if (segment.equals("..")) {
                return false;
            }
        }
        return true;
    }

    /**
     * The bytes of a photo named in the CSV (exact path in the zip, or its file name if only one entry has it).
     * A {@link Refusal} if it is missing, larger than the entry limit, or the total inflated would pass its limit.
     */
    public synchronized byte[] read(String name) throws IOException {
        if (!safeName(name)) {
            throw MESSAGES.refusal(400, "ZIP_PATH_TRAVERSAL", "zip.pathTraversal", name);
        }
        ZipEntry e = byName.get(name);
        if (e == null) {
            e = byBaseName.get(name.substring(name.lastIndexOf('/') + 1));
        }
        if (e == null) {
            throw MESSAGES.refusal(400, "PHOTO_NOT_FOUND", "import.photoNotFound", name);
        }
        long cap = limits.maxEntryBytes();
        if (e.getSize() > cap) {
            throw MESSAGES.refusal(413, "ZIP_ENTRY_TOO_LARGE", "zip.entryTooLarge", name, cap / (1024 * 1024));
        }
        try (InputStream in = zip.getInputStream(e)) {
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, cap + 1));
            if (bytes.length > cap) {
                throw MESSAGES.refusal(413, "ZIP_ENTRY_TOO_LARGE", "zip.entryTooLarge", name, cap / (1024 * 1024));
            }
            if (inflated + bytes.length > limits.maxTotalBytes()) {
                throw MESSAGES.refusal(413, "ZIP_TOO_LARGE_UNCOMPRESSED", "zip.totalTooLarge",
                        limits.maxTotalBytes() / (1024 * 1024));
            }
            inflated += bytes.length;
            return bytes;
        } catch (ZipException ze) {
            throw MESSAGES.refusal(400, "ZIP_UNREADABLE", "zip.unreadable", String.valueOf(ze.getMessage()));
        }
    }

    @Override
    public void close() throws IOException {
        zip.close();
    }
}

package org.gatehouse.core.internal.passage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.gatehouse.api.model.PassageEvent;
import org.gatehouse.core.api.DurableFiles;
import org.gatehouse.core.internal.Json;

/**
 * Passages that could not reach the database, one JSON file each, written to a temporary name,
 * forced to disk and renamed, so a crash leaves either the whole passage or nothing. Files are
 * named by arrival order so that draining keeps the order of the gate.
 */
public final class PassageJournal {
    private static final String SUFFIX = ".passage.json";

    private final Path directory;
    private final java.util.concurrent.atomic.AtomicLong sequence = new java.util.concurrent.atomic.AtomicLong();

    public PassageJournal(Path directory) throws IOException {
        this.directory = Files.createDirectories(directory);
    }

    public Path directory() {
        return directory;
    }

    public synchronized void append(PassageEvent event) throws IOException {
        byte[] json = Json.mapper().writeValueAsBytes(event);
        String name = String.format("%013d-%09d-%s", System.currentTimeMillis(), sequence.incrementAndGet(),
                safe(event.id()));
        Path temporary = directory.resolve(name + ".tmp");
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(json);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        DurableFiles.moveInto(temporary, directory.resolve(name + SUFFIX)); // the name survives a power cut too
    }

    /** The journalled passages, oldest first. */
    public List<Path> entries() throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            List<Path> entries = new ArrayList<>(files.filter(p -> p.getFileName().toString().endsWith(SUFFIX)).toList());
            entries.sort(null);
            return entries;
        }
    }

    public int size() {
        try {
            return entries().size();
        } catch (IOException e) {
            return -1;
        }
    }

    public PassageEvent read(Path entry) throws IOException {
        return Json.mapper().readValue(Files.readString(entry, StandardCharsets.UTF_8), PassageEvent.class);
    }

    public void remove(Path entry) throws IOException {
        Files.deleteIfExists(entry);
    }

    /** Moves an entry that cannot be read aside, so it is kept for a person to look at but no longer retried. */
    public Path quarantine(Path entry) throws IOException {
        Path dir = Files.createDirectories(directory.resolve("unreadable"));
        return Files.move(entry, dir.resolve(entry.getFileName()), StandardCopyOption.REPLACE_EXISTING);
    }

    private static String safe(String id) {
        String cleaned = id.replaceAll("[^A-Za-z0-9._-]", "_");
        return cleaned.length() > 80 ? cleaned.substring(0, 80) : cleaned;
    }
}

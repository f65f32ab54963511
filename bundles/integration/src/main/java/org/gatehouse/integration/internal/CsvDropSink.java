package org.gatehouse.integration.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A daily file drop: {@code <directory>/<target>-<yyyy-MM-dd>.csv} (the day the event arrives, in the target's zone),
 * UTF-8 with a byte order mark (Excel opens it as UTF-8), a header row, one row per event, appended and synced to disk
 * before the event counts as taken. An event id already in the day's (or the day before's) file is not written again,
 * so a redelivery after a crash adds no row.
 */
public final class CsvDropSink implements FeedSink {
    static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    private final String target;
    private final Path directory;
    private final ZoneId zone;
    private final Clock clock;
    private final List<String> columns;
    /** The event ids of each day's file, read once from the file. */
    private final Map<LocalDate, Set<String>> written = new HashMap<>();

    public CsvDropSink(String target, Path directory, ZoneId zone, Clock clock, List<String> fields) {
        this.target = target;
        this.directory = directory;
        this.zone = zone;
        this.clock = clock;
        List<String> cols = new ArrayList<>(List.of("eventId", "stream", "communityId"));
        cols.addAll(fields.isEmpty() ? EventFields.DEFAULT_CSV_COLUMNS : fields);
        this.columns = List.copyOf(cols);
    }

    public List<String> columns() {
        return columns;
    }

    public Path file(LocalDate day) {
        return directory.resolve(target + "-" + day + ".csv");
    }

    @Override
    public synchronized void send(Outgoing event) throws IOException {
        LocalDate day = LocalDate.now(clock.withZone(zone));
        if (ids(day).contains(event.eventId()) || ids(day.minusDays(1)).contains(event.eventId())) {
            return; // already dropped (a redelivery): one row per event
        }
        Files.createDirectories(directory);
        Path file = file(day);
        StringBuilder text = new StringBuilder();
        boolean fresh = !Files.exists(file) || Files.size(file) == 0;
        if (fresh) {
            text.append(row(columns));
        }
        List<String> values = new ArrayList<>();
        values.add(event.eventId());
        values.add(event.feed());
        values.add(event.communityId());
        for (String c : columns.subList(3, columns.size())) {
            values.add(EventFields.text(event.payload(), c));
        }
        text.append(row(values));
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            if (fresh) {
                ch.write(ByteBuffer.wrap(BOM));
            }
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                ch.write(buffer);
            }
            ch.force(true);
        }
        ids(day).add(event.eventId());
    }

    private Set<String> ids(LocalDate day) throws IOException {
        Set<String> ids = written.get(day);
        if (ids == null) {
            ids = new HashSet<>();
            Path file = file(day);
            if (Files.exists(file)) {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                for (int i = 1; i < lines.size(); i++) { // the first is the header
                    ids.add(firstCell(lines.get(i)));
                }
            }
            written.keySet().removeIf(d -> d.isBefore(day.minusDays(2)));
            written.put(day, ids);
        }
        return ids;
    }

    /** The first cell of a row (the event id), unquoted. */
    static String firstCell(String line) {
        if (line.startsWith("\"")) {
            StringBuilder cell = new StringBuilder();
            for (int i = 1; i < line.length(); i++) {
                char c = line.charAt(i);
                if (c == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        cell.append('"');
                        i++;
                    } else {
                        break;
                    }
                } else {
                    cell.append(c);
                }
            }
            return cell.toString();
        }
        int comma = line.indexOf(',');
        return comma < 0 ? line : line.substring(0, comma);
    }

    /** One CSV row (RFC 4180, CRLF); a text Excel would run as a formula gets a leading apostrophe. */
    static String row(List<String> values) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(cell(values.get(i)));
        }
        return out.append("\r\n").toString();
    }

    static String cell(String value) {
        String v = value == null ? "" : value.replace("\r\n", " ").replace('\n', ' ').replace('\r', ' ');
        if (!v.isEmpty() && "=+@\t".indexOf(v.charAt(0)) >= 0) {
            v = "'" + v;
        }
        if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0) {
            return '"' + v.replace("\"", "\"\"") + '"';
        }
        return v;
    }

    @Override
    public String describe() {
        return "csv:" + directory.toAbsolutePath().normalize().resolve(target + "-<day>.csv");
    }
}

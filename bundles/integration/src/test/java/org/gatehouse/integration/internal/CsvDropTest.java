package org.gatehouse.integration.internal;

import static org.gatehouse.integration.internal.FeedHarness.config;
import static org.gatehouse.integration.internal.FeedHarness.populationChange;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daily CSV drop: BOM, header, documented columns, no row twice after a redelivery, a new file each day. */
class CsvDropTest {
    static final String CONSUMER = "population-changes/gatehouse-integration-registry-population-changes";
    @TempDir
    Path dir;
    // 2026-12-01 23:59:30 in Shanghai
    final FeedHarness.MovableClock clock = new FeedHarness.MovableClock(Instant.parse("2026-12-01T15:59:30Z"));

    private IntegrationTarget target(String... fields) {
        return new IntegrationTarget(new TargetBoard(), config("name", "registry", "kind", "csv", "directory",
                dir.toString(), "streams", "population-changes", "fields", (Object) fields), clock);
    }

    @Test
    void rowsWithBomHeaderAndColumnsOncePerEventAndADayPerFile() throws Exception {
        try (FeedHarness h = new FeedHarness().routes(target("type", "person.name", "flat.number", "detail"))) {
            assertTrue(h.deliver(CONSUMER, "population-changes", "e1", "c1",
                    populationChange("e1", "c1", "MOVE_IN", "王建国, Wang")).ok());
            assertTrue(h.deliver(CONSUMER, "population-changes", "e1", "c1",
                    populationChange("e1", "c1", "MOVE_IN", "王建国, Wang")).ok(), "a redelivery is taken");
            clock.now = Instant.parse("2026-12-01T16:00:10Z"); // 00:00:10 on 2 December in Shanghai
            assertTrue(h.deliver(CONSUMER, "population-changes", "e2", "c1",
                    populationChange("e2", "c1", "MOVE_OUT", "=cmd")).ok());
            assertTrue(h.deliver(CONSUMER, "population-changes", "e1", "c1",
                    populationChange("e1", "c1", "MOVE_IN", "王建国, Wang")).ok(),
                    "redelivered after midnight: still not written again");
        }
        byte[] first = Files.readAllBytes(dir.resolve("registry-2026-12-01.csv"));
        assertArrayEquals(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, Arrays.copyOf(first, 3), "UTF-8 BOM");
        String text = new String(first, 3, first.length - 3, StandardCharsets.UTF_8);
        assertEquals("eventId,stream,communityId,type,person.name,flat.number,detail\r\n"
                + "e1,population-changes,c1,MOVE_IN,\"王建国, Wang\",1203,role TENANT\r\n", text);
        String second = new String(Files.readAllBytes(dir.resolve("registry-2026-12-02.csv")), StandardCharsets.UTF_8);
        assertEquals("\uFEFFeventId,stream,communityId,type,person.name,flat.number,detail\r\n"
                + "e2,population-changes,c1,MOVE_OUT,'=cmd,1203,role TENANT\r\n", second,
                "a new file with its own BOM and header; a formula is defused");
    }

    @Test
    void afterACrashTheFileItselfSaysWhatWasWritten() throws Exception {
        try (FeedHarness h = new FeedHarness().routes(target())) {
            assertTrue(h.deliver(CONSUMER, "population-changes", "e\"1", "c1",
                    populationChange("e1", "c1", "MOVE_IN", "Li")).ok());
        }
        // restarted: a new target reads the day's file, and the event whose position was not stored comes again
        try (FeedHarness h = new FeedHarness().routes(target())) {
            assertTrue(h.deliver(CONSUMER, "population-changes", "e\"1", "c1",
                    populationChange("e1", "c1", "MOVE_IN", "Li")).ok());
        }
        List<String> lines = Files.readAllLines(dir.resolve("registry-2026-12-01.csv"), StandardCharsets.UTF_8);
        assertEquals(2, lines.size(), String.join("\n", lines));
        assertEquals("\uFEFFeventId,stream,communityId," + String.join(",", EventFields.DEFAULT_CSV_COLUMNS),
                lines.get(0), "the default columns, as the README lists them");
        assertTrue(lines.get(1).startsWith("\"e\"\"1\",population-changes,c1,MOVE_IN,2026-12-01T02:00:00Z,,,,,r-e1,h1,u1,Li,TENANT,B3,1203,role TENANT,"),
                lines.get(1));
    }
}

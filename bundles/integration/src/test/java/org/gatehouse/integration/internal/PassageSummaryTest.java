package org.gatehouse.integration.internal;

import static org.gatehouse.integration.internal.FeedHarness.config;
import static org.gatehouse.integration.internal.FeedHarness.passage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hourly passage counts per community, door and verdict: each passage once, sent after the hour, late ones as a revision. */
class PassageSummaryTest {
    static final String CONSUMER = "passages/gatehouse-integration-stats-passages-summary";
    @TempDir
    Path dir;
    final FeedHarness.MovableClock clock = new FeedHarness.MovableClock(Instant.parse("2026-12-01T02:10:00Z"));

    private IntegrationTarget stats() {
        System.setProperty("karaf.data", dir.resolve("data").toString());
        return new IntegrationTarget(new TargetBoard(), config("name", "stats", "kind", "csv", "directory",
                dir.resolve("drop").toString(), "streams", "passages-summary", "communities", "c1",
                "zone", "Asia/Shanghai", "fields", new String[] {"periodStart", "periodEnd", "deviceId", "verdict",
                        "count", "revision"}), clock);
    }

    private static List<String> rows(Path file) throws Exception {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        return lines.subList(1, lines.size());
    }

    @Test
    void countsPerHourDoorAndVerdictSentAfterTheHour() throws Exception {
        IntegrationTarget stats = stats();
        try (FeedHarness h = new FeedHarness().routes(stats)) {
            String[][] passages = {
                {"p1", "c1", "east", "2026-12-01T01:05:00Z", "ALLOW"},
                {"p2", "c1", "east", "2026-12-01T01:59:59Z", "ALLOW"},
                {"p3", "c1", "east", "2026-12-01T01:30:00Z", "DENY"},
                {"p4", "c1", "west", "2026-12-01T02:01:00Z", "ALLOW"}, // the next hour
                {"p5", "c2", "east", "2026-12-01T01:10:00Z", "ALLOW"}, // a community not fed
                {"p1", "c1", "east", "2026-12-01T01:05:00Z", "ALLOW"}, // redelivered
            };
            for (String[] p : passages) {
                assertTrue(h.deliver(CONSUMER, "passages", p[0], p[1], passage(p[0], p[1], p[2], p[3], p[4])).ok());
            }
            assertEquals(2, stats.summary().sendDue(null), "01:00-02:00 UTC ended 10 minutes ago");
            // a late passage of that hour, and the hour 02:00-03:00 once it is over
            assertTrue(h.deliver(CONSUMER, "passages", "p6", "c1", passage("p6", "c1", "east", "2026-12-01T01:40:00Z",
                    "ALLOW")).ok());
            clock.now = Instant.parse("2026-12-01T03:04:00Z");
            assertEquals(1, stats.summary().sendDue(null), "the late one; 02:00-03:00 waits for its grace");
            clock.now = Instant.parse("2026-12-01T03:05:00Z");
            assertEquals(1, stats.summary().sendDue(null));
        }
        assertEquals(List.of(
                "passages-summary:c1:2026-12-01T01:00:00Z:east:ALLOW,passages-summary,c1,2026-12-01T01:00:00Z,2026-12-01T02:00:00Z,east,ALLOW,2,0",
                "passages-summary:c1:2026-12-01T01:00:00Z:east:DENY,passages-summary,c1,2026-12-01T01:00:00Z,2026-12-01T02:00:00Z,east,DENY,1,0",
                "passages-summary:c1:2026-12-01T01:00:00Z:east:ALLOW:r1,passages-summary,c1,2026-12-01T01:00:00Z,2026-12-01T02:00:00Z,east,ALLOW,1,1",
                "passages-summary:c1:2026-12-01T02:00:00Z:west:ALLOW,passages-summary,c1,2026-12-01T02:00:00Z,2026-12-01T03:00:00Z,west,ALLOW,1,0"),
                rows(dir.resolve("drop/stats-2026-12-01.csv")));
    }

    @Test
    void countsNotSentYetSurviveARestart() throws Exception {
        try (FeedHarness h = new FeedHarness().routes(stats())) {
            assertTrue(h.deliver(CONSUMER, "passages", "p1", "c1", passage("p1", "c1", "east", "2026-12-01T02:05:00Z",
                    "ALLOW")).ok());
        }
        IntegrationTarget again = stats();
        assertEquals(1, again.summary().pending().size());
        try (FeedHarness h = new FeedHarness().routes(again)) {
            assertTrue(h.deliver(CONSUMER, "passages", "p1", "c1", passage("p1", "c1", "east", "2026-12-01T02:05:00Z",
                    "ALLOW")).ok(), "redelivered after the restart: not counted twice");
        }
        clock.now = Instant.parse("2026-12-01T04:00:00Z");
        assertEquals(1, again.summary().sendDue(null));
        assertTrue(rows(dir.resolve("drop/stats-2026-12-01.csv")).get(0).contains(",east,ALLOW,1,0"));
    }
}

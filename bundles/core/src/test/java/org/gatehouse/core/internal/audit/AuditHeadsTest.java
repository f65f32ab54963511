package org.gatehouse.core.internal.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.gatehouse.api.service.AuditLog;
import org.gatehouse.api.service.Scope;
import org.gatehouse.api.service.StoreHealth;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit heads file: what is exported, and which exported heads verification is given. */
class AuditHeadsTest {
    private static final String DB = "jdbc:h2:file:/srv/gatehouse/data/gatehouse/gatehouse;MODE=PostgreSQL";

    @TempDir
    Path dir;

    /** An audit log whose head the test sets; it records the heads verify(...) was given and answers intact. */
    static final class Log implements AuditLog {
        volatile Head head = new Head(0, "0".repeat(64));
        final List<List<ExportedHead>> verified = new ArrayList<>();

        @Override
        public AuditEntry append(String actor, String action, String communityId, String subjectId, String detail) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<AuditEntry> entries(Scope scope, String communityId, Instant from, Instant to, int limit) {
            return List.of();
        }

        @Override
        public List<AuditEntry> entriesAbout(Scope scope, String subjectId, long afterSequence, int limit) {
            return List.of();
        }

        @Override
        public Verification verify() {
            return verify(List.of());
        }

        @Override
        public Head head() {
            return head;
        }

        @Override
        public Verification verify(List<ExportedHead> exported) {
            verified.add(exported);
            return new Verification(true, head.sequence(), -1, "", exported.size());
        }
    }

    static StoreHealth store(String url) {
        return () -> new StoreHealth.Status(true, "H2 2.3.232", url, 7, 1, "");
    }

    private static Clock at(String instant) {
        return Clock.fixed(Instant.parse(instant), ZoneOffset.UTC);
    }

    @Test
    void theHeadIsAppendedOnceEachTimeItMovesAndVerificationGetsEveryHeadOfThisDatabase() throws Exception {
        Log log = new Log();
        Path file = dir.resolve("remote").resolve("audit-heads.log");
        Files.createDirectories(file.getParent());
        AuditHeads heads = new AuditHeads(log, store(DB), file.toString(), 60, at("2026-06-01T10:00:00Z"));
        assertEquals(Optional.empty(), heads.export(), "an empty log has no head to export");
        assertFalse(Files.exists(file));

        log.head = new AuditLog.Head(41, "a".repeat(64));
        assertEquals(Optional.of(log.head), heads.export());
        assertEquals(Optional.empty(), heads.export(), "unchanged: not written again");
        log.head = new AuditLog.Head(57, "b".repeat(64));
        heads.export();
        List<String> lines = Files.readAllLines(file);
        assertEquals(AuditHeads.HEADER, lines.get(0));
        assertEquals(List.of("2026-06-01T10:00:00Z\t41\t" + "a".repeat(64) + "\t" + DB,
                "2026-06-01T10:00:00Z\t57\t" + "b".repeat(64) + "\t" + DB), lines.subList(1, 3));
        // a new start reads the last head of this database from the file: not written again
        assertEquals(Optional.empty(), new AuditHeads(log, store(DB), file.toString(), 60, Clock.systemUTC()).export());

        // heads of another database (the store was switched) and a torn line are not checked against this one
        Files.writeString(file, "2026-05-01T00:00:00Z\t900\t" + "c".repeat(64) + "\tjdbc:postgresql://db/old\n"
                + "2026-06-01T11:00:00Z\t5", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        AuditHeads.Result result = heads.verify();
        assertTrue(result.verification().intact());
        assertEquals(2, result.heads());
        assertEquals(1, result.otherDatabases());
        assertEquals(1, result.unreadableLines());
        assertEquals(List.of(new AuditLog.ExportedHead(41, "a".repeat(64), Instant.parse("2026-06-01T10:00:00Z")),
                new AuditLog.ExportedHead(57, "b".repeat(64), Instant.parse("2026-06-01T10:00:00Z"))),
                log.verified.get(log.verified.size() - 1));
    }

    @Test
    void nothingExportedYetVerifiesTheChainAloneAndAMissingFolderIsNeverCreated() {
        Log log = new Log();
        log.head = new AuditLog.Head(3, "d".repeat(64));
        Path unmounted = dir.resolve("mnt").resolve("audit").resolve("audit-heads.log");
        AuditHeads heads = new AuditHeads(log, store(DB), unmounted.toString(), 60, Clock.systemUTC());
        AuditHeads.Result result = heads.verify();
        assertEquals(0, result.heads());
        assertEquals(List.of(List.of()), log.verified);
        IllegalStateException e = assertThrows(IllegalStateException.class, heads::export);
        assertTrue(e.getMessage().contains("not mounted"), e.getMessage());
        assertFalse(Files.exists(unmounted.getParent()));
    }

    @Test
    void anUnreadableHeadsFileIsNotAnIntactAnswer() throws Exception {
        Log log = new Log();
        Path folderInstead = dir.resolve("heads");
        Files.createDirectories(folderInstead); // reading it fails with an IOException other than "no such file"
        AuditHeads.Result result = new AuditHeads(log, store(DB), folderInstead.toString(), 60, Clock.systemUTC())
                .verify();
        assertFalse(result.verification().intact());
        assertTrue(result.verification().problem().contains("cannot be read"), result.verification().problem());
    }

    @Test
    void theDefaultFileIsUnderKarafDataAndTheTimerRunsAtStartThenHourly() throws Exception {
        String old = System.getProperty("karaf.data");
        try {
            System.setProperty("karaf.data", dir.toString());
            assertEquals(dir.resolve("gatehouse").resolve("audit-heads.log"), AuditHeads.resolve(""));
            assertEquals(dir.resolve("x.log"), AuditHeads.resolve("${karaf.data}/x.log"));
            Log log = new Log();
            log.head = new AuditLog.Head(1, "e".repeat(64));
            AuditHeads heads = new AuditHeads(log, store(DB), "", 60, Clock.systemUTC());
            heads.export(); // the default folder is created
            assertTrue(Files.exists(dir.resolve("gatehouse").resolve("audit-heads.log")));
        } finally {
            if (old == null) {
                System.clearProperty("karaf.data");
            } else {
                System.setProperty("karaf.data", old);
            }
        }
        for (long minutes : new long[] {60, 0}) {
            CamelContext context = new DefaultCamelContext();
            try {
                context.start();
                context.addRoutes(new AuditHeads(new Log(), store(DB), dir.resolve("h.log").toString(), minutes,
                        Clock.systemUTC()));
                String uri = context.getRoute(AuditHeads.ROUTE_ID).getEndpoint().getEndpointUri();
                assertTrue(uri.contains("delay=10000"), uri);
                assertTrue(uri.contains(minutes > 0 ? "period=3600000" : "repeatCount=1"), uri);
            } finally {
                context.stop();
            }
        }
    }
}

package org.gatehouse.store.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.gatehouse.api.service.AuditLog;
import org.gatehouse.api.service.Scope;
import org.gatehouse.store.internal.CayenneStore;
import org.gatehouse.store.internal.StoreSettings;
import org.gatehouse.store.internal.repo.AuditLogImpl;
import org.gatehouse.store.internal.repo.KeyChecksImpl;
import org.gatehouse.store.internal.repo.PassageRepositoryImpl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acknowledged means durable, on the embedded default: a separate JVM records passages and audit entries
 * through the store and is killed with SIGKILL (kill -9) in the middle; every passage and audit entry it was
 * told "stored" must be in the database afterwards, and the audit chain must verify. With H2's write delay
 * (commits held in memory for up to 500 ms) this lost the last ~0.45 s of acknowledged commits; every write
 * now waits for a group sync to the device ({@code GroupSync}).
 */
class CrashDurabilityTest {
    static final String OPTIONS = ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;AUTO_SERVER=FALSE";

    @Test
    void everyAcknowledgedPassageAndAuditEntrySurvivesKillDashNine(@TempDir Path dir) throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("gatehouse") + OPTIONS;
        Set<String> passages = new HashSet<>();
        Set<Long> audits = new HashSet<>();
        for (int round = 0; round < 3; round++) {
            // its answers go to a file: what it printed before the signal is there even though it died mid-line
            Path acks = dir.resolve("acks-" + round + ".txt");
            Process writer = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), CrashWriter.class.getName(), url, "4",
                    dir.resolve("audit.key").toString())
                    .redirectOutput(acks.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            int before = passages.size();
            long deadline = System.currentTimeMillis() + 60_000;
            // kill it in full flow: after a few hundred acknowledgements of this round
            while (lines(acks) < 2 * (300 + 200 * round) && System.currentTimeMillis() < deadline && writer.isAlive()) {
                Thread.sleep(20);
            }
            writer.destroyForcibly(); // SIGKILL
            assertTrue(writer.waitFor(30, TimeUnit.SECONDS));
            assertEquals(137, writer.exitValue(), "killed by SIGKILL");
            String written = Files.readString(acks, StandardCharsets.UTF_8);
            int complete = written.lastIndexOf('\n');
            for (String line : written.substring(0, complete + 1).split("\n")) {
                record(line, passages, audits);
            }
            assertTrue(passages.size() > before, "round " + round + " acknowledged nothing");
        }

        CayenneStore store = new CayenneStore(new StoreSettings(url, "sa", "", 2));
        try {
            PassageRepositoryImpl repository = new PassageRepositoryImpl(store);
            long missing = passages.stream().filter(id -> repository.passage(Scope.all(), id).isEmpty()).count();
            AuditLogImpl audit = new AuditLogImpl(store, new KeyChecksImpl(store), dir.resolve("audit.key"));
            AuditLog.Verification verification = audit.verify();
            Set<Long> stored = new HashSet<>();
            try (var connection = store.dataSource().getConnection();
                 var rs = connection.createStatement().executeQuery("select sequence from audit_log")) {
                while (rs.next()) {
                    stored.add(rs.getLong(1));
                }
            }
            long auditsMissing = audits.stream().filter(sequence -> !stored.contains(sequence)).count();
            System.out.printf("CrashDurabilityTest: 3 kills, %d passages and %d audit entries acknowledged,"
                            + " %d passages and %d audit entries missing, audit chain %s over %d entries%n",
                    passages.size(), audits.size(), missing, auditsMissing, verification.intact() ? "intact" : "BROKEN",
                    verification.entries());
            assertEquals(0, missing, "acknowledged passages lost");
            assertTrue(verification.intact(), verification.toString());
            assertEquals(0, auditsMissing, "acknowledged audit entries lost");
        } finally {
            store.close();
        }
        assertTrue(Files.exists(dir.resolve("gatehouse.mv.db")));
    }

    private static long lines(Path file) throws java.io.IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        try (var stream = Files.lines(file, StandardCharsets.ISO_8859_1)) {
            return stream.count();
        }
    }

    private static void record(String line, Set<String> passages, Set<Long> audits) {
        if (line.startsWith("P ")) {
            passages.add(line.substring(2));
        } else if (line.startsWith("A ")) {
            audits.add(Long.parseLong(line.substring(2)));
        }
    }
}

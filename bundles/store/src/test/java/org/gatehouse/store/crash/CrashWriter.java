package org.gatehouse.store.crash;

import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.gatehouse.api.model.AccessDecision;
import org.gatehouse.api.model.CredentialKind;
import org.gatehouse.api.model.DecisionReason;
import org.gatehouse.api.model.Direction;
import org.gatehouse.api.model.PassageEvent;
import org.gatehouse.api.model.SubjectType;
import org.gatehouse.api.model.Verdict;
import org.gatehouse.store.internal.CayenneStore;
import org.gatehouse.store.internal.StoreSettings;
import org.gatehouse.store.internal.repo.AuditLogImpl;
import org.gatehouse.store.internal.repo.CommunityRepositoryImpl;
import org.gatehouse.store.internal.repo.KeyChecksImpl;
import org.gatehouse.store.internal.repo.PassageRepositoryImpl;

/**
 * The process {@link CrashDurabilityTest} kills: records passages and audit entries through the real store
 * from several threads, printing each id on standard output once the store has returned (the moment the
 * API answers "stored"). {@code java CrashWriter JDBC_URL THREADS AUDIT_KEY_FILE}; runs until killed.
 */
public final class CrashWriter {
    private CrashWriter() {
    }

    public static void main(String[] args) throws Exception {
        CayenneStore store = new CayenneStore(new StoreSettings(args[0], "sa", "", 8));
        String community = new CommunityRepositoryImpl(store).createCommunity("CRASH-" + System.nanoTime() % 1_000_000,
                "Crash", null).id();
        PassageRepositoryImpl passages = new PassageRepositoryImpl(store);
        AuditLogImpl audit = new AuditLogImpl(store, new KeyChecksImpl(store), java.nio.file.Path.of(args[2]));
        PrintStream out = new PrintStream(System.out, false);
        int threads = Integer.parseInt(args[1]);
        AtomicInteger n = new AtomicInteger();
        for (int t = 0; t < threads; t++) {
            Thread thread = new Thread(() -> {
                while (true) {
                    String id = UUID.randomUUID().toString();
                    passages.record(new PassageEvent(id, community, "dev-1", Instant.now(), Direction.IN,
                            SubjectType.RESIDENT, "r-" + n.incrementAndGet(), CredentialKind.CARD,
                            new AccessDecision(Verdict.ALLOW, List.of(new DecisionReason("WHITELISTED", "card")),
                                    Map.of())));
                    long sequence = audit.append("crash-writer", "passage.recorded", community, id, "").sequence();
                    synchronized (out) {
                        out.println("P " + id);
                        out.println("A " + sequence);
                        out.flush();
                    }
                }
            });
            thread.setDaemon(false);
            thread.start();
        }
    }
}

package org.gatehouse.core.internal.passage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.gatehouse.api.model.AccessDecision;
import org.gatehouse.api.model.CredentialKind;
import org.gatehouse.api.model.DecisionReason;
import org.gatehouse.api.model.Direction;
import org.gatehouse.api.model.PassageEvent;
import org.gatehouse.api.model.SubjectType;
import org.gatehouse.api.model.Verdict;
import org.gatehouse.api.service.PassageRecorder.Outcome;
import org.gatehouse.api.service.PassageRepository;
import org.gatehouse.api.service.Scope;
import org.gatehouse.api.service.StoreUnavailableException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournallingPassageRecorderTest {
    @TempDir
    Path dir;

    /** Keeps passages in memory; "down" behaves like a database that cannot be reached. */
    static class MemoryPassages implements PassageRepository {
        final Map<String, PassageEvent> stored = new LinkedHashMap<>();
        /** Calls of recordAll: one transaction each in the store. */
        final java.util.concurrent.atomic.AtomicInteger transactions = new java.util.concurrent.atomic.AtomicInteger();
        volatile boolean down;

        @Override
        public synchronized List<Boolean> recordAll(List<PassageEvent> events) {
            if (down) {
                throw new StoreUnavailableException("down (test)", null);
            }
            transactions.incrementAndGet();
            return events.stream().map(this::record).toList();
        }

        @Override
        public synchronized boolean record(PassageEvent event) {
            if (down) {
                throw new StoreUnavailableException("down (test)", null);
            }
            return stored.putIfAbsent(event.id(), event) == null;
        }

        @Override
        public List<PassageEvent> passages(Scope scope, String communityId, Instant from, Instant to, int limit) {
            return new ArrayList<>(stored.values());
        }

        @Override
        public Optional<PassageEvent> passage(Scope scope, String id) {
            return Optional.ofNullable(stored.get(id));
        }

        @Override
        public long count(Scope scope) {
            return stored.size();
        }
    }

    static PassageEvent passage(String id) {
        return new PassageEvent(id, "c1", "d1", Instant.parse("2026-11-23T08:00:00Z"), Direction.IN,
                SubjectType.RESIDENT, "r1", CredentialKind.FACE, new AccessDecision(Verdict.ALLOW,
                List.of(new DecisionReason("RESIDENT_MATCHED", "score 0.71")), Map.of("face", 0.71)));
    }

    @Test
    void storesWhileTheDatabaseIsUpAndRecognisesDuplicates() throws Exception {
        MemoryPassages repo = new MemoryPassages();
        JournallingPassageRecorder recorder = new JournallingPassageRecorder(repo, dir, 1000);
        assertEquals(Outcome.STORED, recorder.record(passage("p1")));
        assertEquals(Outcome.DUPLICATE, recorder.record(passage("p1")));
        assertEquals(0, recorder.journalled());
    }

    @Test
    void databaseDownJournalsAndDrainLosesNothingInOrder() throws Exception {
        MemoryPassages repo = new MemoryPassages();
        JournallingPassageRecorder recorder = new JournallingPassageRecorder(repo, dir, 1000);
        repo.down = true;
        for (int i = 0; i < 5; i++) {
            assertEquals(Outcome.JOURNALLED, recorder.record(passage("p" + i)));
        }
        assertEquals(5, recorder.journalled());
        assertEquals(0, recorder.drain(), "still down: nothing drained, nothing lost");
        assertEquals(5, recorder.journalled());

        // a restart in between: a new recorder over the same folder finds the journal
        JournallingPassageRecorder restarted = new JournallingPassageRecorder(repo, dir, 1000);
        repo.down = false;
        assertEquals(5, restarted.drain());
        assertEquals(0, restarted.journalled());
        assertEquals(List.of("p0", "p1", "p2", "p3", "p4"), new ArrayList<>(repo.stored.keySet()));
        assertEquals(passage("p3"), repo.stored.get("p3"), "the passage survives the journal unchanged");
    }

    @Test
    void concurrentReportsAreGroupedIntoFewCommitsAndEachCallerGetsItsOwnAnswer() throws Exception {
        java.util.concurrent.atomic.AtomicInteger commits = new java.util.concurrent.atomic.AtomicInteger();
        MemoryPassages repo = new MemoryPassages() {
            @Override
            public synchronized List<Boolean> recordAll(List<PassageEvent> events) {
                commits.incrementAndGet();
                try {
                    Thread.sleep(5); // a disk write per commit
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return events.stream().map(this::record).toList();
            }
        };
        JournallingPassageRecorder recorder = new JournallingPassageRecorder(repo, dir, 1000);
        recorder.record(passage("seen-before"));
        int threads = 8;
        int each = 50;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        List<java.util.concurrent.Future<List<Outcome>>> results = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            results.add(pool.submit(() -> {
                List<Outcome> outcomes = new ArrayList<>();
                for (int i = 0; i < each; i++) {
                    outcomes.add(recorder.record(passage("t" + thread + "-" + i)));
                }
                outcomes.add(recorder.record(passage("seen-before")));
                return outcomes;
            }));
        }
        for (var result : results) {
            List<Outcome> outcomes = result.get();
            assertEquals(each + 1, outcomes.size());
            assertTrue(outcomes.subList(0, each).stream().allMatch(o -> o == Outcome.STORED), outcomes.toString());
            assertEquals(Outcome.DUPLICATE, outcomes.get(each));
        }
        pool.shutdown();
        assertEquals(threads * each + 1, repo.stored.size());
        assertTrue(commits.get() < threads * each / 2, "grouped: " + commits.get() + " commits for "
                + (threads * each + threads + 1) + " reports");
        recorder.close();
    }

    @Test
    void aBadPassageInARoundFailsOnlyItsOwnCaller() throws Exception {
        MemoryPassages repo = new MemoryPassages() {
            @Override
            public synchronized boolean record(PassageEvent event) {
                if (event.id().startsWith("bad")) {
                    throw new IllegalArgumentException("bad passage");
                }
                return super.record(event);
            }

            @Override
            public synchronized List<Boolean> recordAll(List<PassageEvent> events) {
                if (events.stream().anyMatch(e -> e.id().startsWith("bad"))) {
                    throw new IllegalArgumentException("bad passage in the batch");
                }
                return events.stream().map(this::record).toList();
            }
        };
        JournallingPassageRecorder recorder = new JournallingPassageRecorder(repo, dir, 1000);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        List<java.util.concurrent.Future<Outcome>> good = new ArrayList<>();
        List<java.util.concurrent.Future<Outcome>> bad = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            int n = i;
            (i % 10 == 0 ? bad : good).add(pool.submit(() -> recorder.record(passage((n % 10 == 0 ? "bad" : "ok") + n))));
        }
        for (var f : good) {
            assertEquals(Outcome.STORED, f.get());
        }
        for (var f : bad) {
            java.util.concurrent.ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(
                    java.util.concurrent.ExecutionException.class, f::get);
            assertTrue(e.getCause() instanceof IllegalArgumentException, e.toString());
        }
        pool.shutdown();
        recorder.close();
    }

    /** An outage of a busy gate leaves thousands of entries: they go back in batches, one transaction each, in order. */
    @Test
    void aLongJournalIsDrainedInBatchesOldestFirst() throws Exception {
        MemoryPassages repo = new MemoryPassages();
        JournallingPassageRecorder recorder = new JournallingPassageRecorder(repo, dir, 1000);
        repo.down = true;
        int n = 2 * JournallingPassageRecorder.MAX_BATCH + 10;
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add("p" + i);
            recorder.record(passage("p" + i));
        }
        repo.transactions.set(0);
        repo.down = false;
        assertEquals(n, recorder.drain());
        assertEquals(3, repo.transactions.get(), "one transaction per batch of " + JournallingPassageRecorder.MAX_BATCH);
        assertEquals(ids, new ArrayList<>(repo.stored.keySet()), "in the order they were journalled");
        assertEquals(0, recorder.journalled());
    }

    @Test
    void anUnreadableEntryIsMovedAsideAndDoesNotBlockTheOthers() throws Exception {
        MemoryPassages repo = new MemoryPassages();
        JournallingPassageRecorder recorder = new JournallingPassageRecorder(repo, dir, 1000);
        repo.down = true;
        recorder.record(passage("good"));
        Files.writeString(dir.resolve("0000000000000-000000000-broken.passage.json"), "{not json");
        repo.down = false;
        assertEquals(1, recorder.drain());
        assertTrue(repo.stored.containsKey("good"));
        assertTrue(Files.exists(dir.resolve("unreadable/0000000000000-000000000-broken.passage.json")));
        assertEquals(0, recorder.journalled());
    }
}

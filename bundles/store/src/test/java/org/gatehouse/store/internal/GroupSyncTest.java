package org.gatehouse.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.gatehouse.api.service.StoreUnavailableException;
import org.junit.jupiter.api.Test;

class GroupSyncTest {
    @Test
    void everyWaiterIsCoveredByASyncThatBeganAfterItAndConcurrentWritersShareSyncs() throws Exception {
        AtomicLong committed = new AtomicLong();
        AtomicLong durable = new AtomicLong();
        AtomicInteger syncs = new AtomicInteger();
        try (GroupSync sync = new GroupSync(() -> {
            long upTo = committed.get();
            syncs.incrementAndGet();
            sleep(3); // a device flush
            durable.accumulateAndGet(upTo, Math::max);
        }, "test-sync")) {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<?>> writers = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                writers.add(pool.submit(() -> {
                    for (int i = 0; i < 100; i++) {
                        long mine = committed.incrementAndGet(); // the commit
                        sync.await();
                        assertTrue(durable.get() >= mine, "answered before its commit was synced");
                    }
                    return null;
                }));
            }
            for (Future<?> w : writers) {
                w.get();
            }
            pool.shutdown();
            assertTrue(syncs.get() < 800 / 2, "grouped: " + syncs.get() + " syncs for 800 writes");
        }
    }

    @Test
    void aFailedSyncFailsItsWaitersAndTheNextRoundWorks() {
        AtomicInteger round = new AtomicInteger();
        try (GroupSync sync = new GroupSync(() -> {
            if (round.incrementAndGet() == 1) {
                throw new IllegalStateException("disk full");
            }
        }, "test-sync")) {
            StoreUnavailableException e = assertThrows(StoreUnavailableException.class, sync::await);
            assertTrue(e.getMessage().contains("disk full"), e.getMessage());
            sync.await();
            assertEquals(2, round.get());
        }
    }

    @Test
    void closingReleasesWaiters() {
        GroupSync sync = new GroupSync(() -> sleep(10_000), "test-sync");
        Thread closer = new Thread(() -> {
            sleep(100);
            sync.close();
        });
        closer.start();
        assertThrows(StoreUnavailableException.class, sync::await);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

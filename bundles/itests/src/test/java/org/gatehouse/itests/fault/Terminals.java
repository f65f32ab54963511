package org.gatehouse.itests.fault;

import java.io.IOException;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Gate terminals posting passages from this JVM, as fast as the server answers, until stopped (or
 * {@value #MAX} passages): which ids were answered 201 STORED or 202 JOURNALLED (acknowledged), and how
 * many were refused or cut off by the server going away.
 */
final class Terminals {
    static final int MAX = 50_000;

    final ConcurrentLinkedQueue<String> acknowledged = new ConcurrentLinkedQueue<>();
    final AtomicInteger stored = new AtomicInteger();
    final AtomicInteger journalled = new AtomicInteger();
    final AtomicInteger refused = new AtomicInteger();
    /** Answers other than 201/202, by status (0: the connection was cut). */
    final java.util.Map<Integer, Integer> others = new java.util.concurrent.ConcurrentSkipListMap<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    /** The first exception a terminal met, and whether the server was alive then. */
    volatile String firstFailure;
    private final ExecutorService pool;

    private Terminals(RunningGatehouse gatehouse, String token, int count) {
        pool = Executors.newFixedThreadPool(count);
        for (int t = 0; t < count; t++) {
            pool.submit(() -> {
                while (!stop.get() && acknowledged.size() < MAX) {
                    String id = UUID.randomUUID().toString();
                    try {
                        int status = gatehouse.json("POST", "/api/passages", token, CrashFaultIT.passage(id)).status();
                        if (status == 201 || status == 202) {
                            (status == 201 ? stored : journalled).incrementAndGet();
                            acknowledged.add(id);
                        } else {
                            refused.incrementAndGet();
                            others.merge(status, 1, Integer::sum);
                        }
                    } catch (IOException serverGone) {
                        refused.incrementAndGet(); // cut off mid-request: not acknowledged
                        others.merge(0, 1, Integer::sum);
                        if (firstFailure == null) {
                            firstFailure = serverGone.toString() + (gatehouse.alive() ? " (alive)" : " (dead)");
                        }
                        if (!gatehouse.alive()) {
                            return null;
                        }
                        Thread.sleep(50); // killed, and not reaped yet: no spinning on refused connections
                    }
                }
                return null;
            });
        }
    }

    /** {@code count} terminals posting with the device token {@code token} ("Bearer …"). */
    static Terminals start(RunningGatehouse gatehouse, String token, int count) {
        return new Terminals(gatehouse, token, count);
    }

    /** Stops them and waits until each has its last answer. */
    List<String> stop() throws InterruptedException {
        stop.set(true);
        pool.shutdown();
        if (!pool.awaitTermination(90, TimeUnit.SECONDS)) {
            throw new IllegalStateException("terminals did not stop");
        }
        return List.copyOf(acknowledged);
    }

    /**
     * Waits until more than {@code count} passages were acknowledged (at most {@code maxMillis}): on a loaded machine
     * the terminals reach their pace later after a boot, and a kill before they post proves nothing.
     */
    void awaitAcknowledged(int count, long maxMillis) throws InterruptedException {
        long until = System.currentTimeMillis() + maxMillis;
        while (acknowledged.size() <= count && System.currentTimeMillis() < until) {
            Thread.sleep(50);
        }
    }
}

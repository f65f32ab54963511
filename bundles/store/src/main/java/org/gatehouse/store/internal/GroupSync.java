package org.gatehouse.store.internal;

import org.gatehouse.api.service.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit to the disk for the embedded database. H2 keeps commits in memory and writes them in the
 * background; an answer "stored" must survive a crash, so every write transaction, once committed, waits
 * here until a sync that began after its commit has forced the database to the device ({@code CHECKPOINT
 * SYNC}). One thread runs the syncs back to back, each covering every transaction committed before it
 * began: a busy node pays one sync for many answers, a quiet one a sync per answer.
 */
final class GroupSync implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GroupSync.class);

    /** Runs one sync (the caller's {@code CHECKPOINT SYNC}); throws when the database cannot. */
    interface Sync {
        void run();
    }

    private final Sync sync;
    private final Thread thread;
    private long requested;
    private long completed;
    /** Tickets in [failedFrom, failedThrough] belong to a round whose sync failed. */
    private long failedFrom = 1;
    private long failedThrough;
    private RuntimeException failure;
    private boolean closed;

    GroupSync(Sync sync, String name) {
        this.sync = sync;
        this.thread = new Thread(this::loop, name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Returns once everything committed before this call is on the device; throws if that sync failed. */
    void await() {
        long ticket;
        synchronized (this) {
            if (closed) {
                throw new StoreUnavailableException("The store is closing", null);
            }
            ticket = ++requested;
            notifyAll();
            boolean interrupted = false;
            while (completed < ticket && !closed) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            if (completed < ticket) {
                throw new StoreUnavailableException("The store closed before the write reached the disk", null);
            }
            if (ticket >= failedFrom && ticket <= failedThrough) {
                throw new StoreUnavailableException("The write could not be forced to disk: " + failure.getMessage(),
                        failure);
            }
        }
    }

    private void loop() {
        while (true) {
            long target;
            synchronized (this) {
                while (requested == completed && !closed) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (closed) {
                    return;
                }
                target = requested;
            }
            RuntimeException error = null;
            try {
                sync.run();
            } catch (RuntimeException e) {
                error = e;
                LOG.warn("The database could not be synced to disk: {}", e.toString());
            }
            synchronized (this) {
                if (closed) {
                    // a sync cut short by close() proves nothing: its waiters are told the store closed
                    notifyAll();
                    return;
                }
                if (error != null) {
                    failedFrom = completed + 1;
                    failedThrough = target;
                    failure = error;
                }
                completed = target;
                notifyAll();
            }
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        thread.interrupt();
    }
}

package org.gatehouse.core.internal.passage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;

import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.gatehouse.api.model.PassageEvent;
import org.gatehouse.api.service.PassageRecorder;
import org.gatehouse.api.service.PassageRepository;
import org.gatehouse.api.service.StoreUnavailableException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records passages in the store (which puts them in the outbox of the passages stream). When the
 * database is down a passage goes to the local {@link PassageJournal} instead; a route drains the
 * journal into the store as soon as the database answers again. No passage is lost on the way.
 *
 * <p>Group commit: the store writes every commit to disk before it returns (the answer "stored" must survive
 * a crash), which costs a write per commit. Passages reported at the same time are therefore stored by one
 * committer thread in one transaction each round ({@link PassageRepository#recordAll}), and each caller is
 * answered when the round holding its passage has committed: one write for a busy gate's concurrent reports,
 * one passage per round when it is quiet.
 */
@Component(service = {PassageRecorder.class, RoutesBuilder.class}, configurationPid = "org.gatehouse.core.passages")
@Designate(ocd = JournallingPassageRecorder.Config.class)
public class JournallingPassageRecorder extends RouteBuilder implements PassageRecorder {
    private static final Logger LOG = LoggerFactory.getLogger(JournallingPassageRecorder.class);
    static final String DRAIN_ROUTE_ID = "gatehouse-passage-journal";

    @ObjectClassDefinition(name = "Gatehouse passage journal",
            description = "Where passages wait while the database is down")
    public @interface Config {
        @AttributeDefinition(description = "Journal folder; empty = <karaf.data>/gatehouse/passage-journal")
        String journalDirectory() default "";

        @AttributeDefinition(description = "Milliseconds between two attempts to drain the journal", min = "100", max = "600000")
        long drainPeriodMillis() default 2000;
    }

    /** Most passages stored in one transaction. */
    static final int MAX_BATCH = 256;

    private record Pending(PassageEvent event, CompletableFuture<Outcome> outcome) {
    }

    private final PassageRepository passages;
    private final PassageJournal journal;
    private final long drainPeriodMillis;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread committer;
    private volatile boolean closed;

    @Activate
    public JournallingPassageRecorder(@Reference PassageRepository passages, Config config) throws IOException {
        this(passages, journalDirectory(config.journalDirectory()), config.drainPeriodMillis());
    }

    JournallingPassageRecorder(PassageRepository passages, Path journalDirectory, long drainPeriodMillis)
            throws IOException {
        this.passages = passages;
        this.journal = new PassageJournal(journalDirectory);
        this.drainPeriodMillis = drainPeriodMillis;
        this.committer = new Thread(this::commitLoop, "gatehouse-passage-committer");
        this.committer.setDaemon(true);
        this.committer.start();
    }

    @Deactivate
    void close() {
        closed = true;
        committer.interrupt();
        for (Pending p; (p = queue.poll()) != null; ) {
            p.outcome().completeExceptionally(new StoreUnavailableException("Gatehouse is stopping", null));
        }
    }

    static Path journalDirectory(String configured) {
        if (configured != null && !configured.isBlank()) {
            return Paths.get(configured);
        }
        return Paths.get(System.getProperty("karaf.data", "data"), "gatehouse", "passage-journal");
    }

    @Override
    public Outcome record(PassageEvent event) {
        if (closed) {
            throw new StoreUnavailableException("Gatehouse is stopping", null);
        }
        Pending pending = new Pending(event, new CompletableFuture<>());
        queue.add(pending);
        try {
            return pending.outcome().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("Interrupted while the passage was being stored", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** The committer: takes what is waiting (up to {@link #MAX_BATCH}) and stores it in one transaction. */
    private void commitLoop() {
        List<Pending> batch = new ArrayList<>(MAX_BATCH);
        while (!closed) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                return;
            }
            queue.drainTo(batch, MAX_BATCH - 1);
            try {
                commit(batch);
            } catch (RuntimeException | Error e) {
                batch.forEach(p -> p.outcome().completeExceptionally(e));
            }
            batch.clear();
        }
    }

    private void commit(List<Pending> batch) {
        List<PassageEvent> events = batch.stream().map(Pending::event).toList();
        List<Boolean> written;
        try {
            written = passages.recordAll(events);
        } catch (StoreUnavailableException down) {
            batch.forEach(p -> complete(p, () -> journal(p.event(), down)));
            return;
        } catch (RuntimeException e) {
            if (batch.size() == 1) {
                throw e;
            }
            // one bad passage must not fail the others: each on its own
            batch.forEach(p -> complete(p, () -> recordOne(p.event())));
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).outcome().complete(written.get(i) ? Outcome.STORED : Outcome.DUPLICATE);
        }
    }

    private static void complete(Pending p, java.util.function.Supplier<Outcome> work) {
        try {
            p.outcome().complete(work.get());
        } catch (RuntimeException e) {
            p.outcome().completeExceptionally(e);
        }
    }

    private Outcome recordOne(PassageEvent event) {
        try {
            return passages.record(event) ? Outcome.STORED : Outcome.DUPLICATE;
        } catch (StoreUnavailableException down) {
            return journal(event, down);
        }
    }

    private Outcome journal(PassageEvent event, StoreUnavailableException down) {
        try {
            journal.append(event);
        } catch (IOException e) {
            UncheckedIOException failure = new UncheckedIOException("Database down and journal not writable", e);
            failure.addSuppressed(down);
            throw failure;
        }
        LOG.warn("Database down; passage {} journalled in {}", event.id(), journal.directory());
        return Outcome.JOURNALLED;
    }

    @Override
    public int journalled() {
        return journal.size();
    }

    /** Stores journalled passages, oldest first, until the journal is empty or the database is down. */
    public int drain() throws IOException {
        int stored = 0;
        List<Path> entries = journal.entries();
        for (int from = 0; from < entries.size(); from += MAX_BATCH) {
            List<Path> batch = new ArrayList<>();
            List<PassageEvent> events = new ArrayList<>();
            for (Path entry : entries.subList(from, Math.min(entries.size(), from + MAX_BATCH))) {
                try {
                    events.add(journal.read(entry));
                    batch.add(entry);
                } catch (IOException | RuntimeException unreadable) {
                    LOG.error("Journal entry {} is unreadable, moved aside: {}", entry, unreadable.getMessage());
                    journal.quarantine(entry);
                }
            }
            if (events.isEmpty()) {
                continue;
            }
            try {
                // oldest first, up to MAX_BATCH in one transaction: one disk write for many (an outage of a busy
                // gate leaves thousands), in the order they were journalled
                passages.recordAll(events);
            } catch (StoreUnavailableException stillDown) {
                logStored(stored);
                return stored;
            }
            for (Path entry : batch) {
                journal.remove(entry);
            }
            stored += batch.size();
        }
        logStored(stored);
        return stored;
    }

    private static void logStored(int stored) {
        if (stored > 0) {
            LOG.info("Stored {} journalled passages", stored);
        }
    }

    @Override
    public void configure() {
        from("timer:gatehouse-passage-journal?delay=1000&period=" + drainPeriodMillis)
                .routeId(DRAIN_ROUTE_ID)
                .routeDescription("Stores passages journalled while the database was down")
                .process(exchange -> drain());
    }
}

package org.gatehouse.core.internal.passage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.nio.file.Paths;

import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.gatehouse.api.model.PassageEvent;
import org.gatehouse.api.service.PassageRecorder;
import org.gatehouse.api.service.PassageRepository;
import org.gatehouse.api.service.StoreUnavailableException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
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

        @AttributeDefinition(description = "Milliseconds between two attempts to drain the journal")
        long drainPeriodMillis() default 2000;
    }

    private final PassageRepository passages;
    private final PassageJournal journal;
    private final long drainPeriodMillis;

    @Activate
    public JournallingPassageRecorder(@Reference PassageRepository passages, Config config) throws IOException {
        this(passages, journalDirectory(config.journalDirectory()), config.drainPeriodMillis());
    }

    JournallingPassageRecorder(PassageRepository passages, Path journalDirectory, long drainPeriodMillis)
            throws IOException {
        this.passages = passages;
        this.journal = new PassageJournal(journalDirectory);
        this.drainPeriodMillis = drainPeriodMillis;
    }

    static Path journalDirectory(String configured) {
        if (configured != null && !configured.isBlank()) {
            return Paths.get(configured);
        }
        return Paths.get(System.getProperty("karaf.data", "data"), "gatehouse", "passage-journal");
    }

    @Override
    public Outcome record(PassageEvent event) {
        try {
            return passages.record(event) ? Outcome.STORED : Outcome.DUPLICATE;
        } catch (StoreUnavailableException down) {
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
    }

    @Override
    public int journalled() {
        return journal.size();
    }

    /** Stores journalled passages, oldest first, until the journal is empty or the database is down. */
    public int drain() throws IOException {
        int stored = 0;
        for (Path entry : journal.entries()) {
            PassageEvent event;
            try {
                event = journal.read(entry);
            } catch (IOException | RuntimeException unreadable) {
                LOG.error("Journal entry {} is unreadable, moved aside: {}", entry, unreadable.getMessage());
                journal.quarantine(entry);
                continue;
            }
            try {
                passages.record(event);
            } catch (StoreUnavailableException stillDown) {
                return stored;
            }
            journal.remove(entry);
            stored++;
        }
        if (stored > 0) {
            LOG.info("Stored {} journalled passages", stored);
        }
        return stored;
    }

    @Override
    public void configure() {
        from("timer:gatehouse-passage-journal?delay=1000&period=" + drainPeriodMillis)
                .routeId(DRAIN_ROUTE_ID)
                .routeDescription("Stores passages journalled while the database was down")
                .process(exchange -> drain());
    }
}

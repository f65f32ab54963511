package org.gatehouse.core.internal.audit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.gatehouse.api.service.AuditLog;
import org.gatehouse.api.service.StoreHealth;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Anchors the audit chain outside the database. A timer route of the platform context appends the chain's head
 * (sequence, hash, when, which database) to a file that is not in the database — by default
 * {@code ${karaf.data}/gatehouse/audit-heads.log}, better another disk or a mounted remote folder — shortly after
 * start and then every {@code exportMinutes}; a head equal to the last one exported is not written again.
 * {@link #verify()} (behind {@code gatehouse:audit-verify} and {@code GET /api/audit/verify}) hands every head exported
 * for this database to {@link AuditLog#verify(List)}: entries removed from the end of the log, with the chain head
 * moved back, or an entry rewritten by someone holding the key, no longer go unnoticed.
 * <p>
 * Each line: {@code exported-at TAB sequence TAB hash TAB database URL (without credentials)}. Heads of another
 * database (the store was switched, e.g. from H2 to PostgreSQL) are not checked against this one, only counted.
 */
@Component(service = {AuditHeads.class, RoutesBuilder.class}, configurationPid = AuditHeads.PID)
@Designate(ocd = AuditHeads.Config.class)
public class AuditHeads extends RouteBuilder {
    public static final String PID = "org.gatehouse.core.audit";
    static final String ROUTE_ID = "gatehouse-audit-heads";
    static final long FIRST_EXPORT_MILLIS = 10_000;
    static final String HEADER = "# Gatehouse audit chain heads, one line per export: exported-at, sequence, hash, "
            + "database (tab-separated). Keep this file outside the database; gatehouse:audit-verify checks them.";
    private static final Logger LOG = LoggerFactory.getLogger(AuditHeads.class);

    @ObjectClassDefinition(name = "Gatehouse audit heads",
            description = "Exports the audit chain's head to a file outside the database, so that verification "
                    + "also catches entries removed from the end of the log")
    public @interface Config {
        @AttributeDefinition(description = "File the heads are appended to; blank = ${karaf.data}/gatehouse/"
                + "audit-heads.log. Point it to another disk or a mounted remote folder (the folder must exist: it is "
                + "never created, so an unmounted share is noticed)")
        String headsFile() default "";

        @AttributeDefinition(description = "Minutes between two exports (one also runs shortly after start); "
                + "0 = only the one at start", min = "1", max = "10080")
        long exportMinutes() default 60;
    }

    /** A verification with the exported heads: how many were checked, how many belong to other databases. */
    public record Result(AuditLog.Verification verification, Path file, int heads, int otherDatabases,
                         int unreadableLines) {
    }

    private final AuditLog audit;
    private final StoreHealth store;
    private final Path file;
    private final boolean defaultFile;
    private final long minutes;
    private final Clock clock;
    /** The last head written (or found in the file); null until the first export looked. */
    private AuditLog.Head lastExported;
    private boolean lastLooked;

    @Activate
    public AuditHeads(@Reference AuditLog audit, @Reference StoreHealth store, Config config) {
        this(audit, store, config.headsFile(), config.exportMinutes(), Clock.systemUTC());
    }

    AuditHeads(AuditLog audit, StoreHealth store, String headsFile, long exportMinutes, Clock clock) {
        this.audit = audit;
        this.store = store;
        this.defaultFile = headsFile == null || headsFile.isBlank();
        this.file = resolve(headsFile);
        this.minutes = exportMinutes;
        this.clock = clock;
    }

    /** {@code configured} with {@code ${karaf.data}} resolved; blank = {@code ${karaf.data}/gatehouse/audit-heads.log}. */
    static Path resolve(String configured) {
        String data = System.getProperty("karaf.data", "./data");
        if (configured == null || configured.isBlank()) {
            return Path.of(data, "gatehouse", "audit-heads.log").toAbsolutePath().normalize();
        }
        return Path.of(configured.strip().replace("${karaf.data}", data)).toAbsolutePath().normalize();
    }

    public Path file() {
        return file;
    }

    @Override
    public void configure() {
        from("timer:" + ROUTE_ID + "?delay=" + FIRST_EXPORT_MILLIS
                + (minutes > 0 ? "&period=" + minutes * 60_000L : "&repeatCount=1"))
                .routeId(ROUTE_ID)
                .routeDescription("Appends the audit chain's head to a file outside the database")
                .process(exchange -> {
                    try {
                        export();
                    } catch (RuntimeException e) {
                        LOG.warn("Audit chain head not exported to {} (the next round tries again): {}", file,
                                e.toString());
                    }
                });
    }

    /**
     * Appends the current head unless it is the last one exported (or the log is empty).
     *
     * @return the head written
     * @throws IllegalStateException when the file cannot be written (its folder missing: not mounted?)
     */
    public synchronized Optional<AuditLog.Head> export() {
        AuditLog.Head head = audit.head();
        if (head.sequence() <= 0) {
            return Optional.empty();
        }
        String database = database();
        if (!lastLooked) {
            lastExported = lastIn(database);
            lastLooked = true;
        }
        if (head.equals(lastExported)) {
            return Optional.empty();
        }
        try {
            Path folder = file.getParent();
            if (defaultFile) {
                Files.createDirectories(folder);
            } else if (!Files.isDirectory(folder)) {
                throw new IllegalStateException("the folder " + folder + " of the audit heads file does not exist "
                        + "(not mounted?): nothing exported");
            }
            String line = clock.instant() + "\t" + head.sequence() + "\t" + head.hash() + "\t" + database + "\n";
            boolean fresh = !Files.exists(file);
            Files.writeString(file, fresh ? HEADER + "\n" + line : line, StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE,
                    StandardOpenOption.SYNC);
        } catch (IOException e) {
            throw new IllegalStateException("cannot append to the audit heads file " + file + ": " + e, e);
        }
        lastExported = head;
        LOG.debug("audit chain head {} exported to {}", head.sequence(), file);
        return Optional.of(head);
    }

    /**
     * Verifies the chain and every head exported for this database. An unreadable heads file (other than a missing
     * one: nothing exported yet) makes the answer not intact, since removed entries cannot then be ruled out.
     */
    public Result verify() {
        String database = database();
        List<AuditLog.ExportedHead> heads = new ArrayList<>();
        int other = 0;
        int unreadable = 0;
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                Line parsed = parse(line);
                if (parsed == null) {
                    unreadable++;
                } else if (parsed.database().equals(database)) {
                    heads.add(parsed.head());
                } else {
                    other++;
                }
            }
        } catch (NoSuchFileException e) {
            // nothing exported yet
        } catch (IOException e) {
            AuditLog.Verification chain = audit.verify();
            if (!chain.intact()) {
                return new Result(chain, file, 0, 0, 0);
            }
            return new Result(new AuditLog.Verification(false, chain.entries(), -1, "the hash chain holds, but the "
                    + "exported heads in " + file + " cannot be read (" + e + "): entries removed from the end of the "
                    + "log cannot be ruled out", 0), file, 0, 0, 0);
        }
        if (unreadable > 0) {
            LOG.warn("{} line(s) of the audit heads file {} are not heads and were skipped", unreadable, file);
        }
        return new Result(audit.verify(heads), file, heads.size(), other, unreadable);
    }

    private record Line(AuditLog.ExportedHead head, String database) {
    }

    private static Line parse(String line) {
        String[] parts = line.split("\t", 4);
        if (parts.length != 4) {
            return null;
        }
        try {
            return new Line(new AuditLog.ExportedHead(Long.parseLong(parts[1].strip()), parts[2].strip(),
                    Instant.parse(parts[0].strip())), parts[3].strip());
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The last head of this database in the file, or null. */
    private AuditLog.Head lastIn(String database) {
        AuditLog.Head last = null;
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                Line parsed = line.startsWith("#") ? null : parse(line);
                if (parsed != null && parsed.database().equals(database)) {
                    last = new AuditLog.Head(parsed.head().sequence(), parsed.head().hash());
                }
            }
        } catch (IOException e) {
            // none yet, or unreadable: the export finds out
        }
        return last;
    }

    /** Which database the heads belong to: the store's URL without credentials. */
    private String database() {
        return store.status().url();
    }
}

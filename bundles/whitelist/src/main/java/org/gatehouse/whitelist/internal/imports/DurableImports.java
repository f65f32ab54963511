package org.gatehouse.whitelist.internal.imports;

import static org.gatehouse.whitelist.internal.Messages.MESSAGES;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import org.gatehouse.api.model.Community;
import org.gatehouse.api.model.ImportJob;
import org.gatehouse.api.model.ImportRow;
import org.gatehouse.api.service.CommunityRepository;
import org.gatehouse.api.service.ImportJobRepository;
import org.gatehouse.api.service.NotFoundException;
import org.gatehouse.api.service.Scope;
import org.gatehouse.core.api.AuditTrail;
import org.gatehouse.core.api.AuditTrails;
import org.gatehouse.core.api.Caller;
import org.gatehouse.whitelist.internal.Enrolment;
import org.gatehouse.whitelist.internal.Households;
import org.gatehouse.whitelist.internal.LeaseDates;
import org.gatehouse.whitelist.internal.WhitelistConfig;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ImportService} whose jobs survive the node. A submission is answered only once the job and every CSV row are
 * stored ({@link ImportJobRepository#create}) and the photo zip is written to this node's {@link ImportFolder} and
 * forced to disk; {@link ImportRunner} runs it. When the node starts, the jobs it held that were queued or running are
 * marked {@code INTERRUPTED} (their run died with the node); they are never resumed by themselves (the office may have
 * re-submitted meanwhile, or may not want the rest any more) but on request ({@link #resume}), which goes on with the
 * rows not yet committed and never creates a row's resident twice. Two resumes: one wins (compare-and-set on the job's
 * attempt; a run that lost the job cannot write another row).
 */
@Component(service = ImportService.class, configurationPid = WhitelistConfig.PID)
public class DurableImports implements ImportService {
    private static final Logger LOG = LoggerFactory.getLogger(DurableImports.class);
    private static final Set<ImportRow.Status> PROCESSED = EnumSet.of(ImportRow.Status.DONE, ImportRow.Status.FAILED);

    private final CommunityRepository communities;
    private final ImportJobRepository jobs;
    private final SafeZip.Limits limits;
    private final int maxCsvBytes;
    private final ImportFolder folder;
    private final Duration staleAfter;
    private final String node;
    private final ImportRunner runner;
    private final AuditTrail audit;
    private final ExecutorService executor;
    private final Map<String, CompletableFuture<Void>> tails = new ConcurrentHashMap<>();
    /** Jobs queued or running in this service: id → attempt. */
    private final Map<String, Integer> local = new ConcurrentHashMap<>();
    private volatile boolean stopping;
    private volatile boolean recovered;

    @Activate
    public DurableImports(@Reference Households households, @Reference Enrolment enrolment,
                          @Reference CommunityRepository communities, @Reference ImportJobRepository jobs,
                          WhitelistConfig config, @Reference AuditTrails trails) throws IOException {
        // the lower bounds are the metatype's minimums, for a cfg file that does not respect them
        this(households, enrolment, communities, jobs, LeaseDates.of(config), SafeZip.Limits.of(config),
                config.importMaxCsvBytes(), config.importsKept(), config.importNoticeVersion(),
                ImportFolder.configured(config.importDir()),
                Duration.ofSeconds(Math.max(30, config.importStaleSeconds())), trails);
    }

    /**
     * @param dir        this node's import folder (photo zips of jobs that may go on, and {@code node-id})
     * @param staleAfter a job held by another node that wrote nothing for this long is shown INTERRUPTED
     */
    public DurableImports(Households households, Enrolment enrolment, CommunityRepository communities,
                          ImportJobRepository jobs, LeaseDates dates, SafeZip.Limits limits, int maxCsvBytes, int kept,
                          String noticeVersion, Path dir, Duration staleAfter, AuditTrails trails) throws IOException {
        this.audit = trails.of("whitelist");
        this.communities = communities;
        this.jobs = jobs;
        this.limits = limits;
        this.maxCsvBytes = maxCsvBytes;
        this.folder = new ImportFolder(dir);
        this.staleAfter = staleAfter;
        this.node = folder.nodeId();
        this.runner = new ImportRunner(households, enrolment, communities, jobs, new RowCheck(dates), folder, limits,
                Math.max(1, kept), noticeVersion, audit, () -> stopping, local::remove);
        this.executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "gatehouse-whitelist-import");
            t.setDaemon(true);
            return t;
        });
        try {
            recover();
        } catch (RuntimeException e) {
            // e.g. the database is down: done before anything else this service does with jobs
            LOG.warn("Import jobs of this node not checked yet, will retry on first use: {}", e.toString());
        }
    }

    /**
     * Stops: no new run starts, running ones stop after their current row (and are marked INTERRUPTED); waits for them
     * a little, then interrupts them.
     */
    @Deactivate
    public void close() {
        stop();
        try {
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                executor.shutdownNow();
                executor.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /** Asks the runs to stop after their current row, without waiting (see {@link #close}). */
    public void stop() {
        stopping = true;
        executor.shutdown();
    }

    @Override
    public SafeZip.Limits limits() {
        return limits;
    }

    @Override
    public int maxCsvBytes() {
        return maxCsvBytes;
    }

    /** This node's name in the jobs it holds. */
    public String node() {
        return node;
    }

    // ---- start of the node -------------------------------------------------------------------------------------

    private void ensureRecovered() {
        if (!recovered) {
            recover();
        }
    }

    /**
     * Once per life of this service, before anything else: the jobs this node held queued or running were cut off
     * when it stopped; they become INTERRUPTED (logged, with how to resume them). Files in the import folder that no
     * job may still need are deleted (a photo zip of an ended job, half-written copies).
     */
    private synchronized void recover() {
        if (recovered) {
            return;
        }
        for (ImportJob job : jobs.interruptNode(node)) {
            LOG.warn("Import {} of community {} was interrupted when this node stopped ({} of {} rows imported, {} "
                    + "failed); resume it with POST /api/imports/{}/resume or gatehouse:import --resume {}", job.id(),
                    job.communityId(), job.done(), job.total(), job.failed(), job.id(), job.id());
        }
        folder.tidy(zip -> {
            Optional<ImportJob> job = jobs.job(Scope.all(), zip.substring(0, zip.length() - 4));
            return job.isPresent() && !job.get().status().ended() && zip.equals(job.get().photos());
        });
        recovered = true;
    }

    // ---- submit and resume -------------------------------------------------------------------------------------

    @Override
    public String submit(Caller caller, String community, byte[] csv, Path zip, Path deleteAfter) throws IOException {
        String id = UUID.randomUUID().toString();
        Path stored = null;
        boolean accepted = false;
        try {
            ensureRecovered();
            Community com = communities.find(caller.scope(), community);
            List<ImportJobRepository.NewRow> rows = CsvRows.rows(csv, maxCsvBytes);
            String photos = null;
            String sha256 = null;
            if (zip != null) {
                SafeZip.open(zip, limits).close(); // refused now if anything is wrong with it
                photos = id + ".zip";
                stored = folder.resolve(photos);
                sha256 = ImportFolder.copyDurably(zip, stored);
            }
            if (stopping) {
                throw MESSAGES.refusal(503, "SERVICE_STOPPING", "import.stopping");
            }
            local.put(id, 1);
            jobs.create(caller.scope(), new ImportJobRepository.NewJob(id, com.id(), caller.name(), node, photos,
                    sha256), rows);
            try {
                audit.record(caller.name(), "import.start", com.id(), id, rows.size() + " rows"
                        + (photos == null ? "" : ", with photos"));
            } catch (RuntimeException e) {
                // nothing goes unaudited: the stored job never runs
                ImportRunner.quietly(() -> jobs.end(caller.scope(), id, 1, ImportJob.Status.FAILED, e.toString(),
                        e.toString()));
                throw e;
            }
            accepted = true;
            queue(caller, com.id(), id, 1);
            return id;
        } finally {
            if (!accepted) {
                local.remove(id);
                ImportFolder.delete(stored);
            }
            if (deleteAfter != null && !deleteAfter.equals(stored)) {
                ImportFolder.delete(deleteAfter);
            }
        }
    }

    private void queue(Caller caller, String communityId, String id, int attempt) {
        tails.compute(communityId, (k, tail) -> (tail == null ? CompletableFuture.<Void>completedFuture(null) : tail)
                .handle((v, t) -> null).thenRunAsync(() -> runner.run(caller, id, attempt), executor)
                .exceptionally(t -> {
                    if (!(t.getCause() instanceof RejectedExecutionException)) {
                        LOG.error("Import {} could not run", id, t);
                    }
                    local.remove(id, attempt);
                    return null;
                }));
    }

    @Override
    public String resume(Caller caller, String id) throws IOException {
        ensureRecovered();
        Integer here = local.get(id); // held before the job is read: see shown()
        ImportJob job = jobs.job(caller.scope(), id).orElseThrow(() -> new NotFoundException("import", id));
        Status status = shown(job, here);
        if (status != Status.INTERRUPTED) {
            audit.refused(caller.name(), "import.resume.refused", job.communityId(), id, status.name());
            throw MESSAGES.refusal(409, "IMPORT_NOT_RESUMABLE", "import.notResumable", id, status.name());
        }
        if (job.photos() != null) {
            Path photos = folder.resolve(job.photos());
            if (!Files.isRegularFile(photos)) {
                throw MESSAGES.refusal(409, "IMPORT_PHOTOS_MISSING", "import.photosMissing", id, job.node());
            }
            if (!ImportFolder.sha256(photos).equals(job.photosSha256())) {
                throw MESSAGES.refusal(409, "IMPORT_PHOTOS_CHANGED", "import.photosChanged", id);
            }
        }
        if (stopping) {
            throw MESSAGES.refusal(503, "SERVICE_STOPPING", "import.stopping");
        }
        int attempt = job.attempt() + 1;
        boolean won = false;
        synchronized (local) { // one resume at a time on this node; across nodes the store's compare-and-set decides
            if (!local.containsKey(id)) {
                local.put(id, attempt);
                try {
                    won = jobs.requeue(caller.scope(), id, job.attempt(), node);
                } finally {
                    if (!won) {
                        local.remove(id, attempt);
                    }
                }
            }
        }
        if (!won) {
            audit.refused(caller.name(), "import.resume.refused", job.communityId(), id, "another resume won");
            throw MESSAGES.refusal(409, "IMPORT_NOT_RESUMABLE", "import.notResumable", id, Status.QUEUED.name());
        }
        audit.record(caller.name(), "import.resume", job.communityId(), id, "attempt " + attempt + ", "
                + job.done() + " of " + job.total() + " rows imported before, " + job.failed() + " failed");
        queue(caller, job.communityId(), id, attempt);
        return id;
    }

    // ---- reading -----------------------------------------------------------------------------------------------

    @Override
    public Optional<Report> report(Caller caller, String id, Locale locale) {
        return report(caller, id, locale, true);
    }

    @Override
    public Optional<Report> progress(Caller caller, String id, Locale locale) {
        return report(caller, id, locale, false);
    }

    private Optional<Report> report(Caller caller, String id, Locale locale, boolean withRows) {
        ensureRecovered();
        Integer here = local.get(id); // held before the job is read: see shown()
        Optional<ImportJob> job = jobs.job(caller.scope(), id);
        if (job.isEmpty()) {
            return Optional.empty();
        }
        List<RowResult> results = new ArrayList<>();
        if (withRows) {
            int after = -1;
            while (true) {
                List<ImportRow> page = jobs.rows(caller.scope(), id, PROCESSED, after, ImportRunner.PAGE);
                for (ImportRow row : page) {
                    boolean ok = row.status() == ImportRow.Status.DONE;
                    String message = ok ? "" : zh(locale) ? row.messageZh() : row.messageEn();
                    String warningCode = ok ? row.warningCode() : null;
                    results.add(new RowResult(row.csvRow(), ok, row.code(), message == null ? "" : message,
                            ok ? row.residentId() : null, warningCode, warningCode == null ? null
                            : zh(locale) ? row.warningZh() : row.warningEn()));
                    after = row.seq();
                }
                if (page.size() < ImportRunner.PAGE) {
                    break;
                }
            }
        }
        return Optional.of(report(job.get(), here, locale, results));
    }

    @Override
    public List<Report> list(Caller caller, String community, Locale locale, int limit) {
        ensureRecovered();
        Community com = communities.find(caller.scope(), community);
        Map<String, Integer> here = Map.copyOf(local); // held before the jobs are read: see shown()
        return jobs.jobs(caller.scope(), com.id(), limit).stream()
                .map(j -> report(j, here.get(j.id()), locale, List.of())).toList();
    }

    private Report report(ImportJob job, Integer here, Locale locale, List<RowResult> rows) {
        Status status = shown(job, here);
        int processed = job.done() + job.failed();
        int percent = job.total() == 0 ? (status == Status.FINISHED ? 100 : 0) : processed * 100 / job.total();
        String error = switch (status) {
            case FAILED -> zh(locale) ? job.errorZh() : job.errorEn();
            case INTERRUPTED -> MESSAGES.get(locale, "import.interrupted", job.done(), job.total(), job.failed(),
                    job.id());
            default -> null;
        };
        return new Report(job.id(), job.communityId(), status, job.total(), job.done(), job.failed(), percent, error,
                rows, job.submittedAt(), job.finishedAt(), job.submittedBy(), status == Status.INTERRUPTED,
                job.attempt());
    }

    /**
     * The status a reader sees: the stored one, except that a job stored as queued or running whose run is not alive
     * is INTERRUPTED — held by this node but not queued or running in this service (its run died: the node stopped,
     * or the database went away and the run could not say so), or held by another node that has written nothing for
     * {@code staleAfter}.
     * <p>
     * Whether this service holds the job is asked twice, around the read of the job ({@code before}, and again now): a
     * run is held before its job is stored queued and lets go only after storing its end, so a job read as queued or
     * running was held at one of the two moments if its run is alive — looking only after the read would take a run
     * that ended in between for a dead one, looking only before would miss a resume that began in between.
     */
    private Status shown(ImportJob job, Integer before) {
        Status stored = Status.valueOf(job.status().name());
        if (stored != Status.QUEUED && stored != Status.RUNNING) {
            return stored;
        }
        Integer now = local.get(job.id());
        boolean held = (before != null && before == job.attempt()) || (now != null && now == job.attempt());
        if (held && node.equals(job.node())) {
            return stored;
        }
        if (node.equals(job.node())) {
            return Status.INTERRUPTED;
        }
        return job.updatedAt() != null && job.updatedAt().isBefore(Instant.now().minus(staleAfter))
                ? Status.INTERRUPTED : stored;
    }

    private static boolean zh(Locale locale) {
        return locale != null && "zh".equals(locale.getLanguage());
    }
}

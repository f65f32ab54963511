package org.gatehouse.whitelist.internal.imports;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
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

import org.gatehouse.api.model.Building;
import org.gatehouse.api.model.Community;
import org.gatehouse.api.model.Consent;
import org.gatehouse.api.model.Household;
import org.gatehouse.api.model.ImportJob;
import org.gatehouse.api.model.ImportRow;
import org.gatehouse.api.model.Resident;
import org.gatehouse.api.model.ResidentRole;
import org.gatehouse.api.model.Unit;
import org.gatehouse.api.service.CommunityRepository;
import org.gatehouse.api.service.GatehouseException;
import org.gatehouse.api.service.ImportJobRepository;
import org.gatehouse.api.service.ImportRunSupersededException;
import org.gatehouse.api.service.NotFoundException;
import org.gatehouse.api.service.Scope;
import org.gatehouse.api.service.StoreUnavailableException;
import org.gatehouse.api.service.AuditLog;
import org.gatehouse.core.api.AuditTrail;
import org.gatehouse.core.api.Caller;
import org.gatehouse.recognition.api.FaceException;
import org.gatehouse.whitelist.internal.Enrolment;
import org.gatehouse.whitelist.internal.Households;
import org.gatehouse.whitelist.internal.Households.ResidentInput;
import org.gatehouse.whitelist.internal.LeaseDates;
import org.gatehouse.whitelist.internal.Messages;
import org.gatehouse.whitelist.internal.Refusal;
import org.gatehouse.whitelist.internal.WhitelistConfig;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bulk import of residents from a CSV (and a zip of photos), in the background: one job at a time per community,
 * every row its own unit (resident + app token, + consent and face when the row says {@code faceConsent=yes} and
 * names a photo); a failed row is reported and never stops the others.
 * <p>
 * <b>Jobs survive the node.</b> A submission is answered only once the job and every CSV row are stored
 * ({@link ImportJobRepository#create}) and the photo zip is written to this node's import folder and forced to disk.
 * Each row's outcome is committed with the resident it creates ({@link ImportJobRepository#importResident}); a row with
 * a face is stored {@code FACE_PENDING} with its resident, then marked done once the face is enrolled (or failed, its
 * resident removed in the same transaction). When the node starts, the jobs it held that were queued or running are
 * marked {@code INTERRUPTED} (their run died with the node); they are never resumed by themselves (the office may have
 * re-submitted meanwhile, or may not want the rest any more) but on request ({@link #resume}), which goes on with the
 * rows not yet committed and never creates a row's resident twice. Two resumes: one wins (compare-and-set on the job's
 * attempt; a run that lost the job cannot write another row).
 */
@Component(service = ImportService.class, configurationPid = WhitelistConfig.PID)
public class ImportService {
    private static final Logger LOG = LoggerFactory.getLogger(ImportService.class);
    /** Required header columns; {@code faceConsent} is optional. */
    public static final List<String> COLUMNS = List.of("building", "flat", "household", "name", "role", "phone",
            "validFrom", "validUntil", "photo");
    public static final String FACE_CONSENT = "faceConsent";
    /** Rows read from the store at a time. */
    static final int PAGE = 500;
    private static final Set<ImportRow.Status> TO_DO = EnumSet.of(ImportRow.Status.PENDING,
            ImportRow.Status.FACE_PENDING);
    private static final Set<ImportRow.Status> PROCESSED = EnumSet.of(ImportRow.Status.DONE, ImportRow.Status.FAILED);

    /** A job's status as a reader sees it. */
    public enum Status { QUEUED, RUNNING, INTERRUPTED, FINISHED, FAILED }

    public record RowResult(int row, boolean ok, String code, String message, String residentId) {
    }

    /**
     * What a reader sees of a job.
     *
     * @param resumable INTERRUPTED: {@link #resume} goes on with it
     * @param attempt   runs so far (1 = never resumed)
     * @param error     why it failed, or, when interrupted, that it was and how to resume it
     */
    public record Report(String id, String communityId, Status status, int total, int done, int failed, int percent,
                         String error, List<RowResult> rows, Instant submittedAt, Instant finishedAt,
                         String submittedBy, boolean resumable, int attempt) {
        /** FINISHED or FAILED: nothing more will happen to the job. */
        public boolean finished() {
            return status == Status.FINISHED || status == Status.FAILED;
        }

        /** Nothing runs it now: finished, failed or interrupted. */
        public boolean stopped() {
            return finished() || status == Status.INTERRUPTED;
        }
    }

    /** A message to show later in whichever language the reader asks for. */
    interface Text {
        String in(Locale locale);
    }

    /** The run was asked to stop (the service is stopping). */
    private static final class Stopped extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Stopped() {
            super("import service stopping", null, false, false);
        }
    }

    private final Households households;
    private final Enrolment enrolment;
    private final LeaseDates dates;
    private final AuditTrail audit = new AuditTrail("whitelist");
    private final CommunityRepository communities;
    private final ImportJobRepository jobs;
    private final SafeZip.Limits limits;
    private final int maxCsvBytes;
    private final int kept;
    private final String noticeVersion;
    private final Path dir;
    private final Duration staleAfter;
    private final String node;
    private final ExecutorService executor;
    private final Map<String, CompletableFuture<Void>> tails = new ConcurrentHashMap<>();
    /** Jobs queued or running in this service: id → attempt. */
    private final Map<String, Integer> local = new ConcurrentHashMap<>();
    private volatile boolean stopping;
    private volatile boolean recovered;

    @Activate
    public ImportService(@Reference Households households, @Reference Enrolment enrolment,
                         @Reference CommunityRepository communities, @Reference ImportJobRepository jobs,
                         WhitelistConfig config) throws IOException {
        this(households, enrolment, communities, jobs, LeaseDates.of(config),
                new SafeZip.Limits(config.importMaxZipBytes(), config.importMaxEntryBytes(),
                config.importMaxTotalBytes(), config.importMaxEntries()), config.importMaxCsvBytes(),
                config.importsKept(), config.importNoticeVersion(), importDir(config.importDir()),
                Duration.ofSeconds(Math.max(30, config.importStaleSeconds())));
    }

    /**
     * @param dir        this node's import folder (photo zips of jobs that may go on, and {@code node-id})
     * @param staleAfter a job held by another node that wrote nothing for this long is shown INTERRUPTED
     */
    public ImportService(Households households, Enrolment enrolment, CommunityRepository communities,
                         ImportJobRepository jobs, LeaseDates dates, SafeZip.Limits limits, int maxCsvBytes, int kept,
                         String noticeVersion, Path dir, Duration staleAfter) throws IOException {
        this.households = households;
        this.enrolment = enrolment;
        this.dates = dates;
        this.communities = communities;
        this.jobs = jobs;
        this.limits = limits;
        this.maxCsvBytes = maxCsvBytes;
        this.kept = Math.max(1, kept);
        this.noticeVersion = noticeVersion;
        this.dir = ownerOnlyDirectory(dir);
        this.staleAfter = staleAfter;
        this.node = nodeId(this.dir);
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

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, unbind = "unsetAuditLog")
    public void setAuditLog(AuditLog log) {
        audit.set(log);
    }

    public void unsetAuditLog(AuditLog log) {
        audit.unset(log);
    }

    static Path importDir(String configured) {
        return configured == null || configured.isBlank()
                ? Paths.get(System.getProperty("karaf.data", "data"), "gatehouse", "imports")
                : Paths.get(configured.trim());
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

    public SafeZip.Limits limits() {
        return limits;
    }

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
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (name.endsWith(".tmp")) {
                    delete(file);
                } else if (name.endsWith(".zip")) {
                    String id = name.substring(0, name.length() - 4);
                    Optional<ImportJob> job = jobs.job(Scope.all(), id);
                    if (job.isEmpty() || job.get().status().ended() || !name.equals(job.get().photos())) {
                        delete(file);
                    }
                }
            }
        } catch (IOException e) {
            LOG.warn("Could not tidy the import folder {}: {}", dir, e.toString());
        }
        recovered = true;
    }

    // ---- submit ------------------------------------------------------------------------------------------------

    /**
     * Checks the CSV and the zip now (a {@link Refusal} for what is wrong with them; nothing is stored then), stores
     * the job durably — its rows in the store, the zip in this node's import folder, forced to disk — and queues it.
     * The id is returned only once all that is done.
     *
     * @param zip         the photo zip or null
     * @param deleteAfter a temporary file to delete once the job is stored or refused (or null)
     * @return the import id
     */
    public String submit(Caller caller, String community, byte[] csv, Path zip, Path deleteAfter) throws IOException {
        String id = UUID.randomUUID().toString();
        Path stored = null;
        boolean accepted = false;
        try {
            ensureRecovered();
            Community com = communities.find(caller.scope(), community);
            List<ImportJobRepository.NewRow> rows = rows(csv);
            String photos = null;
            String sha256 = null;
            if (zip != null) {
                SafeZip.open(zip, limits).close(); // refused now if anything is wrong with it
                photos = id + ".zip";
                stored = dir.resolve(photos);
                sha256 = copyDurably(zip, stored);
            }
            if (stopping) {
                throw new Refusal(503, "SERVICE_STOPPING", "import.stopping");
            }
            local.put(id, 1);
            jobs.create(caller.scope(), new ImportJobRepository.NewJob(id, com.id(), caller.name(), node, photos,
                    sha256), rows);
            try {
                audit.record(caller.name(), "import.start", com.id(), id, rows.size() + " rows"
                        + (photos == null ? "" : ", with photos"));
            } catch (RuntimeException e) {
                // nothing goes unaudited: the stored job never runs
                quietly(() -> jobs.end(caller.scope(), id, 1, ImportJob.Status.FAILED, e.toString(), e.toString()));
                throw e;
            }
            accepted = true;
            queue(caller, com.id(), id, 1);
            return id;
        } finally {
            if (!accepted) {
                local.remove(id);
                delete(stored);
            }
            if (deleteAfter != null && !deleteAfter.equals(stored)) {
                delete(deleteAfter);
            }
        }
    }

    /** The CSV's data rows (a {@link Refusal} for a CSV that is too large, empty, lacks a column or has a huge row). */
    private List<ImportJobRepository.NewRow> rows(byte[] csv) {
        if (csv.length > maxCsvBytes) {
            throw new Refusal(413, "CSV_TOO_LARGE", "import.csvTooLarge", maxCsvBytes / (1024 * 1024));
        }
        List<List<String>> records = Csv.parse(new String(csv, StandardCharsets.UTF_8));
        if (records.isEmpty()) {
            throw new Refusal(400, "CSV_EMPTY", "import.csvEmpty");
        }
        List<String> header = records.get(0).stream().map(String::trim).toList();
        for (String column : COLUMNS) {
            if (header.stream().noneMatch(h -> h.equalsIgnoreCase(column))) {
                throw new Refusal(400, "CSV_HEADER", "import.missingColumn", column, String.join(",", COLUMNS));
            }
        }
        List<ImportJobRepository.NewRow> rows = new ArrayList<>();
        for (int i = 1; i < records.size(); i++) {
            List<String> rec = records.get(i);
            if (rec.stream().allMatch(String::isBlank)) {
                continue;
            }
            Map<String, String> row = new HashMap<>();
            int length = 0;
            for (int col = 0; col < header.size(); col++) {
                String key = canonical(header.get(col));
                String value = col < rec.size() ? rec.get(col).trim() : "";
                row.put(key, value);
                length += key.length() + value.length() + 8;
            }
            int number = i + 1; // spreadsheet row: the header is row 1
            if (length > ImportJobRepository.MAX_FIELDS_CHARS / 2) { // JSON escapes may double it
                throw new Refusal(400, "CSV_ROW_TOO_LONG", "import.rowTooLong", number,
                        ImportJobRepository.MAX_FIELDS_CHARS / 2);
            }
            rows.add(new ImportJobRepository.NewRow(number, row));
        }
        return rows;
    }

    private void queue(Caller caller, String communityId, String id, int attempt) {
        tails.compute(communityId, (k, tail) -> (tail == null ? CompletableFuture.<Void>completedFuture(null) : tail)
                .handle((v, t) -> null).thenRunAsync(() -> run(caller, id, attempt), executor)
                .exceptionally(t -> {
                    if (!(t.getCause() instanceof RejectedExecutionException)) {
                        LOG.error("Import {} could not run", id, t);
                    }
                    local.remove(id, attempt);
                    return null;
                }));
    }

    // ---- resume ------------------------------------------------------------------------------------------------

    /**
     * Resumes an INTERRUPTED job: it is queued again (after its community's other jobs) under a new attempt and goes
     * on with the rows not yet committed. Refused (409) when the job is not interrupted (running, queued, finished,
     * failed — or another resume just won), or when its photo zip is not in this node's import folder or has changed.
     */
    public String resume(Caller caller, String id) throws IOException {
        ensureRecovered();
        ImportJob job = jobs.job(caller.scope(), id).orElseThrow(() -> new NotFoundException("import", id));
        Status status = shown(job);
        if (status != Status.INTERRUPTED) {
            audit.refused(caller.name(), "import.resume.refused", job.communityId(), id, status.name());
            throw new Refusal(409, "IMPORT_NOT_RESUMABLE", "import.notResumable", id, status.name());
        }
        if (job.photos() != null) {
            Path photos = dir.resolve(job.photos());
            if (!Files.isRegularFile(photos)) {
                throw new Refusal(409, "IMPORT_PHOTOS_MISSING", "import.photosMissing", id, job.node());
            }
            if (!sha256(photos).equals(job.photosSha256())) {
                throw new Refusal(409, "IMPORT_PHOTOS_CHANGED", "import.photosChanged", id);
            }
        }
        if (stopping) {
            throw new Refusal(503, "SERVICE_STOPPING", "import.stopping");
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
            audit.refused(caller.name(), "import.resume.refused", job.communityId(), id,
                    "another resume won");
            throw new Refusal(409, "IMPORT_NOT_RESUMABLE", "import.notResumable", id, Status.QUEUED.name());
        }
        audit.record(caller.name(), "import.resume", job.communityId(), id, "attempt " + attempt + ", "
                + job.done() + " of " + job.total() + " rows imported before, " + job.failed() + " failed");
        queue(caller, job.communityId(), id, attempt);
        return id;
    }

    // ---- reading -----------------------------------------------------------------------------------------------

    /** The job with every processed row's result, or empty when there is none in the caller's scope. */
    public Optional<Report> report(Caller caller, String id, Locale locale) {
        return report(caller, id, locale, true);
    }

    /** As {@link #report}, without the rows (for polling). */
    public Optional<Report> progress(Caller caller, String id, Locale locale) {
        return report(caller, id, locale, false);
    }

    private Optional<Report> report(Caller caller, String id, Locale locale, boolean withRows) {
        ensureRecovered();
        Optional<ImportJob> job = jobs.job(caller.scope(), id);
        if (job.isEmpty()) {
            return Optional.empty();
        }
        List<RowResult> results = new ArrayList<>();
        if (withRows) {
            int after = -1;
            while (true) {
                List<ImportRow> page = jobs.rows(caller.scope(), id, PROCESSED, after, PAGE);
                for (ImportRow row : page) {
                    boolean ok = row.status() == ImportRow.Status.DONE;
                    String message = ok ? "" : zh(locale) ? row.messageZh() : row.messageEn();
                    results.add(new RowResult(row.csvRow(), ok, row.code(), message == null ? "" : message,
                            ok ? row.residentId() : null));
                    after = row.seq();
                }
                if (page.size() < PAGE) {
                    break;
                }
            }
        }
        return Optional.of(report(job.get(), locale, results));
    }

    /** The community's jobs (code or id), newest first, without their rows. */
    public List<Report> list(Caller caller, String community, Locale locale, int limit) {
        ensureRecovered();
        Community com = communities.find(caller.scope(), community);
        return jobs.jobs(caller.scope(), com.id(), limit).stream().map(j -> report(j, locale, List.of())).toList();
    }

    private Report report(ImportJob job, Locale locale, List<RowResult> rows) {
        Status status = shown(job);
        int processed = job.done() + job.failed();
        int percent = job.total() == 0 ? (status == Status.FINISHED ? 100 : 0) : processed * 100 / job.total();
        String error = switch (status) {
            case FAILED -> zh(locale) ? job.errorZh() : job.errorEn();
            case INTERRUPTED -> Messages.get(locale, "import.interrupted", job.done(), job.total(), job.failed(),
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
     */
    private Status shown(ImportJob job) {
        Status stored = Status.valueOf(job.status().name());
        if (stored != Status.QUEUED && stored != Status.RUNNING) {
            return stored;
        }
        Integer here = local.get(job.id());
        if (here != null && here == job.attempt() && node.equals(job.node())) {
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

    private static String canonical(String header) {
        for (String c : COLUMNS) {
            if (c.equalsIgnoreCase(header)) {
                return c;
            }
        }
        return FACE_CONSENT.equalsIgnoreCase(header) ? FACE_CONSENT : header;
    }

    // ---- the run -----------------------------------------------------------------------------------------------

    /** One run of a job, under {@code attempt}: goes through the rows not yet committed, in order. */
    private void run(Caller caller, String id, int attempt) {
        Scope scope = caller.scope();
        ImportJob job;
        try {
            if (stopping) {
                jobs.end(scope, id, attempt, ImportJob.Status.INTERRUPTED, null, null);
                local.remove(id, attempt);
                return;
            }
            if (!jobs.start(scope, id, attempt)) {
                LOG.info("Import {} run {} not started: the job is no longer queued for it", id, attempt);
                local.remove(id, attempt);
                return;
            }
            job = jobs.job(scope, id).orElseThrow(() -> new NotFoundException("import", id));
        } catch (RuntimeException e) {
            LOG.warn("Import {} run {} could not start (it shows as interrupted): {}", id, attempt, e.toString());
            local.remove(id, attempt);
            return;
        }
        ImportJob.Status outcome = null;
        Text error = null;
        SafeZip zip = null;
        try {
            if (job.photos() != null) {
                zip = SafeZip.open(dir.resolve(job.photos()), limits);
            }
            Lookup lookup = new Lookup(caller, job.communityId());
            int after = -1;
            while (true) {
                List<ImportRow> page = jobs.rows(scope, id, TO_DO, after, PAGE);
                for (ImportRow row : page) {
                    if (stopping || Thread.currentThread().isInterrupted()) {
                        throw new Stopped();
                    }
                    process(caller, job, attempt, lookup, zip, row);
                    after = row.seq();
                }
                if (page.size() < PAGE) {
                    break;
                }
            }
            outcome = ImportJob.Status.FINISHED;
        } catch (Stopped e) {
            LOG.info("Import {} stopped with the service: interrupted, it can be resumed", id);
            outcome = ImportJob.Status.INTERRUPTED;
        } catch (ImportRunSupersededException e) {
            LOG.warn("Import {} run {} stopped: another run holds the job now", id, attempt);
        } catch (StoreUnavailableException e) {
            LOG.warn("Import {} interrupted: the database is unreachable ({}); resume it when it is back", id,
                    e.toString());
            outcome = ImportJob.Status.INTERRUPTED;
        } catch (RuntimeException | IOException e) {
            LOG.error("Import {} failed", id, e);
            error = l -> Messages.get(l, "import.failed", String.valueOf(e.getMessage()));
            outcome = ImportJob.Status.FAILED;
        } finally {
            try {
                if (zip != null) {
                    zip.close();
                }
            } catch (IOException e) {
                LOG.debug("closing zip", e);
            }
        }
        ImportJob ended = null;
        if (outcome != null) {
            Text why = error;
            try {
                ended = jobs.end(scope, id, attempt, outcome, why == null ? null : why.in(Locale.ENGLISH),
                        why == null ? null : why.in(Locale.SIMPLIFIED_CHINESE)).orElse(null);
            } catch (RuntimeException e) {
                LOG.warn("Import {}: could not record its end ({}); it shows as interrupted", id, e.toString());
            }
        }
        local.remove(id, attempt);
        if (ended != null && ended.status().ended()) {
            if (ended.photos() != null) {
                delete(dir.resolve(ended.photos()));
            }
            String communityId = ended.communityId();
            quietly(() -> jobs.deleteEnded(Scope.all(), communityId, kept));
        }
        ImportJob last = ended != null ? ended : job;
        audit.recordQuietly(caller.name(), ended != null && ended.status().ended() ? "import.finish"
                : "import.interrupted", last.communityId(), id, (ended == null ? "run " + attempt + " stopped"
                : ended.status() + ": " + ended.done() + " imported, " + ended.failed() + " failed, of "
                + ended.total()));
    }

    /**
     * One row. Row failures (bad data, unknown flat, face errors…) are recorded on the row and the run goes on; an
     * unreachable database, a lost job or a failing audit log stop the run.
     */
    private void process(Caller caller, ImportJob job, int attempt, Lookup lookup, SafeZip zip, ImportRow row)
            throws IOException {
        if (row.status() == ImportRow.Status.FACE_PENDING) {
            // its resident is stored (a run was cut off while enrolling the face): never created again
            face(caller, job, attempt, row, row.residentId(), null, zip);
            return;
        }
        ImportJobRepository.Imported imported;
        byte[] image;
        try {
            Map<String, String> f = row.fields() == null ? Map.of() : row.fields();
            for (String required : List.of("building", "flat", "household", "name", "role")) {
                if (f.getOrDefault(required, "").isBlank()) {
                    throw missing(required);
                }
            }
            Unit unit = lookup.flat(f.get("building"), f.get("flat"));
            ResidentRole role = role(f.get("role"));
            boolean faceConsent = yes(f.getOrDefault(FACE_CONSENT, ""));
            String photo = f.getOrDefault("photo", "");
            // validate everything before anything is written
            Instant from = dates.instant("validFrom", f.get("validFrom"), false);
            Instant until = dates.instant("validUntil", f.get("validUntil"), true);
            if (from != null && until != null && !until.isAfter(from)) {
                throw new Refusal(400, "BAD_REQUEST", "lease.endBeforeStart", "validUntil", "validFrom");
            }
            image = null;
            if (!photo.isBlank() && faceConsent) {
                image = photo(zip, photo);
            }
            Household household = lookup.household(unit, f.get("household"));
            ImportJobRepository.NewResident resident = households.importedResident(caller, household,
                    new ResidentInput(f.get("name"), role, null, f.get("phone"), f.get("validFrom"),
                            f.get("validUntil"), Set.of()));
            ImportJobRepository.NewConsent consent = image == null ? null : new ImportJobRepository.NewConsent(
                    Consent.PURPOSE_FACE_ACCESS, noticeVersion, "import", caller.name());
            imported = jobs.importResident(caller.scope(), job.id(), attempt, row.seq(), resident, consent,
                    image != null);
        } catch (StoreUnavailableException | ImportRunSupersededException | Stopped e) {
            throw e;
        } catch (RuntimeException | IOException e) {
            failed(caller, job, attempt, row, e, false);
            return;
        }
        households.residentImported(caller, imported, job.id(), row.csvRow()); // committed: a failing audit stops the run
        if (image != null) {
            face(caller, job, attempt, row, imported.resident().id(), image, zip);
        }
    }

    /**
     * The face of a row whose resident (with app token and consent) is stored: enrolled unless the resident has an
     * active face already (the enrollment of an interrupted run that could not record it), then the row is done. A
     * face that fails fails the row, whose resident is removed in the same transaction.
     */
    private void face(Caller caller, ImportJob job, int attempt, ImportRow row, String residentId, byte[] image,
                      SafeZip zip) throws IOException {
        Optional<Resident> resident = households.presentResident(caller, residentId);
        if (resident.isEmpty()) {
            Text why = l -> Messages.get(l, "import.residentGone", residentId);
            jobs.rowFailed(caller.scope(), job.id(), attempt, row.seq(), "RESIDENT_REMOVED", why.in(Locale.ENGLISH),
                    why.in(Locale.SIMPLIFIED_CHINESE), false);
            return;
        }
        if (!enrolment.hasActiveFace(caller, residentId)) {
            try {
                byte[] photo = image != null ? image : photo(zip, row.fields() == null ? ""
                        : row.fields().getOrDefault("photo", ""));
                enrolment.enrollFace(caller, residentId, photo);
            } catch (StoreUnavailableException | ImportRunSupersededException | Stopped e) {
                throw e;
            } catch (RuntimeException | IOException e) {
                failed(caller, job, attempt, row, e, true);
                households.importedResidentRemoved(caller, job.communityId(), residentId, "import " + job.id()
                        + " row " + row.csvRow() + ": face not enrolled");
                return;
            }
        }
        jobs.faceDone(caller.scope(), job.id(), attempt, row.seq());
    }

    private static byte[] photo(SafeZip zip, String name) throws IOException {
        if (zip == null) {
            throw new Refusal(400, "PHOTO_NOT_FOUND", "import.noZip", name);
        }
        return zip.read(name);
    }

    /** Records a row's failure (and removes its resident with it when {@code removeResident}). */
    private void failed(Caller caller, ImportJob job, int attempt, ImportRow row, Exception e, boolean removeResident) {
        String code;
        Text message;
        if (e instanceof Refusal r) {
            code = r.code();
            message = r::message;
        } else if (e instanceof FaceException fe) {
            code = fe.code().name();
            message = fe::getLocalizedMessage;
        } else if (e instanceof GatehouseException ge) {
            code = ge.code();
            message = l -> ge.getMessage();
        } else if (e instanceof IllegalArgumentException) {
            code = "BAD_REQUEST";
            message = l -> e.getMessage();
        } else {
            LOG.warn("Import {} row {} failed", job.id(), row.csvRow(), e);
            code = "INTERNAL_ERROR";
            message = l -> Messages.get(l, "import.rowInternal", e.toString());
        }
        jobs.rowFailed(caller.scope(), job.id(), attempt, row.seq(), code, message.in(Locale.ENGLISH),
                message.in(Locale.SIMPLIFIED_CHINESE), removeResident);
    }

    /** Buildings, flats and households of the community, read once per run (so a resumed run finds its households). */
    private final class Lookup {
        final Map<String, Building> buildings = new HashMap<>();
        final Map<String, List<Unit>> units = new HashMap<>();
        final Map<String, Household> households = new HashMap<>();
        final Caller caller;

        Lookup(Caller caller, String communityId) {
            this.caller = caller;
            for (Building b : communities.buildings(caller.scope(), communityId)) {
                buildings.put(b.code().toLowerCase(Locale.ROOT), b);
                buildings.putIfAbsent(b.name().toLowerCase(Locale.ROOT), b);
            }
            for (Household h : ImportService.this.households.households(caller, communityId)) {
                households.put(h.unitId() + "\u0000" + h.name(), h);
            }
        }

        Unit flat(String building, String flat) {
            Building b = buildings.get(building.toLowerCase(Locale.ROOT));
            if (b == null) {
                throw new Refusal(400, "UNKNOWN_BUILDING", "import.unknownBuilding", building);
            }
            return units.computeIfAbsent(b.id(), id -> communities.units(caller.scope(), id)).stream()
                    .filter(u -> u.number().equalsIgnoreCase(flat)).findFirst()
                    .orElseThrow(() -> new Refusal(400, "UNKNOWN_FLAT", "import.unknownFlat", flat, building));
        }

        Household household(Unit unit, String name) {
            String key = unit.id() + "\u0000" + name;
            Household h = households.get(key);
            if (h == null) {
                h = ImportService.this.households.createHousehold(caller, unit.id(), name);
                households.put(key, h);
            }
            return h;
        }
    }

    private static Refusal missing(String field) {
        return new Refusal(400, "BAD_REQUEST", "field.required", field);
    }

    static ResidentRole role(String value) {
        String v = value.trim();
        switch (v) {
            case "承租人", "租户", "租客" -> {
                return ResidentRole.TENANT;
            }
            case "业主" -> {
                return ResidentRole.OWNER;
            }
            case "同住人", "家属" -> {
                return ResidentRole.CO_RESIDENT;
            }
            case "工作人员", "物业" -> {
                return ResidentRole.STAFF;
            }
            default -> {
                try {
                    return ResidentRole.valueOf(v.toUpperCase(Locale.ROOT).replace('-', '_').replace(' ', '_'));
                } catch (IllegalArgumentException e) {
                    throw new Refusal(400, "BAD_ROLE", "import.badRole", v);
                }
            }
        }
    }

    static boolean yes(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        return v.equals("yes") || v.equals("y") || v.equals("true") || v.equals("1") || v.equals("是") || v.equals("同意");
    }

    // ---- files -------------------------------------------------------------------------------------------------

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private static Path ownerOnlyDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            if (POSIX) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectories(dir);
            }
        }
        return dir.toAbsolutePath();
    }

    private static FileAttribute<?>[] ownerOnlyFile() {
        return POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rw-------"))} : new FileAttribute<?>[0];
    }

    /** This node's stable name: {@code node-id} in the import folder, created once (a random UUID). */
    private static String nodeId(Path dir) throws IOException {
        Path file = dir.resolve("node-id");
        if (Files.isRegularFile(file)) {
            String id = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (!id.isEmpty()) {
                return id;
            }
        }
        String id = UUID.randomUUID().toString();
        Path tmp = dir.resolve("node-id.tmp");
        Files.deleteIfExists(tmp);
        write(tmp, id.getBytes(StandardCharsets.UTF_8));
        move(tmp, file);
        return id;
    }

    /**
     * Copies {@code source} to {@code target} so that it survives a crash once this returns: written to a temporary
     * file (owner-only), forced to disk, renamed, the folder forced. Returns the SHA-256 (hex) of what was written.
     */
    static String copyDurably(Path source, Path target) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        MessageDigest digest = sha256();
        try (InputStream in = Files.newInputStream(source);
             FileChannel out = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                     ownerOnlyFile())) {
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
                ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
                while (chunk.hasRemaining()) {
                    out.write(chunk);
                }
            }
            out.force(true);
        } catch (IOException | RuntimeException e) {
            delete(tmp);
            throw e;
        }
        move(tmp, target);
        return HexFormat.of().formatHex(digest.digest());
    }

    private static void write(Path file, byte[] bytes) throws IOException {
        try (FileChannel out = FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                ownerOnlyFile())) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
            out.force(true);
        }
    }

    private static void move(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        try (FileChannel folder = FileChannel.open(target.getParent(), StandardOpenOption.READ)) {
            folder.force(true); // the rename itself survives a crash
        } catch (IOException e) {
            LOG.debug("cannot force folder {} ({}); the file itself is on disk", target.getParent(), e.toString());
        }
    }

    static String sha256(Path file) throws IOException {
        MessageDigest digest = sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void delete(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                LOG.warn("Could not delete {}", p);
            }
        }
    }

    private static void quietly(Runnable work) {
        try {
            work.run();
        } catch (RuntimeException e) {
            LOG.warn("Import bookkeeping failed: {}", e.toString());
        }
    }
}

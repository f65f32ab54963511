package org.gatehouse.whitelist.internal.imports;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.gatehouse.api.model.Building;
import org.gatehouse.api.model.Community;
import org.gatehouse.api.model.Consent;
import org.gatehouse.api.model.Household;
import org.gatehouse.api.model.ResidentRole;
import org.gatehouse.api.model.Unit;
import org.gatehouse.api.service.CommunityRepository;
import org.gatehouse.api.service.GatehouseException;
import org.gatehouse.core.api.Caller;
import org.gatehouse.recognition.api.FaceException;
import org.gatehouse.whitelist.internal.Messages;
import org.gatehouse.whitelist.internal.Refusal;
import org.gatehouse.whitelist.internal.WhitelistConfig;
import org.gatehouse.whitelist.internal.WhitelistManager;
import org.gatehouse.whitelist.internal.WhitelistManager.NewResident;
import org.gatehouse.whitelist.internal.WhitelistManager.ResidentInput;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bulk import of residents from a CSV (and a zip of photos), in the background: one job at a time per
 * community, every row its own unit (resident + app token, + consent and face when the row says
 * {@code faceConsent=yes} and names a photo); a failed row is reported and never stops the others.
 */
@Component(service = ImportService.class, configurationPid = WhitelistConfig.PID)
public class ImportService {
    private static final Logger LOG = LoggerFactory.getLogger(ImportService.class);
    /** Required header columns; {@code faceConsent} is optional. */
    public static final List<String> COLUMNS = List.of("building", "flat", "household", "name", "role", "phone",
            "validFrom", "validUntil", "photo");
    public static final String FACE_CONSENT = "faceConsent";

    public enum Status { QUEUED, RUNNING, FINISHED, FAILED }

    public record RowResult(int row, boolean ok, String code, String message, String residentId) {
    }

    public record Report(String id, String communityId, Status status, int total, int done, int failed, int percent,
                         String error, List<RowResult> rows, Instant submittedAt, Instant finishedAt) {
        public boolean finished() {
            return status == Status.FINISHED || status == Status.FAILED;
        }
    }

    /** A message to show later in whichever language the reader asks for. */
    interface Text {
        String in(Locale locale);
    }

    record Outcome(int row, boolean ok, String code, Text message, String residentId) {
    }

    final class Job {
        final String id = UUID.randomUUID().toString();
        final Caller caller;
        final String communityId;
        final List<Map<String, String>> rows;
        final List<Integer> rowNumbers;
        final SafeZip zip;
        final Path deleteAfter;
        final Instant submittedAt = Instant.now();
        final AtomicInteger done = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        final List<Outcome> outcomes = Collections.synchronizedList(new ArrayList<>());
        volatile Status status = Status.QUEUED;
        volatile Text error;
        volatile Instant finishedAt;

        Job(Caller caller, String communityId, List<Map<String, String>> rows, List<Integer> rowNumbers, SafeZip zip,
            Path deleteAfter) {
            this.caller = caller;
            this.communityId = communityId;
            this.rows = rows;
            this.rowNumbers = rowNumbers;
            this.zip = zip;
            this.deleteAfter = deleteAfter;
        }

        Report report(Locale locale) {
            int total = rows.size();
            int processed = done.get() + failed.get();
            int percent = total == 0 ? (status == Status.FINISHED ? 100 : 0) : processed * 100 / total;
            List<RowResult> results;
            synchronized (outcomes) {
                results = outcomes.stream().map(o -> new RowResult(o.row(), o.ok(), o.code(),
                        o.message() == null ? "" : o.message().in(locale), o.residentId())).toList();
            }
            return new Report(id, communityId, status, total, done.get(), failed.get(), percent,
                    error == null ? null : error.in(locale), results, submittedAt, finishedAt);
        }
    }

    private final WhitelistManager whitelist;
    private final CommunityRepository communities;
    private final SafeZip.Limits limits;
    private final int maxCsvBytes;
    private final int kept;
    private final String noticeVersion;
    private final ExecutorService executor;
    private final Map<String, CompletableFuture<Void>> tails = new ConcurrentHashMap<>();
    private final Map<String, Job> jobs = Collections.synchronizedMap(new LinkedHashMap<>());

    @Activate
    public ImportService(@Reference WhitelistManager whitelist, @Reference CommunityRepository communities,
                         WhitelistConfig config) {
        this(whitelist, communities, new SafeZip.Limits(config.importMaxZipBytes(), config.importMaxEntryBytes(),
                config.importMaxTotalBytes(), config.importMaxEntries()), config.importMaxCsvBytes(),
                config.importsKept(), config.importNoticeVersion());
    }

    public ImportService(WhitelistManager whitelist, CommunityRepository communities, SafeZip.Limits limits,
                         int maxCsvBytes, int kept, String noticeVersion) {
        this.whitelist = whitelist;
        this.communities = communities;
        this.limits = limits;
        this.maxCsvBytes = maxCsvBytes;
        this.kept = Math.max(1, kept);
        this.noticeVersion = noticeVersion;
        this.executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "gatehouse-whitelist-import");
            t.setDaemon(true);
            return t;
        });
    }

    @Deactivate
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public SafeZip.Limits limits() {
        return limits;
    }

    public int maxCsvBytes() {
        return maxCsvBytes;
    }

    /**
     * Checks the CSV header and the zip now (a {@link Refusal} for what is wrong with them) and queues the job.
     *
     * @param zip         the photo zip or null
     * @param deleteAfter a temporary file to delete when the job ends (or null)
     * @return the import id
     */
    public String submit(Caller caller, String community, byte[] csv, Path zip, Path deleteAfter) throws IOException {
        try {
            Community com = communities.find(caller.scope(), community);
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
            List<Map<String, String>> rows = new ArrayList<>();
            List<Integer> numbers = new ArrayList<>();
            for (int i = 1; i < records.size(); i++) {
                List<String> rec = records.get(i);
                if (rec.stream().allMatch(String::isBlank)) {
                    continue;
                }
                Map<String, String> row = new HashMap<>();
                for (int col = 0; col < header.size(); col++) {
                    String key = canonical(header.get(col));
                    row.put(key, col < rec.size() ? rec.get(col).trim() : "");
                }
                rows.add(row);
                numbers.add(i + 1); // spreadsheet row: the header is row 1
            }
            SafeZip photos = zip == null ? null : SafeZip.open(zip, limits);
            Job job = new Job(caller, com.id(), rows, numbers, photos, deleteAfter);
            remember(job);
            whitelist.audit().record(caller.name(), "import.start", com.id(), job.id, rows.size() + " rows"
                    + (photos == null ? "" : ", with photos"));
            tails.compute(com.id(), (k, tail) -> (tail == null ? CompletableFuture.<Void>completedFuture(null) : tail)
                    .handle((v, t) -> null).thenRunAsync(() -> run(job), executor));
            return job.id;
        } catch (RuntimeException | IOException e) {
            delete(deleteAfter);
            throw e;
        }
    }

    private void remember(Job job) {
        synchronized (jobs) {
            jobs.put(job.id, job);
            var it = jobs.entrySet().iterator();
            while (jobs.size() > kept && it.hasNext()) {
                Job old = it.next().getValue();
                if (old.status == Status.FINISHED || old.status == Status.FAILED) {
                    it.remove();
                } else {
                    break;
                }
            }
        }
    }

    public Optional<Report> report(Caller caller, String id, Locale locale) {
        Job job = jobs.get(id);
        if (job == null || !caller.scope().allows(job.communityId)) {
            return Optional.empty();
        }
        return Optional.of(job.report(locale));
    }

    private static String canonical(String header) {
        for (String c : COLUMNS) {
            if (c.equalsIgnoreCase(header)) {
                return c;
            }
        }
        return FACE_CONSENT.equalsIgnoreCase(header) ? FACE_CONSENT : header;
    }

    // ---- the job ---------------------------------------------------------------------------------------------

    private void run(Job job) {
        job.status = Status.RUNNING;
        try {
            Lookup lookup = new Lookup(job);
            for (int i = 0; i < job.rows.size(); i++) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new IllegalStateException("import stopped");
                }
                int rowNo = job.rowNumbers.get(i);
                try {
                    String residentId = row(job, lookup, job.rows.get(i));
                    job.outcomes.add(new Outcome(rowNo, true, "OK", null, residentId));
                    job.done.incrementAndGet();
                } catch (Refusal e) {
                    fail(job, rowNo, e.code(), e::message);
                } catch (FaceException e) {
                    fail(job, rowNo, e.code().name(), e::getLocalizedMessage);
                } catch (GatehouseException e) {
                    fail(job, rowNo, e.code(), l -> e.getMessage());
                } catch (IllegalArgumentException e) {
                    fail(job, rowNo, "BAD_REQUEST", l -> e.getMessage());
                } catch (RuntimeException | IOException e) {
                    LOG.warn("Import {} row {} failed", job.id, rowNo, e);
                    fail(job, rowNo, "INTERNAL_ERROR", l -> Messages.get(l, "import.rowInternal", e.toString()));
                }
            }
            job.status = Status.FINISHED;
        } catch (RuntimeException e) {
            LOG.error("Import {} failed", job.id, e);
            job.error = l -> Messages.get(l, "import.failed", e.getMessage());
            job.status = Status.FAILED;
        } finally {
            job.finishedAt = Instant.now();
            try {
                if (job.zip != null) {
                    job.zip.close();
                }
            } catch (IOException e) {
                LOG.debug("closing zip", e);
            }
            delete(job.deleteAfter);
            try {
                whitelist.audit().record(job.caller.name(), "import.finish", job.communityId, job.id,
                        job.done.get() + " imported, " + job.failed.get() + " failed");
            } catch (RuntimeException e) {
                LOG.error("Could not audit the end of import {}", job.id, e);
            }
        }
    }

    private static void fail(Job job, int rowNo, String code, Text message) {
        job.outcomes.add(new Outcome(rowNo, false, code, message, null));
        job.failed.incrementAndGet();
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

    /** Buildings, flats and households of the community, read once per job. */
    private final class Lookup {
        final Map<String, Building> buildings = new HashMap<>();
        final Map<String, List<Unit>> units = new HashMap<>();
        final Map<String, Household> households = new HashMap<>();
        final Job job;

        Lookup(Job job) {
            this.job = job;
            for (Building b : communities.buildings(job.caller.scope(), job.communityId)) {
                buildings.put(b.code().toLowerCase(Locale.ROOT), b);
                buildings.putIfAbsent(b.name().toLowerCase(Locale.ROOT), b);
            }
            for (Household h : whitelist.households(job.caller, job.communityId)) {
                households.put(h.unitId() + "\u0000" + h.name(), h);
            }
        }

        Unit flat(String building, String flat) {
            Building b = buildings.get(building.toLowerCase(Locale.ROOT));
            if (b == null) {
                throw new Refusal(400, "UNKNOWN_BUILDING", "import.unknownBuilding", building);
            }
            return units.computeIfAbsent(b.id(), id -> communities.units(job.caller.scope(), id)).stream()
                    .filter(u -> u.number().equalsIgnoreCase(flat)).findFirst()
                    .orElseThrow(() -> new Refusal(400, "UNKNOWN_FLAT", "import.unknownFlat", flat, building));
        }

        Household household(Unit unit, String name) {
            String key = unit.id() + "\u0000" + name;
            Household h = households.get(key);
            if (h == null) {
                h = whitelist.createHousehold(job.caller, unit.id(), name);
                households.put(key, h);
            }
            return h;
        }
    }

    /** One row: all of it or nothing of it. Returns the new resident's id. */
    private String row(Job job, Lookup lookup, Map<String, String> f) throws IOException {
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
        Instant from = whitelist.instant("validFrom", f.get("validFrom"), false);
        Instant until = whitelist.instant("validUntil", f.get("validUntil"), true);
        if (from != null && until != null && !until.isAfter(from)) {
            throw new Refusal(400, "BAD_REQUEST", "lease.endBeforeStart", "validUntil", "validFrom");
        }
        byte[] image = null;
        if (!photo.isBlank() && faceConsent) {
            if (job.zip == null) {
                throw new Refusal(400, "PHOTO_NOT_FOUND", "import.noZip", photo);
            }
            image = job.zip.read(photo);
        }
        Household household = lookup.household(unit, f.get("household"));
        NewResident created = whitelist.addResident(job.caller, household.id(), new ResidentInput(f.get("name"), role,
                null, f.get("phone"), f.get("validFrom"), f.get("validUntil"), Set.of()));
        String residentId = created.resident().id();
        if (image != null) {
            try {
                whitelist.giveConsent(job.caller, residentId, Consent.PURPOSE_FACE_ACCESS, noticeVersion, "import");
                whitelist.enrollFace(job.caller, residentId, image);
            } catch (RuntimeException e) {
                try {
                    whitelist.removeResident(job.caller, residentId); // the row is one unit
                } catch (RuntimeException again) {
                    LOG.error("Import {}: could not roll back resident {}", job.id, residentId, again);
                }
                throw e;
            }
        }
        return residentId;
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
}

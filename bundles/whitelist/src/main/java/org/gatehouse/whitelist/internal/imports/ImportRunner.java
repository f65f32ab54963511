package org.gatehouse.whitelist.internal.imports;

import static org.gatehouse.whitelist.internal.Messages.MESSAGES;

import java.io.IOException;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;

import org.gatehouse.api.model.Consent;
import org.gatehouse.api.model.ImportJob;
import org.gatehouse.api.model.ImportRow;
import org.gatehouse.api.model.Resident;
import org.gatehouse.api.service.CommunityRepository;
import org.gatehouse.api.service.GatehouseException;
import org.gatehouse.api.service.ImportJobRepository;
import org.gatehouse.api.service.ImportJobRepository.RowWarning;
import org.gatehouse.api.service.ImportRunSupersededException;
import org.gatehouse.api.service.NotFoundException;
import org.gatehouse.api.service.Scope;
import org.gatehouse.api.service.StoreUnavailableException;
import org.gatehouse.core.api.AuditTrail;
import org.gatehouse.core.api.Caller;
import org.gatehouse.recognition.api.FaceException;
import org.gatehouse.whitelist.internal.Enrolment;
import org.gatehouse.whitelist.internal.Households;
import org.gatehouse.whitelist.internal.imports.RowCheck.CheckedRow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.gatehouse.core.api.Refusal;

/**
 * Runs import jobs: each run, under its {@code attempt}, goes through the rows not yet committed, in order. Each row's
 * outcome is committed with the resident it creates ({@link ImportJobRepository#importResident}); a row with a face is
 * stored {@code FACE_PENDING} with its resident, then marked done once the face is enrolled — and its second photo,
 * if it names one, enrolled or the reason it was not kept as a warning — (or failed, its resident removed in the same
 * transaction). Row failures are recorded on the row and the run goes on; an unreachable database,
 * a lost job, a failing audit log or the service stopping end the run.
 */
final class ImportRunner {
    private static final Logger LOG = LoggerFactory.getLogger(ImportRunner.class);
    /** Rows read from the store at a time. */
    static final int PAGE = 500;
    private static final Set<ImportRow.Status> TO_DO = EnumSet.of(ImportRow.Status.PENDING,
            ImportRow.Status.FACE_PENDING);

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
    private final CommunityRepository communities;
    private final ImportJobRepository jobs;
    private final RowCheck rowCheck;
    private final ImportFolder folder;
    private final SafeZip.Limits limits;
    private final int kept;
    private final String noticeVersion;
    private final AuditTrail audit;
    private final BooleanSupplier stopping;
    /** Called when a run ends (or never started), with the job id and the attempt. */
    private final BiConsumer<String, Integer> ended;

    ImportRunner(Households households, Enrolment enrolment, CommunityRepository communities,
                 ImportJobRepository jobs, RowCheck rowCheck, ImportFolder folder, SafeZip.Limits limits, int kept,
                 String noticeVersion, AuditTrail audit, BooleanSupplier stopping, BiConsumer<String, Integer> ended) {
        this.households = households;
        this.enrolment = enrolment;
        this.communities = communities;
        this.jobs = jobs;
        this.rowCheck = rowCheck;
        this.folder = folder;
        this.limits = limits;
        this.kept = kept;
        this.noticeVersion = noticeVersion;
        this.audit = audit;
        this.stopping = stopping;
        this.ended = ended;
    }

    /** One run of a job, under {@code attempt}: goes through the rows not yet committed, in order. */
    void run(Caller caller, String id, int attempt) {
        Scope scope = caller.scope();
        ImportJob job;
        try {
            if (stopping.getAsBoolean()) {
                jobs.end(scope, id, attempt, ImportJob.Status.INTERRUPTED, null, null);
                ended.accept(id, attempt);
                return;
            }
            if (!jobs.start(scope, id, attempt)) {
                LOG.info("Import {} run {} not started: the job is no longer queued for it", id, attempt);
                ended.accept(id, attempt);
                return;
            }
            job = jobs.job(scope, id).orElseThrow(() -> new NotFoundException("import", id));
        } catch (RuntimeException e) {
            LOG.warn("Import {} run {} could not start (it shows as interrupted): {}", id, attempt, e.toString());
            ended.accept(id, attempt);
            return;
        }
        ImportJob.Status outcome = null;
        Text error = null;
        SafeZip zip = null;
        try {
            if (job.photos() != null) {
                zip = SafeZip.open(folder.resolve(job.photos()), limits);
            }
            CommunityLookup lookup = new CommunityLookup(communities, households, caller, job.communityId());
            int after = -1;
            while (true) {
                List<ImportRow> page = jobs.rows(scope, id, TO_DO, after, PAGE);
                for (ImportRow row : page) {
                    if (stopping.getAsBoolean() || Thread.currentThread().isInterrupted()) {
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
            error = l -> MESSAGES.get(l, "import.failed", String.valueOf(e.getMessage()));
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
        finish(caller, job, attempt, outcome, error);
    }

    /** Records how the run ended; an ended job loses its zip, and the community's oldest ended jobs go. */
    private void finish(Caller caller, ImportJob job, int attempt, ImportJob.Status outcome, Text error) {
        String id = job.id();
        ImportJob endedJob = null;
        if (outcome != null) {
            try {
                endedJob = jobs.end(caller.scope(), id, attempt, outcome, error == null ? null
                        : error.in(Locale.ENGLISH), error == null ? null : error.in(Locale.SIMPLIFIED_CHINESE))
                        .orElse(null);
            } catch (RuntimeException e) {
                LOG.warn("Import {}: could not record its end ({}); it shows as interrupted", id, e.toString());
            }
        }
        ended.accept(id, attempt);
        if (endedJob != null && endedJob.status().ended()) {
            if (endedJob.photos() != null) {
                ImportFolder.delete(folder.resolve(endedJob.photos()));
            }
            String communityId = endedJob.communityId();
            quietly(() -> jobs.deleteEnded(Scope.all(), communityId, kept));
        }
        ImportJob last = endedJob != null ? endedJob : job;
        audit.recordQuietly(caller.name(), endedJob != null && endedJob.status().ended() ? "import.finish"
                : "import.interrupted", last.communityId(), id, (endedJob == null ? "run " + attempt + " stopped"
                : endedJob.status() + ": " + endedJob.done() + " imported, " + endedJob.failed() + " failed, of "
                + endedJob.total()));
    }

    /**
     * One row. Row failures (bad data, unknown flat, face errors…) are recorded on the row and the run goes on; an
     * unreachable database, a lost job or a failing audit log stop the run.
     */
    private void process(Caller caller, ImportJob job, int attempt, CommunityLookup lookup, SafeZip zip,
                         ImportRow row) throws IOException {
        if (row.fields() == null) {
            erased(caller, job, attempt, row);
            return;
        }
        if (row.status() == ImportRow.Status.FACE_PENDING) {
            // its resident is stored (a run was cut off while enrolling the face): never created again
            face(caller, job, attempt, row, row.residentId(), null, zip);
            return;
        }
        ImportJobRepository.Imported imported;
        byte[] image;
        try {
            CheckedRow checked = rowCheck.check(row.fields(), lookup, zip);
            image = checked.image();
            ImportJobRepository.NewResident resident = households.importedResident(caller, checked.household(),
                    checked.input());
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
     * A row still to do without its fields: the store keeps a running or interrupted job's fields, except those of the
     * rows whose resident was erased meanwhile ({@code SubjectDataRepository.eraseResident}). Such a row is skipped —
     * marked failed {@code RESIDENT_ERASED}, its resident neither created again nor given a face — so an erasure is
     * not undone by resuming the import that named the person.
     */
    private void erased(Caller caller, ImportJob job, int attempt, ImportRow row) {
        String who = row.residentId() == null ? "-" : row.residentId();
        Text why = l -> MESSAGES.get(l, "import.residentErased", who);
        LOG.info("Import {} row {}: its resident {} was erased, the row is skipped", job.id(), row.csvRow(), who);
        jobs.rowFailed(caller.scope(), job.id(), attempt, row.seq(), "RESIDENT_ERASED", why.in(Locale.ENGLISH),
                why.in(Locale.SIMPLIFIED_CHINESE), false);
    }

    /**
     * The face of a row whose resident (with app token and consent) is stored, then the row is done. The photos are
     * enrolled in a fixed order, {@code photo} then {@code photo2}, so the resident's face templates say which are in
     * (the resident is the row's own: 0 none, 1 the first, 2 both) and a resumed row enrolls only what the interrupted
     * run had not: no photo twice. A first photo that fails fails the row, whose resident is removed in the same
     * transaction (a second photo never stands in for it: with nothing stored about which photo a template came from,
     * a resume could not tell); a second photo that fails is a warning on the row, which succeeds with one face.
     */
    private void face(Caller caller, ImportJob job, int attempt, ImportRow row, String residentId, byte[] image,
                      SafeZip zip) throws IOException {
        Optional<Resident> resident = households.presentResident(caller, residentId);
        if (resident.isEmpty()) {
            Text why = l -> MESSAGES.get(l, "import.residentGone", residentId);
            jobs.rowFailed(caller.scope(), job.id(), attempt, row.seq(), "RESIDENT_REMOVED", why.in(Locale.ENGLISH),
                    why.in(Locale.SIMPLIFIED_CHINESE), false);
            return;
        }
        Map<String, String> fields = row.fields() == null ? Map.of() : row.fields();
        int faces = enrolment.faceTemplates(caller, residentId);
        if (faces == 0) {
            try {
                byte[] photo = image != null ? image : RowCheck.photo(zip, fields.getOrDefault("photo", ""));
                faces = enrolment.enrollFace(caller, residentId, photo).faceTemplates();
            } catch (StoreUnavailableException | ImportRunSupersededException | Stopped e) {
                throw e;
            } catch (RuntimeException | IOException e) {
                failed(caller, job, attempt, row, e, true);
                households.importedResidentRemoved(caller, job.communityId(), residentId, "import " + job.id()
                        + " row " + row.csvRow() + ": face not enrolled");
                return;
            }
        }
        String second = fields.getOrDefault(ImportService.PHOTO2, "");
        RowWarning warning = null;
        if (faces == 1 && !second.isBlank()) {
            warning = secondPhoto(caller, job, row, residentId, fields.getOrDefault("photo", ""), second, zip);
        }
        jobs.faceDone(caller.scope(), job.id(), attempt, row.seq(), warning);
    }

    /**
     * The row's second photo: enrolled (null), or the reason it was not, the row's warning — stored with the row's
     * outcome by {@link ImportJobRepository#faceDone}. A run cut off before that enrolls it again or finds the same
     * reason: the resident's face count still says the second photo is not in.
     */
    private RowWarning secondPhoto(Caller caller, ImportJob job, ImportRow row, String residentId, String first,
                                   String second, SafeZip zip) {
        if (second.equals(first)) {
            return warning("PHOTO2_SAME", l -> MESSAGES.get(l, "import.photo2Same", second, residentId));
        }
        try {
            enrolment.enrollFace(caller, residentId, RowCheck.photo(zip, second));
            return null;
        } catch (StoreUnavailableException | ImportRunSupersededException | Stopped e) {
            throw e;
        } catch (RuntimeException | IOException e) {
            Outcome why = outcome(job, row, e);
            LOG.info("Import {} row {}: second photo not enrolled ({}), the row is imported with one face", job.id(),
                    row.csvRow(), why.code());
            return warning(why.code(), l -> MESSAGES.get(l, "import.photo2Refused", second, why.code(),
                    why.message().in(l), residentId));
        }
    }

    private static RowWarning warning(String code, Text message) {
        return new RowWarning(code, message.in(Locale.ENGLISH), message.in(Locale.SIMPLIFIED_CHINESE));
    }

    /** Records a row's failure (and removes its resident with it when {@code removeResident}). */
    private void failed(Caller caller, ImportJob job, int attempt, ImportRow row, Exception e, boolean removeResident) {
        Outcome why = outcome(job, row, e);
        jobs.rowFailed(caller.scope(), job.id(), attempt, row.seq(), why.code(), why.message().in(Locale.ENGLISH),
                why.message().in(Locale.SIMPLIFIED_CHINESE), removeResident);
    }

    /** What went wrong with a row (or its second photo): a stable code and a message in either language. */
    private record Outcome(String code, Text message) {
    }

    private static Outcome outcome(ImportJob job, ImportRow row, Exception e) {
        if (e instanceof Refusal r) {
            return new Outcome(r.code(), r::message);
        } else if (e instanceof FaceException fe) {
            return new Outcome(fe.code().name(), fe::getLocalizedMessage);
        } else if (e instanceof GatehouseException ge) {
            return new Outcome(ge.code(), l -> ge.getMessage());
        } else if (e instanceof IllegalArgumentException) {
            return new Outcome("BAD_REQUEST", l -> e.getMessage());
        }
        LOG.warn("Import {} row {} failed", job.id(), row.csvRow(), e);
        return new Outcome("INTERNAL_ERROR", l -> MESSAGES.get(l, "import.rowInternal", e.toString()));
    }

    /** Bookkeeping that may fail without harm (logged). */
    static void quietly(Runnable work) {
        try {
            work.run();
        } catch (RuntimeException e) {
            LOG.warn("Import bookkeeping failed: {}", e.toString());
        }
    }
}

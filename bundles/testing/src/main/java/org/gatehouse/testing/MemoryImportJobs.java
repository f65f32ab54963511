package org.gatehouse.testing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.gatehouse.api.model.Consent;
import org.gatehouse.api.model.Credential;
import org.gatehouse.api.model.CredentialKind;
import org.gatehouse.api.model.Household;
import org.gatehouse.api.model.ImportJob;
import org.gatehouse.api.model.ImportRow;
import org.gatehouse.api.model.Resident;
import org.gatehouse.api.service.ConflictException;
import org.gatehouse.api.service.ImportJobRepository;
import org.gatehouse.api.service.ImportRunSupersededException;
import org.gatehouse.api.service.NotFoundException;
import org.gatehouse.api.service.Scope;
import org.gatehouse.api.service.StoreUnavailableException;

/**
 * Import jobs and their rows, like the store: a row's resident (with app token and consent) and its outcome are
 * written in one step or not at all, every row write is refused ({@link ImportRunSupersededException}) unless the
 * job is RUNNING under the writer's attempt, {@link #requeue} is a compare-and-set on the attempt, an ended job
 * forgets its rows' fields (a DONE row keeps its warning, as in the store). For crash tests: {@link #down} makes
 * every call fail like an unreachable database, and {@link #crashAfterRowWrites} sets it by itself after a number of
 * row writes (a node dying in the middle of an import); {@link #beforeRowWrite} runs before every row write (to pause
 * a run there).
 */
public class MemoryImportJobs implements ImportJobRepository {
    public final MemoryHouseholds households;
    public final MemoryCredentials credentials;
    public final MemoryConsents consents;
    private final Map<String, ImportJob> jobs = new ConcurrentHashMap<>();
    private final Map<String, java.util.TreeMap<Integer, ImportRow>> rows = new ConcurrentHashMap<>();
    /** While set, every call throws {@link StoreUnavailableException} and changes nothing. */
    public volatile boolean down;
    /** Row writes still allowed before {@link #down} is set by itself; negative = no limit. */
    public final java.util.concurrent.atomic.AtomicInteger rowWritesLeft =
            new java.util.concurrent.atomic.AtomicInteger(-1);
    /** Runs before every row write (importResident, rowFailed, faceDone), outside the lock. */
    public volatile Runnable beforeRowWrite = () -> { };

    public MemoryImportJobs(MemoryHouseholds households, MemoryCredentials credentials, MemoryConsents consents) {
        this.households = households;
        this.credentials = credentials;
        this.consents = consents;
    }

    /** The node "dies" when a row write comes after {@code n} more: it and everything after it fail. */
    public void crashAfterRowWrites(int n) {
        rowWritesLeft.set(n);
    }

    /** The database is back (and no crash is planned any more). */
    public void heal() {
        rowWritesLeft.set(-1);
        down = false;
    }

    private void up() {
        if (down) {
            throw new StoreUnavailableException("database unavailable (test)", null);
        }
    }

    private void rowWrite() {
        beforeRowWrite.run();
        up();
        if (rowWritesLeft.get() == 0) {
            down = true;
            up();
        }
    }

    private void rowWritten() {
        rowWritesLeft.getAndUpdate(n -> n > 0 ? n - 1 : n);
    }

    private ImportJob require(Scope scope, String id) {
        return Optional.ofNullable(id == null ? null : jobs.get(id)).filter(j -> scope.allows(j.communityId()))
                .orElseThrow(() -> new NotFoundException("import", String.valueOf(id)));
    }

    @Override
    public synchronized ImportJob create(Scope scope, NewJob job, List<NewRow> newRows) {
        up();
        scope.check(job.communityId());
        households.communities.community(scope, job.communityId())
                .orElseThrow(() -> new NotFoundException("community", job.communityId()));
        if (jobs.containsKey(job.id())) {
            throw new ConflictException("duplicate import id");
        }
        if ((job.photos() == null) != (job.photosSha256() == null)) {
            throw new IllegalArgumentException("photos and photosSha256 go together");
        }
        java.util.TreeMap<Integer, ImportRow> list = new java.util.TreeMap<>();
        for (int seq = 0; seq < newRows.size(); seq++) {
            NewRow r = newRows.get(seq);
            if (MemoryServices.json(r.fields()).length() > MAX_FIELDS_CHARS) {
                throw new IllegalArgumentException("row " + r.csvRow() + ": its fields are longer than "
                        + MAX_FIELDS_CHARS + " characters");
            }
            list.put(seq, new ImportRow(job.id(), seq, r.csvRow(), r.fields(), ImportRow.Status.PENDING, null,
                    null, null, null, null));
        }
        Instant now = Instant.now();
        ImportJob created = new ImportJob(job.id(), job.communityId(), job.submittedBy(), now,
                ImportJob.Status.QUEUED, newRows.size(), 0, 0, 0, 1, job.node(), job.photos(), job.photosSha256(),
                now, null, null, null);
        rows.put(job.id(), list);
        jobs.put(job.id(), created);
        return created;
    }

    @Override
    public Optional<ImportJob> job(Scope scope, String id) {
        up();
        return Optional.ofNullable(id == null ? null : jobs.get(id)).filter(j -> scope.allows(j.communityId()));
    }

    @Override
    public List<ImportJob> jobs(Scope scope, String communityId, int limit) {
        up();
        scope.check(communityId);
        return jobs.values().stream().filter(j -> j.communityId().equals(communityId))
                .sorted(java.util.Comparator.comparing(ImportJob::submittedAt).thenComparing(ImportJob::id)
                        .reversed()).limit(limit).toList();
    }

    @Override
    public List<ImportRow> rows(Scope scope, String jobId, Set<ImportRow.Status> statuses, int afterSeq,
                                int limit) {
        up();
        require(scope, jobId);
        synchronized (this) {
            return rows.get(jobId).tailMap(afterSeq, false).values().stream()
                    .filter(r -> statuses == null || statuses.isEmpty() || statuses.contains(r.status()))
                    .limit(limit).toList();
        }
    }

    @Override
    public synchronized boolean start(Scope scope, String jobId, int attempt) {
        up();
        ImportJob j = require(scope, jobId);
        if (j.status() != ImportJob.Status.QUEUED || j.attempt() != attempt) {
            return false;
        }
        jobs.put(jobId, with(j, ImportJob.Status.RUNNING, j.attempt(), j.node()));
        return true;
    }

    @Override
    public synchronized boolean requeue(Scope scope, String jobId, int expectedAttempt, String node) {
        up();
        ImportJob j = require(scope, jobId);
        if (j.status().ended() || j.attempt() != expectedAttempt) {
            return false;
        }
        jobs.put(jobId, with(j, ImportJob.Status.QUEUED, j.attempt() + 1, node));
        return true;
    }

    @Override
    public synchronized List<ImportJob> interruptNode(String node) {
        up();
        List<ImportJob> interrupted = new ArrayList<>();
        for (ImportJob j : List.copyOf(jobs.values())) {
            if (j.node().equals(node) && (j.status() == ImportJob.Status.QUEUED
                    || j.status() == ImportJob.Status.RUNNING)) {
                ImportJob now = with(j, ImportJob.Status.INTERRUPTED, j.attempt(), j.node());
                jobs.put(j.id(), now);
                interrupted.add(now);
            }
        }
        return interrupted;
    }

    @Override
    public Imported importResident(Scope scope, String jobId, int attempt, int seq, NewResident resident,
                                   NewConsent consent, boolean faceFollows) {
        rowWrite();
        synchronized (this) {
            up();
            ImportJob j = held(scope, jobId, attempt);
            ImportRow row = row(j, seq, ImportRow.Status.PENDING);
            Household h = households.household(scope, resident.householdId())
                    .filter(x -> x.communityId().equals(j.communityId()))
                    .orElseThrow(() -> new NotFoundException("household", resident.householdId()));
            if (credentials.active(scope, h.communityId(), CredentialKind.APP_TOKEN,
                    resident.appTokenReference()).isPresent()) {
                throw new ConflictException("an active APP_TOKEN credential with this reference already exists");
            }
            // every check is done: what follows cannot fail, so the row and its resident are written together
            Resident r = households.addResident(scope, h.id(), resident.name(), resident.role(),
                    resident.birthDate(), resident.phone(), resident.validFrom(), resident.validUntil(),
                    resident.careFlags());
            Credential token = credentials.issue(scope, r.id(), CredentialKind.APP_TOKEN,
                    resident.appTokenReference());
            Consent given = consent == null ? null : consents.give(scope, r.id(), consent.purpose(),
                    consent.noticeVersion(), consent.channel(), consent.recordedBy());
            ImportRow marked = mark(j, row, faceFollows ? ImportRow.Status.FACE_PENDING : ImportRow.Status.DONE,
                    r.id(), "OK", null, null, null, faceFollows ? 0 : 1, 0);
            rowWritten();
            return new Imported(marked, r, token, given);
        }
    }

    @Override
    public ImportRow rowFailed(Scope scope, String jobId, int attempt, int seq, String code, String messageEn,
                               String messageZh, boolean removeResident) {
        rowWrite();
        synchronized (this) {
            up();
            ImportJob j = held(scope, jobId, attempt);
            ImportRow row = row(j, seq, ImportRow.Status.PENDING, ImportRow.Status.FACE_PENDING);
            if (removeResident && row.residentId() != null && households.resident(scope, row.residentId())
                    .isPresent()) {
                households.removeResident(scope, row.residentId());
            }
            ImportRow marked = mark(j, row, ImportRow.Status.FAILED, row.residentId(), code, messageEn, messageZh,
                    null, 0, 1);
            rowWritten();
            return marked;
        }
    }

    @Override
    public ImportRow faceDone(Scope scope, String jobId, int attempt, int seq, RowWarning warning) {
        rowWrite();
        synchronized (this) {
            up();
            ImportJob j = held(scope, jobId, attempt);
            ImportRow row = row(j, seq, ImportRow.Status.FACE_PENDING);
            ImportRow marked = mark(j, row, ImportRow.Status.DONE, row.residentId(), "OK", null, null, warning, 1, 0);
            rowWritten();
            return marked;
        }
    }

    @Override
    public synchronized Optional<ImportJob> end(Scope scope, String jobId, int attempt, ImportJob.Status status,
                                                String errorEn, String errorZh) {
        up();
        ImportJob j = require(scope, jobId);
        if (status == ImportJob.Status.QUEUED || status == ImportJob.Status.RUNNING) {
            throw new IllegalArgumentException("status must be FINISHED, FAILED or INTERRUPTED");
        }
        if (j.attempt() != attempt || (j.status() != ImportJob.Status.QUEUED
                && j.status() != ImportJob.Status.RUNNING)) {
            return Optional.empty();
        }
        Instant now = Instant.now();
        ImportJob ended = new ImportJob(j.id(), j.communityId(), j.submittedBy(), j.submittedAt(), status,
                j.total(), j.done(), j.failed(), j.nextSeq(), j.attempt(), j.node(), j.photos(), j.photosSha256(),
                now, status.ended() ? now : null, errorEn, errorZh);
        jobs.put(jobId, ended);
        if (status.ended()) {
            rows.get(jobId).replaceAll((seq, r) -> new ImportRow(r.jobId(), r.seq(), r.csvRow(), null, r.status(),
                    r.residentId(), r.code(), r.messageEn(), r.messageZh(), r.processedAt(), r.warningCode(),
                    r.warningEn(), r.warningZh()));
        }
        return Optional.of(ended);
    }

    /**
     * What the store's erasure of a resident ({@code SubjectDataRepository.eraseResident}) does to the import tables:
     * the rows naming {@code residentId} lose their CSV fields, whatever their job's state; status and outcome stay.
     */
    public synchronized void eraseFieldsOf(String residentId) {
        for (java.util.TreeMap<Integer, ImportRow> list : rows.values()) {
            list.replaceAll((seq, r) -> !residentId.equals(r.residentId()) ? r : new ImportRow(r.jobId(), r.seq(),
                    r.csvRow(), null, r.status(), r.residentId(), r.code(), r.messageEn(), r.messageZh(),
                    r.processedAt(), r.warningCode(), r.warningEn(), r.warningZh()));
        }
    }

    @Override
    public synchronized int deleteEnded(Scope scope, String communityId, int keep) {
        up();
        List<ImportJob> ended = jobs(scope, communityId, Integer.MAX_VALUE).stream()
                .filter(j -> j.status().ended()).toList();
        int deleted = 0;
        for (ImportJob j : ended.subList(Math.min(keep, ended.size()), ended.size())) {
            jobs.remove(j.id());
            rows.remove(j.id());
            deleted++;
        }
        return deleted;
    }

    private ImportJob held(Scope scope, String jobId, int attempt) {
        ImportJob j = require(scope, jobId);
        if (j.status() != ImportJob.Status.RUNNING || j.attempt() != attempt) {
            throw new ImportRunSupersededException(jobId, attempt);
        }
        return j;
    }

    private ImportRow row(ImportJob j, int seq, ImportRow.Status... expected) {
        ImportRow row = rows.get(j.id()).get(seq);
        if (row == null) {
            throw new NotFoundException("import row", j.id() + "/" + seq);
        }
        if (!List.of(expected).contains(row.status())) {
            throw new ConflictException("row " + row.csvRow() + " of import " + j.id() + " is " + row.status());
        }
        return row;
    }

    private ImportRow mark(ImportJob j, ImportRow row, ImportRow.Status to, String residentId, String code,
                           String messageEn, String messageZh, RowWarning warning, int done, int failed) {
        Instant now = Instant.now();
        ImportRow marked = new ImportRow(row.jobId(), row.seq(), row.csvRow(), row.fields(), to, residentId, code,
                messageEn, messageZh, now, warning == null ? null : warning.code(),
                warning == null ? null : warning.messageEn(), warning == null ? null : warning.messageZh());
        rows.get(j.id()).put(row.seq(), marked);
        jobs.put(j.id(), new ImportJob(j.id(), j.communityId(), j.submittedBy(), j.submittedAt(), j.status(),
                j.total(), j.done() + done, j.failed() + failed, Math.max(j.nextSeq(), row.seq() + 1),
                j.attempt(), j.node(), j.photos(), j.photosSha256(), now, null, null, null));
        return marked;
    }

    private static ImportJob with(ImportJob j, ImportJob.Status status, int attempt, String node) {
        return new ImportJob(j.id(), j.communityId(), j.submittedBy(), j.submittedAt(), status, j.total(),
                j.done(), j.failed(), j.nextSeq(), attempt, node, j.photos(), j.photosSha256(), Instant.now(),
                j.finishedAt(), j.errorEn(), j.errorZh());
    }
}

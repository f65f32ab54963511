package org.gatehouse.api.service;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.gatehouse.api.model.CareFlag;
import org.gatehouse.api.model.Consent;
import org.gatehouse.api.model.Credential;
import org.gatehouse.api.model.ImportJob;
import org.gatehouse.api.model.ImportRow;
import org.gatehouse.api.model.Resident;
import org.gatehouse.api.model.ResidentRole;
import org.gatehouse.api.model.Validation;

/**
 * Bulk import jobs and their rows, kept so that an import survives the node that runs it.
 * <p>
 * <b>A row's outcome commits with what it did.</b> {@link #importResident} creates the resident, its app token and (if
 * asked) its face-access consent and marks the row in <em>one transaction</em>; {@link #rowFailed} with
 * {@code removeResident} removes the row's resident and marks the row failed in one transaction. So no crash can leave
 * a resident without its row marked, or a row marked without its resident.
 * <p>
 * <b>One run at a time.</b> A job is held by one run, named by its {@link ImportJob#attempt()}. Every row write names
 * the attempt and is refused ({@link ImportRunSupersededException}, nothing written) unless the job is
 * {@link ImportJob.Status#RUNNING RUNNING} under that attempt; {@link #requeue} (a resume) is a compare-and-set on the
 * attempt, so of two resumes one wins, and a run that was superseded cannot write another row.
 */
public interface ImportJobRepository {
    /** The longest {@code fields} of one row, as JSON characters. */
    int MAX_FIELDS_CHARS = 10_000;

    /**
     * Stores a new job, {@code QUEUED} under attempt 1 and held by {@code job.node()}, with its rows {@code PENDING}
     * (seq 0, 1, … in list order), in one transaction: when this returns, the job is durable.
     */
    ImportJob create(Scope scope, NewJob job, List<NewRow> rows);

    Optional<ImportJob> job(Scope scope, String id);

    /** Jobs of a community (in scope, else {@link NotFoundException}), newest first. */
    List<ImportJob> jobs(Scope scope, String communityId, int limit);

    /** Rows with {@code seq > afterSeq} whose status is one of {@code statuses} (any when empty), in seq order. */
    List<ImportRow> rows(Scope scope, String jobId, Set<ImportRow.Status> statuses, int afterSeq, int limit);

    /** {@code QUEUED} under {@code attempt} → {@code RUNNING}; false (nothing changed) when the job is not that any more. */
    boolean start(Scope scope, String jobId, int attempt);

    /**
     * Resuming: a job that is {@code INTERRUPTED}, {@code QUEUED} or {@code RUNNING} under {@code expectedAttempt} becomes
     * {@code QUEUED} under {@code expectedAttempt + 1}, held by {@code node} (compare-and-set). False when the job is in
     * another state or attempt (another resume won, it ended): nothing changed. Whether a QUEUED or RUNNING job's run is
     * really gone is for the caller to decide; a run that is still alive can write no further row afterwards.
     */
    boolean requeue(Scope scope, String jobId, int expectedAttempt, String node);

    /**
     * A node starts: every job it held {@code QUEUED} or {@code RUNNING} is set {@code INTERRUPTED} (its run died with
     * the node's previous life). Platform maintenance, no scope. Returns those jobs.
     */
    List<ImportJob> interruptNode(String node);

    /**
     * One row imported, in one transaction: the resident (and its {@code MOVE_IN}), its app token (and {@code ISSUED}),
     * the face-access consent when {@code consent} is given, and the row {@code PENDING} → {@code DONE} (or
     * {@code FACE_PENDING} when {@code faceFollows}) naming the resident, with the job's counters and position.
     * {@link ImportRunSupersededException} if the job is not RUNNING under {@code attempt}; {@link ConflictException}
     * if the row is not PENDING or the app token clashes; nothing is written then.
     */
    Imported importResident(Scope scope, String jobId, int attempt, int seq, NewResident resident, NewConsent consent,
                            boolean faceFollows);

    /**
     * A row failed: {@code PENDING} or {@code FACE_PENDING} → {@code FAILED} with its code and messages, in one
     * transaction with, when {@code removeResident}, the removal of the row's resident (as
     * {@link HouseholdRepository#removeResident}: faces ended, credentials revoked, {@code MOVE_OUT}).
     */
    ImportRow rowFailed(Scope scope, String jobId, int attempt, int seq, String code, String messageEn,
                        String messageZh, boolean removeResident);

    /** The face of a {@code FACE_PENDING} row is enrolled: → {@code DONE}, without a warning. */
    default ImportRow faceDone(Scope scope, String jobId, int attempt, int seq) {
        return faceDone(scope, jobId, attempt, seq, null);
    }

    /**
     * The face of a {@code FACE_PENDING} row is enrolled: → {@code DONE}, with {@code warning} (null: none) stored in
     * the same transaction as the row's outcome ({@link ImportRow#warningCode()}…): what a report shows of the row
     * survives the node as the outcome does. Messages longer than the store keeps are cut.
     */
    ImportRow faceDone(Scope scope, String jobId, int attempt, int seq, RowWarning warning);

    /**
     * Ends a run: a job {@code QUEUED} or {@code RUNNING} under {@code attempt} becomes {@code status}
     * ({@code FINISHED}, {@code FAILED} with its error, or {@code INTERRUPTED}). An ended job (FINISHED, FAILED) keeps
     * its rows' outcomes but not their fields (the CSV's personal data is kept only while the job may still need it).
     * Empty, and nothing changed, when the job is not held by that attempt any more.
     */
    Optional<ImportJob> end(Scope scope, String jobId, int attempt, ImportJob.Status status, String errorEn,
                            String errorZh);

    /** Deletes the ended jobs of a community beyond the newest {@code keep}, with their rows; returns how many. */
    int deleteEnded(Scope scope, String communityId, int keep);

    /** What {@link #create} stores about a job. {@code photos} and {@code photosSha256}: null without a photo zip. */
    record NewJob(String id, String communityId, String submittedBy, String node, String photos, String photosSha256) {
    }

    /** A data row of the CSV: its spreadsheet row number and its fields by column name. */
    record NewRow(int csvRow, Map<String, String> fields) {
        public NewRow {
            fields = Map.copyOf(fields);
        }
    }

    /** The resident a row creates; {@code appTokenReference} is the sealed app-token secret. */
    record NewResident(String householdId, String name, ResidentRole role, LocalDate birthDate, String phone,
                       Instant validFrom, Instant validUntil, Set<CareFlag> careFlags, String appTokenReference) {
        public NewResident {
            careFlags = careFlags == null ? Set.of() : Set.copyOf(careFlags);
        }
    }

    /** A consent recorded with the row's resident. */
    record NewConsent(String purpose, String noticeVersion, String channel, String recordedBy) {
    }

    /**
     * Something a row that succeeds left undone (its second photo not enrolled): a stable code (at most 64 characters)
     * and why, in English and Simplified Chinese.
     */
    record RowWarning(String code, String messageEn, String messageZh) {
        public RowWarning {
            Validation.requireText(code, "warning code");
            if (code.length() > 64) {
                throw new IllegalArgumentException("warning code is longer than 64 characters");
            }
        }
    }

    /** What {@link #importResident} stored. {@code consent} null when none was asked for. */
    record Imported(ImportRow row, Resident resident, Credential appToken, Consent consent) {
    }
}

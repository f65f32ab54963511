package org.gatehouse.store.internal.repo;

import static org.gatehouse.store.internal.repo.ImportTables.*;
import static org.gatehouse.store.internal.repo.Jdbc.*;
import static org.gatehouse.store.internal.repo.RepositoryQueries.*;

import java.sql.Connection;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.gatehouse.api.model.Consent;
import org.gatehouse.api.model.Credential;
import org.gatehouse.api.model.CredentialChange;
import org.gatehouse.api.model.CredentialKind;
import org.gatehouse.api.model.ImportJob;
import org.gatehouse.api.model.ImportRow;
import org.gatehouse.api.model.Resident;
import org.gatehouse.api.model.Validation;
import org.gatehouse.api.service.ConflictException;
import org.gatehouse.api.service.ImportJobRepository.Imported;
import org.gatehouse.api.service.ImportJobRepository.NewConsent;
import org.gatehouse.api.service.ImportJobRepository.NewResident;
import org.gatehouse.api.service.ImportJobRepository.RowWarning;
import org.gatehouse.api.service.ImportRunSupersededException;
import org.gatehouse.api.service.NotFoundException;
import org.gatehouse.api.service.Scope;
import org.gatehouse.store.internal.CayenneStore;

/**
 * The outcome of one import row, each in the row's own transaction: the resident (with app token and consent)
 * imported, the row failed (its resident removed again when asked), the face enrolled (with the row's warning, if
 * any). The residents, credentials and consents are written with the same helpers (and events) as
 * {@link HouseholdRepositoryImpl}, {@link CredentialRepositoryImpl} and {@link ConsentRepositoryImpl}.
 * <p>
 * Every row write ends with the conditional update of its job ({@code where attempt = ? and status = 'RUNNING'}),
 * which also takes the job row's lock: the row writes of one job are serialised across threads and nodes, and a run
 * that lost the job (a resume took a later attempt) writes nothing more.
 */
final class ImportRowOutcomes {
    private final CayenneStore store;

    ImportRowOutcomes(CayenneStore store) {
        this.store = store;
    }

    Imported importResident(Scope scope, String jobId, int attempt, int seq, NewResident resident,
                                   NewConsent consent, boolean faceFollows) {
        scope(scope);
        Validation.require(resident, "resident");
        Validation.requireText(resident.householdId(), "householdId");
        Validation.requireText(resident.name(), "name");
        Validation.require(resident.role(), "role");
        text(resident.appTokenReference(), "appTokenReference", CredentialRepositoryImpl.MAX_REFERENCE);
        if (consent != null) {
            ConsentRepositoryImpl.check(consent.purpose(), consent.noticeVersion(), consent.channel(),
                    consent.recordedBy());
        }
        return store.write(context -> {
            Connection connection = store.transactionConnection();
            ImportJob job = held(connection, scope, jobId, attempt);
            ImportRow row = pendingRow(connection, job, seq, EnumSet.of(ImportRow.Status.PENDING));
            Resident created = HouseholdRepositoryImpl.insertResident(store, context, scope, resident.householdId(),
                    resident.name(), resident.role(), resident.birthDate(), resident.phone(), resident.validFrom(),
                    resident.validUntil(), resident.careFlags());
            if (!created.communityId().equals(job.communityId())) {
                throw new NotFoundException("household", resident.householdId()); // not of the job's community
            }
            context.commitChanges(); // the resident row before the rows that refer to it (no Cayenne relationships)
            String communityId = created.communityId();
            if (CredentialRepositoryImpl.activeRow(context, communityId, CredentialKind.APP_TOKEN,
                    resident.appTokenReference()).isPresent()) {
                throw new ConflictException("an active APP_TOKEN credential with this reference already exists");
            }
            Credential token = CredentialRepositoryImpl.insert(context, communityId, created.id(),
                    CredentialKind.APP_TOKEN, resident.appTokenReference());
            Consent given = consent == null ? null : ConsentRepositoryImpl.insert(context, communityId, created.id(),
                    consent.purpose(), consent.noticeVersion(), consent.channel(), consent.recordedBy());
            context.commitChanges();
            CredentialEvents.append(store, token, CredentialChange.Change.ISSUED);
            ImportRow.Status status = faceFollows ? ImportRow.Status.FACE_PENDING : ImportRow.Status.DONE;
            ImportRow marked = mark(connection, job, attempt, row, ImportRow.Status.PENDING, status, created.id(),
                    "OK", null, null, null, faceFollows ? 0 : 1, 0);
            return new Imported(marked, created, token, given);
        });
    }

    ImportRow rowFailed(Scope scope, String jobId, int attempt, int seq, String code, String messageEn,
                               String messageZh, boolean removeResident) {
        scope(scope);
        text(code, "code", 64);
        return store.write(context -> {
            Connection connection = store.transactionConnection();
            ImportJob job = held(connection, scope, jobId, attempt);
            ImportRow row = pendingRow(connection, job, seq,
                    EnumSet.of(ImportRow.Status.PENDING, ImportRow.Status.FACE_PENDING));
            if (removeResident && row.residentId() != null) {
                try {
                    HouseholdRepositoryImpl.remove(store, context, scope, row.residentId());
                } catch (NotFoundException alreadyGone) {
                    // removed meanwhile (e.g. by the office): nothing of the row is left either way
                }
            }
            return mark(connection, job, attempt, row, row.status(), ImportRow.Status.FAILED, row.residentId(), code,
                    truncate(messageEn, MAX_MESSAGE), truncate(messageZh, MAX_MESSAGE), null, 0, 1);
        });
    }

    /** The row DONE, with its warning (or none) in the same update. */
    ImportRow faceDone(Scope scope, String jobId, int attempt, int seq, RowWarning warning) {
        scope(scope);
        RowWarning kept = warning == null ? null : new RowWarning(warning.code(),
                truncate(warning.messageEn(), MAX_MESSAGE), truncate(warning.messageZh(), MAX_MESSAGE));
        return store.write(context -> {
            Connection connection = store.transactionConnection();
            ImportJob job = held(connection, scope, jobId, attempt);
            ImportRow row = pendingRow(connection, job, seq, EnumSet.of(ImportRow.Status.FACE_PENDING));
            return mark(connection, job, attempt, row, ImportRow.Status.FACE_PENDING, ImportRow.Status.DONE,
                    row.residentId(), "OK", null, null, kept, 1, 0);
        });
    }

    /** The job in scope, RUNNING under {@code attempt} as read now (the final word is {@link #mark}'s update). */
    private static ImportJob held(Connection connection, Scope scope, String jobId, int attempt) {
        ImportJob job = require(connection, scope, jobId);
        if (job.status() != ImportJob.Status.RUNNING || job.attempt() != attempt) {
            throw new ImportRunSupersededException(jobId, attempt);
        }
        return job;
    }

    private static ImportRow pendingRow(Connection connection, ImportJob job, int seq, Set<ImportRow.Status> expected) {
        List<ImportRow> found = query(connection, "select " + ROW_COLUMNS + " from import_row where job_id = ? and "
                + "seq = ?", 1, ImportTables::row, job.id(), seq);
        if (found.isEmpty()) {
            throw new NotFoundException("import row", job.id() + "/" + seq);
        }
        ImportRow row = found.get(0);
        if (!expected.contains(row.status())) {
            throw new ConflictException("row " + row.csvRow() + " of import " + job.id() + " is " + row.status()
                    + ", not " + expected.stream().map(Enum::name).sorted().collect(Collectors.joining(" or ")));
        }
        return row;
    }

    /**
     * The row from {@code from} to {@code to} and the job's counters, position and heartbeat, both conditional: the job
     * RUNNING under {@code attempt} (else {@link ImportRunSupersededException}), the row still {@code from} (else
     * {@link ConflictException}); either failure rolls back the whole transaction. {@code warning}: a DONE row's, or
     * null.
     */
    private static ImportRow mark(Connection connection, ImportJob job, int attempt, ImportRow row,
                                  ImportRow.Status from, ImportRow.Status to, String residentId, String code,
                                  String messageEn, String messageZh, RowWarning warning, int done, int failed) {
        String warningCode = warning == null ? null : warning.code();
        String warningEn = warning == null ? null : warning.messageEn();
        String warningZh = warning == null ? null : warning.messageZh();
        Instant now = now();
        if (update(connection, "update import_job set done_rows = done_rows + ?, failed_rows = failed_rows + ?, "
                        + "next_seq = greatest(next_seq, ?), updated_at = ? where id = ? and attempt = ? and "
                        + "status = 'RUNNING'", done, failed, row.seq() + 1, at(now), job.id(), attempt) != 1) {
            throw new ImportRunSupersededException(job.id(), attempt);
        }
        if (update(connection, "update import_row set status = ?, resident_id = ?, code = ?, message_en = ?, "
                        + "message_zh = ?, processed_at = ?, warning_code = ?, warning_en = ?, warning_zh = ? "
                        + "where job_id = ? and seq = ? and status = ?", to.name(), residentId, code, messageEn,
                messageZh, at(now), warningCode, warningEn, warningZh, job.id(), row.seq(), from.name()) != 1) {
            throw new ConflictException("row " + row.csvRow() + " of import " + job.id() + " changed meanwhile");
        }
        return new ImportRow(row.jobId(), row.seq(), row.csvRow(), row.fields(), to, residentId, code, messageEn,
                messageZh, now, warningCode, warningEn, warningZh);
    }
}

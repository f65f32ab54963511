package org.gatehouse.store.internal.repo;

import static org.gatehouse.store.internal.repo.Support.*;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.type.TypeReference;

import org.apache.cayenne.ObjectContext;
import org.gatehouse.api.model.Consent;
import org.gatehouse.api.model.Credential;
import org.gatehouse.api.model.CredentialChange;
import org.gatehouse.api.model.CredentialKind;
import org.gatehouse.api.model.ImportJob;
import org.gatehouse.api.model.ImportRow;
import org.gatehouse.api.model.Resident;
import org.gatehouse.api.model.Validation;
import org.gatehouse.api.service.ConflictException;
import org.gatehouse.api.service.ImportJobRepository;
import org.gatehouse.api.service.ImportRunSupersededException;
import org.gatehouse.api.service.NotFoundException;
import org.gatehouse.api.service.Scope;
import org.gatehouse.api.service.StoreUnavailableException;
import org.gatehouse.store.internal.CayenneStore;
import org.gatehouse.store.internal.Errors;
import org.gatehouse.store.internal.Json;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Import jobs ({@code import_job}) and their rows ({@code import_row}), plain JDBC on the transaction's connection;
 * the residents, credentials and consents a row creates are written with the same helpers (and events) as
 * {@link HouseholdRepositoryImpl}, {@link CredentialRepositoryImpl} and {@link ConsentRepositoryImpl}, in the row's
 * transaction.
 * <p>
 * Every row write ends with the conditional update of its job ({@code where attempt = ? and status = 'RUNNING'}),
 * which also takes the job row's lock: the row writes of one job are serialised across threads and nodes, and a run
 * that lost the job (a resume took a later attempt) writes nothing more.
 */
@Component(service = ImportJobRepository.class)
public class ImportJobRepositoryImpl implements ImportJobRepository {
    static final int MAX_MESSAGE = 2000;
    static final int INSERT_BATCH = 500;
    private static final String JOB_COLUMNS = "id, community_id, submitted_by, submitted_at, status, total_rows, "
            + "done_rows, failed_rows, next_seq, attempt, node, photos, photos_sha256, updated_at, finished_at, "
            + "error_en, error_zh";
    private static final String ROW_COLUMNS = "job_id, seq, csv_row, fields, status, resident_id, code, message_en, "
            + "message_zh, processed_at";
    private static final TypeReference<Map<String, String>> FIELDS = new TypeReference<>() {
    };

    private static final Logger LOG = LoggerFactory.getLogger(ImportJobRepositoryImpl.class);

    private final CayenneStore store;
    private final AtomicBoolean syncRefused = new AtomicBoolean();

    @Activate
    public ImportJobRepositoryImpl(@Reference CayenneStore store) {
        this.store = store;
    }

    // ---- jobs ------------------------------------------------------------------------------------------------

    /** Committed, then forced to disk ({@link CayenneStore#syncToDisk}: H2 writes commits in the background). */
    @Override
    public ImportJob create(Scope scope, NewJob job, List<NewRow> rows) {
        scope(scope);
        Validation.require(job, "job");
        Validation.require(rows, "rows");
        text(job.id(), "id", 64);
        text(job.communityId(), "communityId", 64);
        text(job.submittedBy(), "submittedBy", 200);
        text(job.node(), "node", 200);
        optional(job.photos(), "photos", 500);
        optional(job.photosSha256(), "photosSha256", 64);
        if ((job.photos() == null) != (job.photosSha256() == null)) {
            throw new IllegalArgumentException("photos and photosSha256 go together");
        }
        List<String> fields = new ArrayList<>(rows.size());
        for (NewRow row : rows) {
            Validation.require(row, "rows[]");
            String json = Json.write(row.fields());
            if (json.length() > MAX_FIELDS_CHARS) {
                throw new IllegalArgumentException("row " + row.csvRow() + ": its fields are longer than "
                        + MAX_FIELDS_CHARS + " characters");
            }
            fields.add(json);
        }
        scope.check(job.communityId());
        ImportJob created = store.write(context -> {
            requireCommunity(context, scope, job.communityId());
            Connection connection = store.transactionConnection();
            Instant now = now();
            try {
                try (PreparedStatement insert = connection.prepareStatement("insert into import_job (" + JOB_COLUMNS
                        + ") values (?, ?, ?, ?, 'QUEUED', ?, 0, 0, 0, 1, ?, ?, ?, ?, null, null, null)")) {
                    insert.setString(1, job.id());
                    insert.setString(2, job.communityId());
                    insert.setString(3, job.submittedBy());
                    insert.setObject(4, at(now));
                    insert.setInt(5, rows.size());
                    insert.setString(6, job.node());
                    insert.setString(7, job.photos());
                    insert.setString(8, job.photosSha256());
                    insert.setObject(9, at(now));
                    insert.executeUpdate();
                }
                try (PreparedStatement insert = connection.prepareStatement("insert into import_row (job_id, seq, "
                        + "csv_row, fields, status) values (?, ?, ?, ?, 'PENDING')")) {
                    for (int seq = 0; seq < rows.size(); seq++) {
                        insert.setString(1, job.id());
                        insert.setInt(2, seq);
                        insert.setInt(3, rows.get(seq).csvRow());
                        insert.setString(4, fields.get(seq));
                        insert.addBatch();
                        if ((seq + 1) % INSERT_BATCH == 0) {
                            insert.executeBatch();
                        }
                    }
                    insert.executeBatch();
                }
            } catch (SQLException e) {
                throw Errors.translate(e);
            }
            return load(connection, job.id()).orElseThrow();
        });
        try {
            store.syncToDisk(); // the caller answers "accepted" next: it must survive a crash from then on
        } catch (StoreUnavailableException e) {
            throw e;
        } catch (RuntimeException e) {
            // e.g. an H2 user without admin rights: the job is committed, on disk as H2's write settings allow
            if (syncRefused.compareAndSet(false, true)) {
                LOG.warn("The database refused to force commits to disk ({}): an accepted import is as durable as "
                        + "H2's WRITE_DELAY allows", e.toString());
            }
        }
        return created;
    }

    @Override
    public Optional<ImportJob> job(Scope scope, String id) {
        scope(scope);
        if (id == null || id.isBlank()) {
            return Optional.empty();
        }
        return jdbc(connection -> load(connection, id).filter(j -> scope.allows(j.communityId())));
    }

    @Override
    public List<ImportJob> jobs(Scope scope, String communityId, int limit) {
        scope(scope);
        int max = limit(limit);
        return store.write(context -> {
            requireCommunity(context, scope, communityId);
            return query(store.transactionConnection(), "select " + JOB_COLUMNS + " from import_job where "
                    + "community_id = ? order by submitted_at desc, id desc", max, ImportJobRepositoryImpl::job,
                    communityId);
        });
    }

    @Override
    public List<ImportRow> rows(Scope scope, String jobId, Set<ImportRow.Status> statuses, int afterSeq, int limit) {
        scope(scope);
        int max = limit(limit);
        Set<ImportRow.Status> wanted = statuses == null || statuses.isEmpty()
                ? EnumSet.allOf(ImportRow.Status.class) : EnumSet.copyOf(statuses);
        return jdbc(connection -> {
            require(connection, scope, jobId);
            return query(connection, "select " + ROW_COLUMNS + " from import_row where job_id = ? and seq > ? and "
                    + "status in (" + quoted(wanted) + ") order by seq", max, ImportJobRepositoryImpl::row, jobId,
                    afterSeq);
        });
    }

    @Override
    public boolean start(Scope scope, String jobId, int attempt) {
        scope(scope);
        return jdbc(connection -> {
            require(connection, scope, jobId);
            return update(connection, "update import_job set status = 'RUNNING', updated_at = ? where id = ? and "
                    + "attempt = ? and status = 'QUEUED'", at(now()), jobId, attempt) == 1;
        });
    }

    @Override
    public boolean requeue(Scope scope, String jobId, int expectedAttempt, String node) {
        scope(scope);
        text(node, "node", 200);
        return jdbc(connection -> {
            require(connection, scope, jobId);
            return update(connection, "update import_job set status = 'QUEUED', attempt = attempt + 1, node = ?, "
                    + "updated_at = ? where id = ? and attempt = ? and status in ('QUEUED', 'RUNNING', "
                    + "'INTERRUPTED')", node, at(now()), jobId, expectedAttempt) == 1;
        });
    }

    @Override
    public List<ImportJob> interruptNode(String node) {
        text(node, "node", 200);
        return jdbc(connection -> {
            List<String> ids = query(connection, "select id from import_job where node = ? and status in "
                    + "('QUEUED', 'RUNNING') order by submitted_at, id for update", Integer.MAX_VALUE,
                    rs -> rs.getString(1), node);
            List<ImportJob> interrupted = new ArrayList<>();
            for (String id : ids) {
                if (update(connection, "update import_job set status = 'INTERRUPTED', updated_at = ? where id = ? "
                        + "and node = ? and status in ('QUEUED', 'RUNNING')", at(now()), id, node) == 1) {
                    interrupted.add(load(connection, id).orElseThrow());
                }
            }
            return interrupted;
        });
    }

    @Override
    public Optional<ImportJob> end(Scope scope, String jobId, int attempt, ImportJob.Status status, String errorEn,
                                   String errorZh) {
        scope(scope);
        Validation.require(status, "status");
        if (status != ImportJob.Status.FINISHED && status != ImportJob.Status.FAILED
                && status != ImportJob.Status.INTERRUPTED) {
            throw new IllegalArgumentException("status must be FINISHED, FAILED or INTERRUPTED");
        }
        return jdbc(connection -> {
            require(connection, scope, jobId);
            Instant now = now();
            int changed = update(connection, "update import_job set status = ?, updated_at = ?, finished_at = ?, "
                    + "error_en = ?, error_zh = ? where id = ? and attempt = ? and status in ('QUEUED', 'RUNNING')",
                    status.name(), at(now), status.ended() ? at(now) : null, truncate(errorEn, MAX_MESSAGE),
                    truncate(errorZh, MAX_MESSAGE), jobId, attempt);
            if (changed == 0) {
                return Optional.empty();
            }
            if (status.ended()) {
                // the CSV's fields (names, phones) are needed only to go on with the job
                update(connection, "update import_row set fields = null where job_id = ?", jobId);
            }
            return load(connection, jobId);
        });
    }

    @Override
    public int deleteEnded(Scope scope, String communityId, int keep) {
        scope(scope);
        if (keep < 0) {
            throw new IllegalArgumentException("keep must not be negative");
        }
        return store.write(context -> {
            requireCommunity(context, scope, communityId);
            Connection connection = store.transactionConnection();
            List<String> ids = query(connection, "select id from import_job where community_id = ? and status in "
                    + "('FINISHED', 'FAILED') order by submitted_at desc, id desc", Integer.MAX_VALUE,
                    rs -> rs.getString(1), communityId);
            int deleted = 0;
            for (String id : ids.subList(Math.min(keep, ids.size()), ids.size())) {
                update(connection, "delete from import_row where job_id = ?", id);
                deleted += update(connection, "delete from import_job where id = ? and status in ('FINISHED', "
                        + "'FAILED')", id);
            }
            return deleted;
        });
    }

    // ---- rows ------------------------------------------------------------------------------------------------

    @Override
    public Imported importResident(Scope scope, String jobId, int attempt, int seq, NewResident resident,
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
                    "OK", null, null, faceFollows ? 0 : 1, 0);
            return new Imported(marked, created, token, given);
        });
    }

    @Override
    public ImportRow rowFailed(Scope scope, String jobId, int attempt, int seq, String code, String messageEn,
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
                    truncate(messageEn, MAX_MESSAGE), truncate(messageZh, MAX_MESSAGE), 0, 1);
        });
    }

    @Override
    public ImportRow faceDone(Scope scope, String jobId, int attempt, int seq) {
        scope(scope);
        return store.write(context -> {
            Connection connection = store.transactionConnection();
            ImportJob job = held(connection, scope, jobId, attempt);
            ImportRow row = pendingRow(connection, job, seq, EnumSet.of(ImportRow.Status.FACE_PENDING));
            return mark(connection, job, attempt, row, ImportRow.Status.FACE_PENDING, ImportRow.Status.DONE,
                    row.residentId(), "OK", null, null, 1, 0);
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
                + "seq = ?", 1, ImportJobRepositoryImpl::row, job.id(), seq);
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
     * {@link ConflictException}); either failure rolls back the whole transaction.
     */
    private static ImportRow mark(Connection connection, ImportJob job, int attempt, ImportRow row,
                                  ImportRow.Status from, ImportRow.Status to, String residentId, String code,
                                  String messageEn, String messageZh, int done, int failed) {
        Instant now = now();
        if (update(connection, "update import_job set done_rows = done_rows + ?, failed_rows = failed_rows + ?, "
                        + "next_seq = greatest(next_seq, ?), updated_at = ? where id = ? and attempt = ? and "
                        + "status = 'RUNNING'", done, failed, row.seq() + 1, at(now), job.id(), attempt) != 1) {
            throw new ImportRunSupersededException(job.id(), attempt);
        }
        if (update(connection, "update import_row set status = ?, resident_id = ?, code = ?, message_en = ?, "
                        + "message_zh = ?, processed_at = ? where job_id = ? and seq = ? and status = ?", to.name(),
                residentId, code, messageEn, messageZh, at(now), job.id(), row.seq(), from.name()) != 1) {
            throw new ConflictException("row " + row.csvRow() + " of import " + job.id() + " changed meanwhile");
        }
        return new ImportRow(row.jobId(), row.seq(), row.csvRow(), row.fields(), to, residentId, code, messageEn,
                messageZh, now);
    }

    // ---- JDBC ------------------------------------------------------------------------------------------------

    @FunctionalInterface
    private interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    /** Work on the connection of a new transaction. */
    private <T> T jdbc(Function<Connection, T> work) {
        return store.write(context -> work.apply(store.transactionConnection()));
    }

    private static ImportJob require(Connection connection, Scope scope, String jobId) {
        return load(connection, jobId).filter(j -> scope.allows(j.communityId()))
                .orElseThrow(() -> new NotFoundException("import", String.valueOf(jobId)));
    }

    private static Optional<ImportJob> load(Connection connection, String id) {
        if (id == null || id.isBlank()) {
            return Optional.empty();
        }
        List<ImportJob> found = query(connection, "select " + JOB_COLUMNS + " from import_job where id = ?", 1,
                ImportJobRepositoryImpl::job, id);
        return found.stream().findFirst();
    }

    private static <T> List<T> query(Connection connection, String sql, int max, RowMapper<T> mapper,
                                     Object... parameters) {
        try (PreparedStatement query = connection.prepareStatement(sql)) {
            bind(query, parameters);
            if (max < Integer.MAX_VALUE) {
                query.setMaxRows(max);
            }
            List<T> result = new ArrayList<>();
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next() && result.size() < max) {
                    result.add(mapper.map(rs));
                }
            }
            return result;
        } catch (SQLException e) {
            throw Errors.translate(e);
        }
    }

    private static int update(Connection connection, String sql, Object... parameters) {
        try (PreparedStatement update = connection.prepareStatement(sql)) {
            bind(update, parameters);
            return update.executeUpdate();
        } catch (SQLException e) {
            throw Errors.translate(e);
        }
    }

    private static void bind(PreparedStatement statement, Object... parameters) throws SQLException {
        for (int i = 0; i < parameters.length; i++) {
            Object p = parameters[i];
            if (p == null) {
                statement.setNull(i + 1, java.sql.Types.NULL);
            } else {
                statement.setObject(i + 1, p);
            }
        }
    }

    private static ImportJob job(ResultSet rs) throws SQLException {
        return new ImportJob(rs.getString("id"), rs.getString("community_id"), rs.getString("submitted_by"),
                instant(rs, "submitted_at"), ImportJob.Status.valueOf(rs.getString("status")), rs.getInt("total_rows"),
                rs.getInt("done_rows"), rs.getInt("failed_rows"), rs.getInt("next_seq"), rs.getInt("attempt"),
                rs.getString("node"), rs.getString("photos"), rs.getString("photos_sha256"),
                instant(rs, "updated_at"), instant(rs, "finished_at"), rs.getString("error_en"),
                rs.getString("error_zh"));
    }

    private static ImportRow row(ResultSet rs) throws SQLException {
        String fields = rs.getString("fields");
        return new ImportRow(rs.getString("job_id"), rs.getInt("seq"), rs.getInt("csv_row"),
                fields == null ? null : Json.read(fields, FIELDS), ImportRow.Status.valueOf(rs.getString("status")),
                rs.getString("resident_id"), rs.getString("code"), rs.getString("message_en"),
                rs.getString("message_zh"), instant(rs, "processed_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static OffsetDateTime at(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static String quoted(Set<ImportRow.Status> statuses) {
        return statuses.stream().map(s -> "'" + s.name() + "'").sorted().collect(Collectors.joining(", "));
    }

    private static void text(String value, String field, int max) {
        Validation.requireText(value, field);
        if (value.length() > max) {
            throw new IllegalArgumentException(field + " is longer than " + max + " characters");
        }
    }

    private static void optional(String value, String field, int max) {
        if (value != null) {
            text(value, field, max);
        }
    }
}

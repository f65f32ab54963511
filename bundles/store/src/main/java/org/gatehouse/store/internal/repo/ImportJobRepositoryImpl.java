package org.gatehouse.store.internal.repo;

import static org.gatehouse.store.internal.repo.ImportTables.*;
import static org.gatehouse.store.internal.repo.Jdbc.*;
import static org.gatehouse.store.internal.repo.RepositoryQueries.*;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import org.gatehouse.api.model.ImportJob;
import org.gatehouse.api.model.ImportRow;
import org.gatehouse.api.model.Validation;
import org.gatehouse.api.service.ImportJobRepository;
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
 * Import jobs ({@code import_job}) and their rows ({@code import_row}), plain JDBC on the transaction's connection
 * ({@link ImportTables}): a job created with its rows, read, started, requeued, interrupted, ended and deleted here;
 * the outcome of each row in the row's own transaction in {@link ImportRowOutcomes}.
 */
@Component(service = ImportJobRepository.class)
public class ImportJobRepositoryImpl implements ImportJobRepository {
    static final int INSERT_BATCH = 500;
    private static final Logger LOG = LoggerFactory.getLogger(ImportJobRepositoryImpl.class);

    private final CayenneStore store;
    private final ImportRowOutcomes outcomes;
    private final AtomicBoolean syncRefused = new AtomicBoolean();

    @Activate
    public ImportJobRepositoryImpl(@Reference CayenneStore store) {
        this.store = store;
        this.outcomes = new ImportRowOutcomes(store);
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
                    + "community_id = ? order by submitted_at desc, id desc", max, ImportTables::job,
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
                    + "status in (" + quoted(wanted) + ") order by seq", max, ImportTables::row, jobId,
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

    // ---- rows (ImportRowOutcomes) -----------------------------------------------------------------------------

    @Override
    public Imported importResident(Scope scope, String jobId, int attempt, int seq, NewResident resident,
                                   NewConsent consent, boolean faceFollows) {
        return outcomes.importResident(scope, jobId, attempt, seq, resident, consent, faceFollows);
    }

    @Override
    public ImportRow rowFailed(Scope scope, String jobId, int attempt, int seq, String code, String messageEn,
                               String messageZh, boolean removeResident) {
        return outcomes.rowFailed(scope, jobId, attempt, seq, code, messageEn, messageZh, removeResident);
    }

    @Override
    public ImportRow faceDone(Scope scope, String jobId, int attempt, int seq, RowWarning warning) {
        return outcomes.faceDone(scope, jobId, attempt, seq, warning);
    }

    /** Work on the connection of a new transaction. */
    private <T> T jdbc(Function<Connection, T> work) {
        return store.write(context -> work.apply(store.transactionConnection()));
    }
}

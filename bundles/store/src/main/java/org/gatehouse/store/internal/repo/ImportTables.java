package org.gatehouse.store.internal.repo;

import static org.gatehouse.store.internal.repo.Jdbc.*;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.type.TypeReference;

import org.gatehouse.api.model.ImportJob;
import org.gatehouse.api.model.ImportRow;
import org.gatehouse.api.model.Validation;
import org.gatehouse.api.service.NotFoundException;
import org.gatehouse.api.service.Scope;
import org.gatehouse.store.internal.Json;

/**
 * The tables {@code import_job} and {@code import_row} over plain JDBC (no Cayenne entity): columns, statements on a
 * given connection, rows mapped to the api records, argument checks.
 */
final class ImportTables {
    static final int MAX_MESSAGE = 2000;
    static final String JOB_COLUMNS = "id, community_id, submitted_by, submitted_at, status, total_rows, "
            + "done_rows, failed_rows, next_seq, attempt, node, photos, photos_sha256, updated_at, finished_at, "
            + "error_en, error_zh";
    static final String ROW_COLUMNS = "job_id, seq, csv_row, fields, status, resident_id, code, message_en, "
            + "message_zh, processed_at, warning_code, warning_en, warning_zh";
    private static final TypeReference<Map<String, String>> FIELDS = new TypeReference<>() {
    };

    private ImportTables() {
    }


    static ImportJob require(Connection connection, Scope scope, String jobId) {
        return load(connection, jobId).filter(j -> scope.allows(j.communityId()))
                .orElseThrow(() -> new NotFoundException("import", String.valueOf(jobId)));
    }

    static Optional<ImportJob> load(Connection connection, String id) {
        if (id == null || id.isBlank()) {
            return Optional.empty();
        }
        List<ImportJob> found = query(connection, "select " + JOB_COLUMNS + " from import_job where id = ?", 1,
                ImportTables::job, id);
        return found.stream().findFirst();
    }




    static ImportJob job(ResultSet rs) throws SQLException {
        return new ImportJob(rs.getString("id"), rs.getString("community_id"), rs.getString("submitted_by"),
                instant(rs, "submitted_at"), ImportJob.Status.valueOf(rs.getString("status")), rs.getInt("total_rows"),
                rs.getInt("done_rows"), rs.getInt("failed_rows"), rs.getInt("next_seq"), rs.getInt("attempt"),
                rs.getString("node"), rs.getString("photos"), rs.getString("photos_sha256"),
                instant(rs, "updated_at"), instant(rs, "finished_at"), rs.getString("error_en"),
                rs.getString("error_zh"));
    }

    static ImportRow row(ResultSet rs) throws SQLException {
        String fields = rs.getString("fields");
        return new ImportRow(rs.getString("job_id"), rs.getInt("seq"), rs.getInt("csv_row"),
                fields == null ? null : Json.read(fields, FIELDS), ImportRow.Status.valueOf(rs.getString("status")),
                rs.getString("resident_id"), rs.getString("code"), rs.getString("message_en"),
                rs.getString("message_zh"), instant(rs, "processed_at"), rs.getString("warning_code"),
                rs.getString("warning_en"), rs.getString("warning_zh"));
    }



    /**
     * An erasure's part of the import tables, on the erasure's connection (its transaction): the CSV fields (name,
     * phone, photo file names…) of the rows that created or name {@code residentId} in {@code communityId}'s jobs are
     * set null, as an ended job's are. A job that has not ended would otherwise keep them until it ends, which an interrupted
     * job never may. The rows' status and outcome stay: a resume reads a row without fields on a job that has not
     * ended as "its resident was erased" and skips it. Returns how many rows still held fields.
     */
    static int eraseFieldsOf(Connection connection, String communityId, String residentId) {
        return update(connection, "update import_row set fields = null where resident_id = ? and fields is not null "
                + "and job_id in (select id from import_job where community_id = ?)", residentId, communityId);
    }

    static String quoted(Set<ImportRow.Status> statuses) {
        return statuses.stream().map(s -> "'" + s.name() + "'").sorted().collect(Collectors.joining(", "));
    }

    static void text(String value, String field, int max) {
        Validation.requireText(value, field);
        if (value.length() > max) {
            throw new IllegalArgumentException(field + " is longer than " + max + " characters");
        }
    }

    static void optional(String value, String field, int max) {
        if (value != null) {
            text(value, field, max);
        }
    }
}

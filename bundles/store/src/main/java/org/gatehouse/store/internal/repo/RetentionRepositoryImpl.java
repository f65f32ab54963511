package org.gatehouse.store.internal.repo;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.gatehouse.api.model.Validation;
import org.gatehouse.api.service.RetentionRepository;
import org.gatehouse.api.stream.Streams;
import org.gatehouse.store.internal.CayenneStore;
import org.gatehouse.store.internal.Errors;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Deletes rows past their retention time, platform-wide (no scope: the privacy module's job runs as the
 * platform). Each purge works in batches of {@link #BATCH} rows, one transaction per batch (select the ids,
 * delete them), so a large purge never holds one long transaction; batches already done stay done if a later
 * one fails, and the purge can simply be repeated.
 */
@Component(service = RetentionRepository.class)
public class RetentionRepositoryImpl implements RetentionRepository {
    static final int BATCH = 1000;
    /** An outbox row (of the statement's {@code outbox} table) that no open dead letter names. */
    static final String NO_OPEN_DEAD_LETTER = "not exists (select 1 from dead_letter d where d.outbox_sequence = "
            + "outbox.sequence and d.status = 'OPEN')";
    /** Per stream, the newest of the outbox rows about to be deleted (the condition goes in place of %s). */
    static final String MARK = "select stream, max(sequence), max(created_at) from outbox where %s group by stream";

    private final CayenneStore store;

    @Activate
    public RetentionRepositoryImpl(@Reference CayenneStore store) {
        this.store = store;
    }

    /**
     * Passages before the cutoff, with their {@code passages} outbox row once published. A passage whose
     * outbox row is not yet published is left alone (and so is that row): it is deleted by a later run. So is a
     * passage whose outbox row an open dead letter names: the letter can still be replayed.
     */
    @Override
    public int purgePassages(Instant before) {
        String outboxRows = "stream = '" + Streams.PASSAGES + "' and published_at is not null and event_id in (%s)"
                + " and " + NO_OPEN_DEAD_LETTER;
        return purge(before, "select p.id from passage p where p.occurred_at < ? and not exists (select 1 from outbox o"
                        + " where o.stream = '" + Streams.PASSAGES + "' and o.event_id = p.id and (o.published_at is null"
                        + " or exists (select 1 from dead_letter d where d.outbox_sequence = o.sequence"
                        + " and d.status = 'OPEN')))"
                        + " order by p.occurred_at, p.id",
                MARK.formatted(outboxRows),
                List.of("delete from outbox where " + outboxRows,
                        "delete from passage where id in (%s)"));
    }

    /** Visitors whose expected window ended before the cutoff, their passes and their face templates. */
    @Override
    public int purgeVisitors(Instant before) {
        return purge(before, "select id from visitor where expected_until < ? order by expected_until, id", null,
                List.of("delete from visitor_pass where visitor_id in (%s)",
                        "delete from face_template where subject_id in (%s)",
                        "delete from visitor where id in (%s)"));
    }

    @Override
    public int purgeVisitLog(Instant before) {
        return purge(before, "select id from visit_log where at < ? order by at, id", null,
                List.of("delete from visit_log where id in (%s)"));
    }

    @Override
    public int purgeAlerts(Instant before) {
        return purge(before, "select id from alert where status = 'CLOSED' and raised_at < ? order by raised_at, id", null,
                List.of("delete from alert where id in (%s)"));
    }

    /**
     * Published outbox rows before the cutoff, except those an open dead letter names (kept until it is replayed or
     * skipped). Per stream, the newest row deleted is remembered ({@code outbox_purged}): a consumer asking later
     * for events from before it is told that retention removed them.
     */
    @Override
    public int purgePublishedOutbox(Instant before) {
        return purge(before, "select sequence from outbox where published_at is not null and published_at < ?"
                        + " and " + NO_OPEN_DEAD_LETTER + " order by sequence",
                MARK.formatted("sequence in (%s)"),
                List.of("delete from outbox where sequence in (%s)"));
    }

    /**
     * Repeats, one transaction each: select up to BATCH keys with {@code select} (one parameter: the cutoff),
     * run every {@code deletes} statement with those keys in place of {@code %s}; the last statement's count
     * is the number of rows purged. Stops when a batch is not full. {@code mark} (or null), with the keys in place of
     * {@code %s}, tells per stream the newest outbox row the deletes remove; it is remembered in {@code outbox_purged}.
     */
    private int purge(Instant before, String select, String mark, List<String> deletes) {
        Validation.require(before, "before");
        OffsetDateTime cutoff = OffsetDateTime.ofInstant(before, ZoneOffset.UTC);
        int total = 0;
        while (true) {
            int[] batch = store.write(context -> {
                Connection connection = store.transactionConnection();
                try {
                    List<Object> keys = new ArrayList<>();
                    try (PreparedStatement query = connection.prepareStatement(select)) {
                        query.setObject(1, cutoff);
                        query.setMaxRows(BATCH);
                        try (ResultSet rs = query.executeQuery()) {
                            while (rs.next() && keys.size() < BATCH) {
                                keys.add(rs.getObject(1));
                            }
                        }
                    }
                    int deleted = 0;
                    if (!keys.isEmpty()) {
                        String marks = String.join(", ", java.util.Collections.nCopies(keys.size(), "?"));
                        if (mark != null) {
                            remember(connection, mark.formatted(marks), keys);
                        }
                        for (String delete : deletes) {
                            try (PreparedStatement statement = connection.prepareStatement(delete.formatted(marks))) {
                                for (int i = 0; i < keys.size(); i++) {
                                    statement.setObject(i + 1, keys.get(i));
                                }
                                deleted = statement.executeUpdate();
                            }
                        }
                    }
                    return new int[] {keys.size(), deleted};
                } catch (SQLException e) {
                    throw Errors.translate(e);
                }
            });
            total += batch[1];
            if (batch[0] < BATCH) {
                return total;
            }
        }
    }

    /** Raises each stream's mark in {@code outbox_purged} to the newest row {@code select} finds among {@code keys}. */
    private static void remember(Connection connection, String select, List<Object> keys) throws SQLException {
        List<Object[]> newest = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement(select)) {
            for (int i = 0; i < keys.size(); i++) {
                query.setObject(i + 1, keys.get(i));
            }
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    newest.add(new Object[] {rs.getString(1), rs.getLong(2), rs.getObject(3, OffsetDateTime.class)});
                }
            }
        }
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        for (Object[] n : newest) {
            try (PreparedStatement insert = connection.prepareStatement("insert into outbox_purged (stream, "
                    + "last_sequence, last_created_at, purged_at) values (?, ?, ?, ?) on conflict do nothing");
                 PreparedStatement update = connection.prepareStatement("update outbox_purged set last_sequence = "
                         + "greatest(last_sequence, ?), last_created_at = greatest(last_created_at, ?), purged_at = ? "
                         + "where stream = ?")) {
                Jdbc.bind(insert, n[0], n[1], n[2], now);
                insert.executeUpdate();
                Jdbc.bind(update, n[1], n[2], now, n[0]);
                update.executeUpdate();
            }
        }
    }
}

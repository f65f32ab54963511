package org.gatehouse.store.internal.repo;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.gatehouse.store.internal.CayenneStore;

/**
 * Appends to the outbox inside the caller's transaction; a repeated (stream, event id) is ignored.
 *
 * <p>Consumers read a stream by sequence ({@code sequence > position}) and move their position on, so the outbox must
 * never make visible a sequence lower than one already visible: two transactions that numbered their rows 10 and 11
 * and committed 11 first would let a consumer pass over 10 for good. The rows are therefore inserted as the last
 * thing before the commit ({@link CayenneStore#atCommit}), under the lock of the single {@code outbox_order} row: the
 * next writer numbers its rows only after this commit, so sequence order is commit order. Taken last, after every
 * other lock the transaction holds, the lock cannot close a cycle with them (no deadlock), and it is held for a few
 * inserts and the commit.
 */
final class OutboxWriter {
    private OutboxWriter() {
    }

    /** Adds the event to the outbox when the caller's transaction commits (with it, or not at all). */
    static void append(CayenneStore store, String stream, String eventId, String communityId, String payload) {
        store.atCommit(Pending.class, Pending::new).rows.add(new Row(stream, eventId, communityId, payload,
                OffsetDateTime.ofInstant(RepositoryQueries.now(), ZoneOffset.UTC)));
    }

    private record Row(String stream, String eventId, String communityId, String payload, OffsetDateTime createdAt) {
    }

    /** This transaction's outbox rows, written at its commit. */
    private static final class Pending implements CayenneStore.CommitStep {
        final List<Row> rows = new ArrayList<>();

        @Override
        public void run(Connection connection) throws SQLException {
            if (rows.isEmpty()) {
                return;
            }
            try (PreparedStatement lock = connection.prepareStatement(
                    "select id from outbox_order where id = 1 for update")) {
                lock.executeQuery().close();
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    "insert into outbox (stream, event_id, community_id, payload, created_at, attempts) "
                            + "values (?, ?, ?, ?, ?, 0) on conflict do nothing")) {
                for (Row row : rows) {
                    insert.setString(1, row.stream());
                    insert.setString(2, row.eventId());
                    insert.setString(3, row.communityId());
                    insert.setString(4, row.payload());
                    insert.setObject(5, row.createdAt());
                    insert.executeUpdate();
                }
            }
        }
    }
}

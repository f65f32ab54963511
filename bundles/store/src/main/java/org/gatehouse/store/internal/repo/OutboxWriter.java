package org.gatehouse.store.internal.repo;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import org.gatehouse.store.internal.CayenneStore;
import org.gatehouse.store.internal.Errors;

/** Appends to the outbox inside the caller's Cayenne transaction; a repeated (stream, event id) is ignored. */
final class OutboxWriter {
    private OutboxWriter() {
    }

    /** @return true if a row was added, false if the (stream, event id) was already there */
    static boolean append(CayenneStore store, String stream, String eventId, String communityId, String payload) {
        Connection connection = store.transactionConnection();
        try (PreparedStatement insert = connection.prepareStatement(
                "insert into outbox (stream, event_id, community_id, payload, created_at, attempts) "
                        + "values (?, ?, ?, ?, ?, 0) on conflict do nothing")) {
            insert.setString(1, stream);
            insert.setString(2, eventId);
            insert.setString(3, communityId);
            insert.setString(4, payload);
            insert.setObject(5, OffsetDateTime.ofInstant(RepositoryQueries.now(), ZoneOffset.UTC));
            return insert.executeUpdate() > 0;
        } catch (SQLException e) {
            throw Errors.translate(e);
        }
    }
}

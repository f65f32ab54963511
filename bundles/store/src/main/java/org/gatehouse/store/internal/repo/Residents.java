package org.gatehouse.store.internal.repo;

import static org.gatehouse.store.internal.repo.RepositoryQueries.*;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

import org.apache.cayenne.ObjectContext;
import org.gatehouse.api.service.NotFoundException;
import org.gatehouse.api.service.Scope;
import org.gatehouse.store.internal.CayenneStore;
import org.gatehouse.store.internal.Errors;
import org.gatehouse.store.internal.model.ResidentRow;

/**
 * Resident lookups shared by the repositories. A resident with {@code removedAt} set (moved out) is not found
 * by any of them; its consents and revoked credentials stay for the record.
 */
final class Residents {
    private Residents() {
    }

    /** The resident if it exists, is in scope and is not removed. */
    static Optional<ResidentRow> find(ObjectContext context, String id, Scope scope) {
        return RepositoryQueries.find(context, ResidentRow.class, id, scope).filter(Residents::present);
    }

    static boolean present(ResidentRow row) {
        return row.readProperty("removedAt") == null;
    }

    /**
     * Locks the resident's row until the current transaction ends ({@code select ... for update} on the
     * transaction's connection), then loads it: removing a resident, changing it and issuing a credential or
     * recording a consent for it are serialised, so nothing is added to a resident being removed.
     * Missing, out-of-scope and removed residents are {@link NotFoundException}.
     */
    static ResidentRow lock(CayenneStore store, ObjectContext context, String id, Scope scope) {
        lockRow(store, id, scope);
        return find(context, id, scope).orElseThrow(() -> new NotFoundException("resident", id));
    }

    /**
     * As {@link #lock}, but also finds a removed resident (moved out): withdrawing a consent, ending faces and
     * erasure apply to them too. Missing and out-of-scope residents are {@link NotFoundException}.
     */
    static ResidentRow lockAny(CayenneStore store, ObjectContext context, String id, Scope scope) {
        lockRow(store, id, scope);
        return RepositoryQueries.find(context, ResidentRow.class, id, scope)
                .orElseThrow(() -> new NotFoundException("resident", id));
    }

    private static void lockRow(CayenneStore store, String id, Scope scope) {
        scope(scope);
        if (id == null || id.isBlank()) {
            throw new NotFoundException("resident", String.valueOf(id));
        }
        Connection connection = store.transactionConnection();
        try (PreparedStatement select = connection.prepareStatement(
                "select id from resident where id = ? for update")) {
            select.setString(1, id);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    throw new NotFoundException("resident", id);
                }
            }
        } catch (SQLException e) {
            throw Errors.translate(e);
        }
    }
}

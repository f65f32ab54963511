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

import org.gatehouse.store.internal.Errors;

/** Plain JDBC for the tables without a Cayenne entity: statements on a given connection, times as UTC instants. */
final class Jdbc {
    private Jdbc() {
    }

    @FunctionalInterface
    interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    static <T> List<T> query(Connection connection, String sql, int max, RowMapper<T> mapper,
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

    static int update(Connection connection, String sql, Object... parameters) {
        try (PreparedStatement update = connection.prepareStatement(sql)) {
            bind(update, parameters);
            return update.executeUpdate();
        } catch (SQLException e) {
            throw Errors.translate(e);
        }
    }

    static void bind(PreparedStatement statement, Object... parameters) throws SQLException {
        for (int i = 0; i < parameters.length; i++) {
            Object p = parameters[i];
            if (p == null) {
                statement.setNull(i + 1, java.sql.Types.NULL);
            } else {
                statement.setObject(i + 1, p);
            }
        }
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    static OffsetDateTime at(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}

package org.gatehouse.store.internal;

import java.sql.CallableStatement;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import org.apache.cayenne.access.types.ExtendedType;

/**
 * {@link Instant} as {@code timestamp with time zone}, bound and read as {@link OffsetDateTime} in UTC so
 * that neither the JVM's nor the database session's time zone changes a value (H2 and PostgreSQL alike).
 */
public final class InstantType implements ExtendedType<Instant> {
    @Override
    public String getClassName() {
        return Instant.class.getName();
    }

    @Override
    public void setJdbcObject(PreparedStatement statement, Instant value, int pos, int type, int scale)
            throws Exception {
        if (value == null) {
            statement.setNull(pos, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            statement.setObject(pos, OffsetDateTime.ofInstant(value, ZoneOffset.UTC));
        }
    }

    @Override
    public Instant materializeObject(ResultSet rs, int index, int type) throws Exception {
        OffsetDateTime value = rs.getObject(index, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    @Override
    public Instant materializeObject(CallableStatement rs, int index, int type) throws Exception {
        OffsetDateTime value = rs.getObject(index, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    @Override
    public String toString(Instant value) {
        return value == null ? "NULL" : "'" + value + "'";
    }
}

package org.gatehouse.store.internal.repo;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import org.gatehouse.api.service.AuditLog.AuditEntry;
import org.gatehouse.store.internal.model.AuditLogRow;

/** Reading {@code audit_log} and {@code audit_chain_head} over JDBC (and audit rows read by Cayenne) as entries. */
final class AuditLogRows {
    static final String COLUMNS = "sequence, at, actor, action, community_id, subject_id, detail, previous_hash, hash";

    interface EntrySink {
        void accept(AuditEntry entry);
    }

    private AuditLogRows() {
    }

    /** Every entry up to {@code headSequence}, in sequence order, a page per query, on this connection. */
    static void walk(Connection c, long headSequence, int pageSize, EntrySink sink) throws SQLException {
        long cursor = Long.MIN_VALUE;
        while (true) {
            List<AuditEntry> page = page(c, cursor, headSequence, pageSize);
            for (AuditEntry e : page) {
                sink.accept(e);
                cursor = e.sequence();
            }
            if (page.size() < pageSize) {
                return;
            }
        }
    }

    static List<AuditEntry> page(Connection c, long after, long upTo, int pageSize) throws SQLException {
        List<AuditEntry> page = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("select " + COLUMNS + " from audit_log where sequence > ? and "
                + "sequence <= ? order by sequence limit ?")) {
            st.setLong(1, after);
            st.setLong(2, upTo);
            st.setInt(3, pageSize);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    page.add(entry(rs));
                }
            }
        }
        return page;
    }

    /** A row selected with {@link #COLUMNS}. */
    static AuditEntry entry(ResultSet rs) throws SQLException {
        return new AuditEntry(rs.getLong(1), rs.getObject(2, OffsetDateTime.class).toInstant(), rs.getString(3),
                rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9));
    }

    static AuditEntry entry(AuditLogRow row) {
        return new AuditEntry(((Number) row.readProperty("sequence")).longValue(), row.instant("at"), row.str("actor"),
                row.str("action"), row.str("communityId"), row.str("subjectId"), row.str("detail"),
                row.str("previousHash"), row.str("hash"));
    }

    static String chainFormat(Connection c) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("select chain_format from audit_chain_head where id = 1");
             ResultSet rs = st.executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /** The first sequence after the chain head (one statement, so one snapshot), or -1. */
    static long firstBeyond(Connection c) throws SQLException {
        try (PreparedStatement query = c.prepareStatement("select min(sequence) from audit_log where sequence > "
                + "(select last_sequence from audit_chain_head where id = 1)"); ResultSet rs = query.executeQuery()) {
            if (rs.next()) {
                long value = rs.getLong(1);
                return rs.wasNull() ? -1L : value;
            }
            return -1L;
        }
    }
}

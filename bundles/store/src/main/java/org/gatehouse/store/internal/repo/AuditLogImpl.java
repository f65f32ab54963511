package org.gatehouse.store.internal.repo;

import static org.gatehouse.store.internal.repo.Support.*;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

import org.apache.cayenne.exp.Expression;
import org.apache.cayenne.exp.ExpressionFactory;
import org.apache.cayenne.query.ObjectSelect;
import org.apache.cayenne.query.Ordering;
import org.apache.cayenne.query.SortOrder;
import org.gatehouse.api.model.Validation;
import org.gatehouse.api.service.AuditLog;
import org.gatehouse.api.service.Scope;
import org.gatehouse.store.internal.CayenneStore;
import org.gatehouse.store.internal.Errors;
import org.gatehouse.store.internal.model.AuditChainHeadRow;
import org.gatehouse.store.internal.model.AuditLogRow;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The hash-chained, append-only audit log. {@code hash = SHA-256(encoding of previous_hash, at, actor, action,
 * community_id, subject_id, detail)} where every field is UTF-8 prefixed with its byte length as a 4-byte
 * big-endian int (-1 for null) after a format tag, and {@code at} is ISO-8601 UTC with exactly six fractional
 * digits. The first entry chains to 64 zeros.
 * <p>
 * Appends are serialised twice: a JVM lock (no waiting on database locks inside one node) and
 * {@code select ... for update} of the single row of {@code audit_chain_head} in the same transaction as the
 * insert and the head update (across nodes sharing a PostgreSQL; H2 and PostgreSQL both lock the row).
 * There is deliberately no update or delete.
 */
@Component(service = AuditLog.class)
public class AuditLogImpl implements AuditLog {
    public static final String GENESIS = "0".repeat(64);
    static final String FORMAT = "gatehouse.audit.v1";
    static final int PAGE = 500;
    static final int MAX_DETAIL = 100_000;
    private static final DateTimeFormatter AT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final CayenneStore store;
    private final int pageSize;
    private final ReentrantLock appendLock = new ReentrantLock(true);

    @Activate
    public AuditLogImpl(@Reference CayenneStore store) {
        this(store, PAGE);
    }

    /** With another page size for {@link #verify()} (tests). */
    public AuditLogImpl(CayenneStore store, int pageSize) {
        if (pageSize < 1) {
            throw new IllegalArgumentException("pageSize must be at least 1");
        }
        this.store = store;
        this.pageSize = pageSize;
    }

    @Override
    public AuditEntry append(String actor, String action, String communityId, String subjectId, String detail) {
        text(actor, "actor", 200);
        text(action, "action", 100);
        String community = blankToNull(communityId, "communityId", 64);
        String subject = blankToNull(subjectId, "subjectId", 128);
        if (detail != null && detail.length() > MAX_DETAIL) {
            throw new IllegalArgumentException("detail is longer than " + MAX_DETAIL + " characters");
        }
        appendLock.lock();
        try {
            return store.write(context -> {
                Connection connection = store.transactionConnection();
                try {
                    String previous;
                    try (PreparedStatement head = connection.prepareStatement(
                            "select last_sequence, last_hash from audit_chain_head where id = 1 for update");
                         ResultSet rs = head.executeQuery()) {
                        if (!rs.next()) {
                            throw new IllegalStateException("audit_chain_head has no row 1: the audit log cannot "
                                    + "be appended to (restore it from the last entry)");
                        }
                        previous = rs.getString(2);
                    }
                    Instant at = now();
                    String hash = hash(previous, at, actor, action, community, subject, detail);
                    long sequence;
                    try (PreparedStatement insert = connection.prepareStatement(
                            "insert into audit_log (at, actor, action, community_id, subject_id, detail, "
                                    + "previous_hash, hash) values (?, ?, ?, ?, ?, ?, ?, ?)",
                            new String[] {"sequence"})) {
                        insert.setObject(1, OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
                        insert.setString(2, actor);
                        insert.setString(3, action);
                        insert.setString(4, community);
                        insert.setString(5, subject);
                        insert.setString(6, detail);
                        insert.setString(7, previous);
                        insert.setString(8, hash);
                        insert.executeUpdate();
                        try (ResultSet keys = insert.getGeneratedKeys()) {
                            if (!keys.next()) {
                                throw new IllegalStateException("no sequence generated for the audit entry");
                            }
                            sequence = keys.getLong(1);
                        }
                    }
                    try (PreparedStatement update = connection.prepareStatement(
                            "update audit_chain_head set last_sequence = ?, last_hash = ? where id = 1")) {
                        update.setLong(1, sequence);
                        update.setString(2, hash);
                        update.executeUpdate();
                    }
                    return new AuditEntry(sequence, at, actor, action, community, subject, detail, previous, hash);
                } catch (SQLException e) {
                    throw Errors.translate(e);
                }
            });
        } finally {
            appendLock.unlock();
        }
    }

    @Override
    public List<AuditEntry> entries(Scope scope, String communityId, Instant from, Instant to, int limit) {
        int max = limit(limit);
        if (communityId != null && !scope(scope).allows(communityId)) {
            return List.of();
        }
        Expression where = and(inScope(scope, "communityId"),
                communityId == null ? null : eq("communityId", communityId),
                from == null ? null : ExpressionFactory.greaterOrEqualExp("at", micros(from)),
                to == null ? null : ExpressionFactory.lessExp("at", micros(to)));
        return store.read(context -> select(AuditLogRow.class, where)
                .orderBy(new Ordering("sequence", SortOrder.DESCENDING)).limit(max).select(context).stream()
                .map(AuditLogImpl::entry).toList());
    }

    @Override
    public List<AuditEntry> entriesAbout(Scope scope, String subjectId, long afterSequence, int limit) {
        int max = limit(limit);
        Validation.requireText(subjectId, "subjectId");
        Expression where = and(inScope(scope, "communityId"), eq("subjectId", subjectId),
                ExpressionFactory.greaterExp("sequence", afterSequence));
        return store.read(context -> select(AuditLogRow.class, where)
                .orderBy(new Ordering("sequence", SortOrder.ASCENDING)).limit(max).select(context).stream()
                .map(AuditLogImpl::entry).toList());
    }

    /**
     * Walks the chain in sequence order, {@value #PAGE} entries per query (one read each, never the whole log
     * at once), up to the chain head read at the start (entries appended meanwhile are left for the next run). Reports the first entry whose previous_hash does
     * not link to the entry before it (removed or inserted entries), or whose content does not give its hash
     * (changed entry); then checks that the log ends at the chain head (entries removed from the end) and that
     * nothing lies beyond it (entries inserted behind append()'s back).
     */
    @Override
    public Verification verify() {
        AuditChainHeadRow head = store.read(context -> ObjectSelect.query(AuditChainHeadRow.class)
                .where(eq("id", 1)).selectOne(context));
        if (head == null) {
            return new Verification(false, 0, 0, "the chain head (audit_chain_head row 1) is missing");
        }
        long headSequence = ((Number) head.readProperty("lastSequence")).longValue();
        String headHash = head.str("lastHash");

        long entries = 0;
        long bad = -1;
        String problem = "";
        String expectedPrevious = GENESIS;
        long lastSequence = -1;
        long cursor = Long.MIN_VALUE;
        while (true) {
            long after = cursor;
            List<AuditLogRow> page = store.read(context -> ObjectSelect.query(AuditLogRow.class)
                    .where(ExpressionFactory.greaterExp("sequence", after))
                    .and(ExpressionFactory.lessOrEqualExp("sequence", headSequence))
                    .orderBy(new Ordering("sequence", SortOrder.ASCENDING)).limit(pageSize).select(context));
            for (AuditLogRow row : page) {
                AuditEntry e = entry(row);
                entries++;
                if (bad < 0) {
                    if (!e.previousHash().equals(expectedPrevious)) {
                        bad = e.sequence();
                        problem = lastSequence < 0
                                ? "entry " + e.sequence() + " does not start the chain (its previous_hash is not the "
                                + "genesis hash): entries before it were removed, or it was inserted"
                                : "entry " + e.sequence() + ": previous_hash does not match the hash of entry "
                                + lastSequence + ": an entry between them was removed or inserted (or entry "
                                + lastSequence + " was rewritten with a new hash)";
                    } else if (!hash(e.previousHash(), e.at(), e.actor(), e.action(), e.communityId(),
                            e.subjectId(), e.detail()).equals(e.hash())) {
                        bad = e.sequence();
                        problem = "entry " + e.sequence() + " was changed: its content does not match its hash";
                    }
                }
                expectedPrevious = e.hash();
                lastSequence = e.sequence();
            }
            if (page.size() < pageSize) {
                break;
            }
            cursor = lastSequence;
        }
        if (bad < 0 && headSequence > 0 && (lastSequence != headSequence || !expectedPrevious.equals(headHash))) {
            bad = headSequence;
            problem = lastSequence == headSequence
                    ? "entry " + headSequence + " does not carry the hash recorded in the chain head (rewritten)"
                    : "the chain head records entry " + headSequence + " but the log ends at entry "
                    + (lastSequence < 0 ? "(none)" : Long.toString(lastSequence)) + ": entries at the end were removed";
        }
        if (bad < 0) {
            long beyond = firstBeyondHead();
            if (beyond >= 0) {
                bad = beyond;
                problem = "entry " + beyond + " lies beyond the chain head: it was not written by append()";
            }
        }
        return new Verification(bad < 0, entries, bad, problem);
    }

    /** The first sequence after the current chain head (one statement, so one snapshot), or -1. */
    private long firstBeyondHead() {
        return store.write(context -> {
            try (PreparedStatement query = store.transactionConnection().prepareStatement(
                    "select min(sequence) from audit_log where sequence > "
                            + "(select last_sequence from audit_chain_head where id = 1)");
                 ResultSet rs = query.executeQuery()) {
                if (rs.next()) {
                    long value = rs.getLong(1);
                    return rs.wasNull() ? -1L : value;
                }
                return -1L;
            } catch (SQLException e) {
                throw Errors.translate(e);
            }
        });
    }

    static AuditEntry entry(AuditLogRow row) {
        return new AuditEntry(((Number) row.readProperty("sequence")).longValue(), row.instant("at"), row.str("actor"),
                row.str("action"), row.str("communityId"), row.str("subjectId"), row.str("detail"),
                row.str("previousHash"), row.str("hash"));
    }

    /** SHA-256 (lower-case hex) of the canonical, length-prefixed encoding of an entry. */
    public static String hash(String previousHash, Instant at, String actor, String action, String communityId,
                              String subjectId, String detail) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String field : new String[] {FORMAT, previousHash, AT.format(at), actor, action, communityId,
                    subjectId, detail}) {
                if (field == null) {
                    digest.update(ByteBuffer.allocate(4).putInt(-1).array());
                } else {
                    byte[] bytes = field.getBytes(StandardCharsets.UTF_8);
                    digest.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
                    digest.update(bytes);
                }
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing", e);
        }
    }

    private static void text(String value, String field, int max) {
        Validation.requireText(value, field);
        if (value.length() > max) {
            throw new IllegalArgumentException(field + " is longer than " + max + " characters");
        }
    }

    private static String blankToNull(String value, String field, int max) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (value.length() > max) {
            throw new IllegalArgumentException(field + " is longer than " + max + " characters");
        }
        return value;
    }
}

package org.gatehouse.store.internal.repo;

import static org.gatehouse.store.internal.repo.AuditHashes.*;
import static org.gatehouse.store.internal.repo.AuditLogRows.*;
import static org.gatehouse.store.internal.repo.RepositoryQueries.*;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
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
import org.gatehouse.api.service.StoreUnavailableException;
import org.gatehouse.store.internal.CayenneStore;
import org.gatehouse.store.internal.Errors;
import org.gatehouse.store.internal.StoreConfig;
import org.gatehouse.store.internal.StoreSettings;
import org.gatehouse.store.internal.model.AuditChainHeadRow;
import org.gatehouse.store.internal.model.AuditLogRow;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hash-chained, append-only audit log: appends, queries, the chain head and its verification. The hashes are
 * {@link AuditHashes}' (HMAC-SHA256 under the audit key, the first entry chaining to 64 zeros); the key, and the
 * keying of a chain written before V007, are {@link AuditKey}'s; a verification walk is checked by
 * {@link AuditChainCheck}.
 * <p>
 * Appends are serialised twice: a JVM lock (no waiting on database locks inside one node) and
 * {@code select ... for update} of the single row of {@code audit_chain_head} in the same transaction as the
 * insert and the head update (across nodes sharing a PostgreSQL; H2 and PostgreSQL both lock the row).
 * There is deliberately no update or delete.
 */
@Component(service = AuditLog.class, configurationPid = CayenneStore.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public class AuditLogImpl implements AuditLog {
    static final int PAGE = 500;
    static final int MAX_DETAIL = 100_000;
    private static final Logger LOG = LoggerFactory.getLogger(AuditLogImpl.class);

    private final CayenneStore store;
    private final Path keyFile;
    private final int pageSize;
    private final ReentrantLock appendLock = new ReentrantLock(true);
    private final AuditKey key;

    @Activate
    public AuditLogImpl(@Reference CayenneStore store, @Reference KeyChecksImpl checks, StoreConfig config) {
        this(store, checks, StoreSettings.etcFile(config.auditKeyFile(), "auditKeyFile"), PAGE);
    }

    public AuditLogImpl(CayenneStore store, KeyChecksImpl checks, Path keyFile) {
        this(store, checks, keyFile, PAGE);
    }

    /**
     * With another page size for {@link #verify()} (tests). Opens the audit key and keys an old chain now when the
     * database answers (a refused key or a broken old chain then stops the component), else on first use.
     */
    public AuditLogImpl(CayenneStore store, KeyChecksImpl checks, Path keyFile, int pageSize) {
        if (pageSize < 1) {
            throw new IllegalArgumentException("pageSize must be at least 1");
        }
        this.store = store;
        this.keyFile = keyFile.toAbsolutePath().normalize();
        this.pageSize = pageSize;
        this.key = new AuditKey(store, checks, this.keyFile, pageSize);
        try {
            key.ready();
        } catch (StoreUnavailableException e) {
            LOG.warn("the database is not reachable: the audit key {} is checked, and the chain keyed, on first use "
                    + "({})", this.keyFile, e.getMessage());
        }
    }

    public Path keyFile() {
        return keyFile;
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
        byte[] k = key.ready();
        appendLock.lock();
        try {
            return store.write(context -> {
                Connection connection = store.transactionConnection();
                try {
                    String previous;
                    try (PreparedStatement head = connection.prepareStatement(
                            "select last_sequence, last_hash, chain_format from audit_chain_head where id = 1 for update");
                         ResultSet rs = head.executeQuery()) {
                        if (!rs.next()) {
                            throw new IllegalStateException("audit_chain_head has no row 1: the audit log cannot "
                                    + "be appended to (restore it from the last entry)");
                        }
                        if (!AuditKey.CHAIN_HMAC.equals(rs.getString(3))) {
                            throw new IllegalStateException("the audit chain is marked '" + rs.getString(3)
                                    + "', not keyed: restart Gatehouse to key it before appending");
                        }
                        previous = rs.getString(2);
                    }
                    Instant at = now();
                    String hash = hmac(k, previous, at, actor, action, community, subject, detail);
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
                .map(AuditLogRows::entry).toList());
    }

    @Override
    public List<AuditEntry> entriesAbout(Scope scope, String subjectId, long afterSequence, int limit) {
        int max = limit(limit);
        Validation.requireText(subjectId, "subjectId");
        Expression where = and(inScope(scope, "communityId"), eq("subjectId", subjectId),
                ExpressionFactory.greaterExp("sequence", afterSequence));
        return store.read(context -> select(AuditLogRow.class, where)
                .orderBy(new Ordering("sequence", SortOrder.ASCENDING)).limit(max).select(context).stream()
                .map(AuditLogRows::entry).toList());
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
        return verify(List.of());
    }

    /**
     * {@link #verify()}, and each exported head must be an entry of the walk with the same hash: a head beyond the
     * last entry means entries after it were removed (the chain alone cannot tell once the head row was moved back
     * too), a head whose entry carries another hash means it was rewritten (by someone holding the key, or before it
     * with the chain recomputed). A problem of the chain itself is reported first.
     */
    @Override
    public Verification verify(List<ExportedHead> exported) {
        Validation.require(exported, "exported");
        byte[] k = key.ready();
        AuditChainHeadRow head = store.read(context -> ObjectSelect.query(AuditChainHeadRow.class)
                .where(eq("id", 1)).selectOne(context));
        if (head == null) {
            return new Verification(false, 0, 0, "the chain head (audit_chain_head row 1) is missing", exported.size());
        }
        long headSequence = ((Number) head.readProperty("lastSequence")).longValue();
        String headHash = head.str("lastHash");

        AuditChainCheck check = new AuditChainCheck(exported);
        long cursor = Long.MIN_VALUE;
        while (true) {
            long after = cursor;
            List<AuditLogRow> page = store.read(context -> ObjectSelect.query(AuditLogRow.class)
                    .where(ExpressionFactory.greaterExp("sequence", after))
                    .and(ExpressionFactory.lessOrEqualExp("sequence", headSequence))
                    .orderBy(new Ordering("sequence", SortOrder.ASCENDING)).limit(pageSize).select(context));
            for (AuditLogRow row : page) {
                AuditEntry e = entry(row);
                check.accept(e, hmac(k, e.previousHash(), e.at(), e.actor(), e.action(), e.communityId(),
                        e.subjectId(), e.detail()));
                cursor = e.sequence();
            }
            if (page.size() < pageSize) {
                break;
            }
        }
        check.end(headSequence, headHash);
        check.beyond(firstBeyondHead());
        return check.result();
    }

    @Override
    public Head head() {
        key.ready();
        return store.withConnection(c -> {
            try (PreparedStatement st = c.prepareStatement("select last_sequence, last_hash from audit_chain_head "
                    + "where id = 1"); ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("the chain head (audit_chain_head row 1) is missing");
                }
                return new Head(rs.getLong(1), rs.getString(2));
            }
        });
    }

    /** The first sequence after the current chain head (one statement, so one snapshot), or -1. */
    private long firstBeyondHead() {
        return store.withConnection(AuditLogRows::firstBeyond);
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

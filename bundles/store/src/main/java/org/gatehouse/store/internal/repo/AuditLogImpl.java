package org.gatehouse.store.internal.repo;

import static org.gatehouse.store.internal.repo.Support.*;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.apache.cayenne.exp.Expression;
import org.apache.cayenne.exp.ExpressionFactory;
import org.apache.cayenne.query.ObjectSelect;
import org.apache.cayenne.query.Ordering;
import org.apache.cayenne.query.SortOrder;
import org.gatehouse.api.keys.GuardedKey;
import org.gatehouse.api.keys.KeyGuard;
import org.gatehouse.api.model.Validation;
import org.gatehouse.api.service.AuditLog;
import org.gatehouse.api.service.KeyChecks;
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
 * The hash-chained, append-only audit log. {@code hash = HMAC-SHA256(audit key, encoding of previous_hash, at,
 * actor, action, community_id, subject_id, detail)} where every field is UTF-8 prefixed with its byte length as a
 * 4-byte big-endian int (-1 for null) after a format tag, and {@code at} is ISO-8601 UTC with exactly six fractional
 * digits. The first entry chains to 64 zeros. The audit key is a file outside the database
 * ({@code etc/gatehouse-audit.key}), opened through {@link KeyGuard}: without it nobody can recompute the chain after
 * changing the database.
 * <p>
 * Chains written before V007 used SHA-256 without a key ({@code audit_chain_head.chain_format = 'sha256'}): the first
 * start verifies that chain and, only if it holds, re-chains every entry with the HMAC in one transaction; a broken
 * old chain is refused, naming the entry, and nothing is changed.
 * <p>
 * Appends are serialised twice: a JVM lock (no waiting on database locks inside one node) and
 * {@code select ... for update} of the single row of {@code audit_chain_head} in the same transaction as the
 * insert and the head update (across nodes sharing a PostgreSQL; H2 and PostgreSQL both lock the row).
 * There is deliberately no update or delete.
 */
@Component(service = AuditLog.class, configurationPid = CayenneStore.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public class AuditLogImpl implements AuditLog {
    public static final String GENESIS = "0".repeat(64);
    /** The unkeyed SHA-256 chain of V002..V006. */
    static final String FORMAT_V1 = "gatehouse.audit.v1";
    /** The HMAC-SHA256 chain. */
    static final String FORMAT = "gatehouse.audit.v2";
    /** {@code audit_chain_head.chain_format}: before and after the re-chaining. */
    public static final String CHAIN_SHA256 = "sha256";
    public static final String CHAIN_HMAC = "hmac-sha256";
    public static final String KEY_FILE = "gatehouse-audit.key";
    public static final int KEY_BYTES = 32;
    static final String LABEL = "audit key (HMAC of the audit log's hash chain)";
    static final int PAGE = 500;
    static final int MAX_DETAIL = 100_000;
    private static final DateTimeFormatter AT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final Logger LOG = LoggerFactory.getLogger(AuditLogImpl.class);

    private final CayenneStore store;
    private final Path keyFile;
    private final int pageSize;
    private final ReentrantLock appendLock = new ReentrantLock(true);
    private final GuardedKey key;
    private final Object readyLock = new Object();
    /** The chain is keyed (re-chained if it was not). */
    private volatile boolean ready;
    /** An old chain that cannot be keyed: every call fails with it until restart. */
    private volatile IllegalStateException unkeyable;

    @Activate
    public AuditLogImpl(@Reference CayenneStore store, @Reference KeyChecksImpl checks, StoreConfig config) {
        this(store, checks, StoreSettings.etcFile(config.auditKeyFile(), KEY_FILE), PAGE);
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
        this.key = new GuardedKey(
                () -> KeyGuard.open(checks, KeyChecks.AUDIT, LABEL, this.keyFile, KEY_BYTES, this::keyedData),
                this::opened, refused -> LOG.error("{}", refused.getMessage()));
        try {
            ready();
        } catch (StoreUnavailableException e) {
            LOG.warn("the database is not reachable: the audit key {} is checked, and the chain keyed, on first use "
                    + "({})", this.keyFile, e.getMessage());
        }
    }

    public Path keyFile() {
        return keyFile;
    }

    /** The audit key, checked; the chain keyed. */
    private byte[] ready() {
        byte[] k = key.get();
        if (ready) {
            return k;
        }
        synchronized (readyLock) {
            if (unkeyable != null) {
                throw unkeyable;
            }
            if (!ready) {
                try {
                    rechain(k);
                } catch (IllegalStateException e) {
                    unkeyable = e;
                    LOG.error("{}", e.getMessage());
                    throw e;
                }
                ready = true;
            }
        }
        return k;
    }

    private void opened(KeyGuard.Result result) {
        switch (result.outcome()) {
            case CREATED -> LOG.warn("created the audit key {} (32 random bytes, owner read/write only) and recorded "
                    + "its check value in the database: back it up with the database and keep it apart from it; "
                    + "without it the audit log can neither be verified nor appended to", keyFile);
            case RECORDED, RECORDED_VERIFIED, RECORDED_UNVERIFIED -> LOG.info("audit key {}: check value recorded in "
                    + "the database ({})", keyFile, result.outcome());
            default -> LOG.debug("audit key {} matches the database's key check", keyFile);
        }
    }

    /** What the database holds made with an audit key: entries of a keyed chain (the first and the newest). */
    private KeyGuard.KeyedData keyedData() {
        List<AuditEntry> samples = store.withConnection(c -> {
            if (!CHAIN_HMAC.equals(chainFormat(c))) {
                return List.<AuditEntry>of();
            }
            List<AuditEntry> found = new ArrayList<>();
            for (String order : new String[] {"asc", "desc"}) {
                try (PreparedStatement st = c.prepareStatement("select " + COLUMNS + " from audit_log order by "
                        + "sequence " + order + " limit 1"); ResultSet rs = st.executeQuery()) {
                    if (rs.next()) {
                        found.add(entry(rs));
                    }
                }
            }
            return found;
        });
        return new KeyGuard.KeyedData() {
            @Override
            public boolean exists() {
                return !samples.isEmpty();
            }

            @Override
            public String describe() {
                return "HMAC-chained audit entries (" + samples.get(0).sequence() + " to "
                        + samples.get(samples.size() - 1).sequence() + ")";
            }

            @Override
            public KeyGuard.Verdict tryKey(byte[] candidate) {
                for (AuditEntry e : samples) {
                    if (hmac(candidate, e.previousHash(), e.at(), e.actor(), e.action(), e.communityId(),
                            e.subjectId(), e.detail()).equals(e.hash())) {
                        return KeyGuard.Verdict.OPENS;
                    }
                }
                return KeyGuard.Verdict.DOES_NOT_OPEN;
            }
        };
    }

    /**
     * Keys a chain written before V007: under the head's row lock, in one transaction, verifies the unkeyed SHA-256
     * chain (links, hashes, head, nothing beyond the head) and, only if it holds, re-chains every entry with the HMAC
     * and marks the head {@value #CHAIN_HMAC}. A broken old chain is refused, naming the entry; nothing changes.
     */
    private void rechain(byte[] k) {
        store.withConnection(c -> {
            long headSequence;
            String headHash;
            String format;
            try (PreparedStatement head = c.prepareStatement("select last_sequence, last_hash, chain_format from "
                    + "audit_chain_head where id = 1 for update"); ResultSet rs = head.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("audit_chain_head has no row 1: the audit log cannot be keyed "
                            + "(restore it from the last entry)");
                }
                headSequence = rs.getLong(1);
                headHash = rs.getString(2);
                format = rs.getString(3);
            }
            if (CHAIN_HMAC.equals(format)) {
                return null;
            }
            if (!CHAIN_SHA256.equals(format)) {
                throw new IllegalStateException("audit_chain_head.chain_format is '" + format + "', neither '"
                        + CHAIN_SHA256 + "' nor '" + CHAIN_HMAC + "': the audit log cannot be verified");
            }
            ChainCheck old = new ChainCheck(List.of());
            walk(c, headSequence, e -> old.accept(e, sha256(e.previousHash(), e.at(), e.actor(), e.action(),
                    e.communityId(), e.subjectId(), e.detail())));
            old.end(headSequence, headHash);
            old.beyond(firstBeyond(c));
            Verification v = old.result();
            if (!v.intact()) {
                throw new IllegalStateException("The audit log cannot be keyed with " + keyFile + ": its unkeyed "
                        + "SHA-256 hash chain (written before this version) is broken at entry " + v.firstBadSequence()
                        + ": " + v.problem() + ". Nothing was changed, and the audit log does not start. Find out what "
                        + "happened to that entry (a backup of the database holds the original) and repair it; then "
                        + "restart Gatehouse to key the chain");
            }
            String previous = GENESIS;
            long count = 0;
            long cursor = Long.MIN_VALUE;
            try (PreparedStatement update = c.prepareStatement(
                    "update audit_log set previous_hash = ?, hash = ? where sequence = ?")) {
                while (true) {
                    List<AuditEntry> page = page(c, cursor, headSequence);
                    for (AuditEntry e : page) {
                        String hash = hmac(k, previous, e.at(), e.actor(), e.action(), e.communityId(), e.subjectId(),
                                e.detail());
                        update.setString(1, previous);
                        update.setString(2, hash);
                        update.setLong(3, e.sequence());
                        update.addBatch();
                        previous = hash;
                        cursor = e.sequence();
                        count++;
                    }
                    try {
                        update.executeBatch();
                    } catch (SQLException e) {
                        if (Errors.isUnavailable(e)) {
                            throw e;
                        }
                        throw new IllegalStateException("The audit log cannot be keyed: re-chaining its entries failed ("
                                + Errors.rootMessage(e) + "). Keying rewrites every entry's hashes once, in one "
                                + "transaction: the database user needs UPDATE on audit_log for that start (production "
                                + "grants: grant it, restart, revoke it again; bundles/store/README.md). Nothing was "
                                + "changed", e);
                    }
                    if (page.size() < pageSize) {
                        break;
                    }
                }
            }
            try (PreparedStatement head = c.prepareStatement("update audit_chain_head set last_hash = ?, chain_format = ? "
                    + "where id = 1")) {
                head.setString(1, previous);
                head.setString(2, CHAIN_HMAC);
                head.executeUpdate();
            }
            if (count > 0) {
                LOG.info("audit log: the unkeyed SHA-256 chain of {} entries verified and re-chained with HMAC-SHA256 "
                        + "under {}", count, keyFile);
            } else {
                LOG.info("audit log: chained with HMAC-SHA256 under {} from now on", keyFile);
            }
            return null;
        });
    }

    private static final String COLUMNS = "sequence, at, actor, action, community_id, subject_id, detail, "
            + "previous_hash, hash";

    private interface EntrySink {
        void accept(AuditEntry entry);
    }

    /** Every entry up to {@code headSequence}, in sequence order, a page per query, on this connection. */
    private void walk(Connection c, long headSequence, EntrySink sink) throws SQLException {
        long cursor = Long.MIN_VALUE;
        while (true) {
            List<AuditEntry> page = page(c, cursor, headSequence);
            for (AuditEntry e : page) {
                sink.accept(e);
                cursor = e.sequence();
            }
            if (page.size() < pageSize) {
                return;
            }
        }
    }

    private List<AuditEntry> page(Connection c, long after, long upTo) throws SQLException {
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

    private static AuditEntry entry(ResultSet rs) throws SQLException {
        return new AuditEntry(rs.getLong(1), rs.getObject(2, OffsetDateTime.class).toInstant(), rs.getString(3),
                rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9));
    }

    private static String chainFormat(Connection c) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("select chain_format from audit_chain_head where id = 1");
             ResultSet rs = st.executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /** The first sequence after the chain head (one statement, so one snapshot), or -1. */
    private static long firstBeyond(Connection c) throws SQLException {
        try (PreparedStatement query = c.prepareStatement("select min(sequence) from audit_log where sequence > "
                + "(select last_sequence from audit_chain_head where id = 1)"); ResultSet rs = query.executeQuery()) {
            if (rs.next()) {
                long value = rs.getLong(1);
                return rs.wasNull() ? -1L : value;
            }
            return -1L;
        }
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
        byte[] k = ready();
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
                        if (!CHAIN_HMAC.equals(rs.getString(3))) {
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
        byte[] k = ready();
        AuditChainHeadRow head = store.read(context -> ObjectSelect.query(AuditChainHeadRow.class)
                .where(eq("id", 1)).selectOne(context));
        if (head == null) {
            return new Verification(false, 0, 0, "the chain head (audit_chain_head row 1) is missing", exported.size());
        }
        long headSequence = ((Number) head.readProperty("lastSequence")).longValue();
        String headHash = head.str("lastHash");

        ChainCheck check = new ChainCheck(exported);
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
        ready();
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
        return store.withConnection(AuditLogImpl::firstBeyond);
    }

    /**
     * The checks of a walk, fed one entry at a time with the hash recomputed for it: first problem wins; exported
     * heads are checked as their entries pass, and the ones never passed at the end.
     */
    static final class ChainCheck {
        private final TreeMap<Long, List<ExportedHead>> exported = new TreeMap<>();
        private final int headsGiven;
        private final Set<Long> seen = new HashSet<>();
        private long entries;
        private long bad = -1;
        private String problem = "";
        private String expectedPrevious = GENESIS;
        private long lastSequence = -1;
        private long exportedBad = -1;
        private String exportedProblem = "";

        ChainCheck(List<ExportedHead> heads) {
            for (ExportedHead h : heads) {
                exported.computeIfAbsent(h.sequence(), s -> new ArrayList<>()).add(h);
            }
            headsGiven = heads.size();
        }

        void accept(AuditEntry e, String recomputed) {
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
                } else if (!recomputed.equals(e.hash())) {
                    bad = e.sequence();
                    problem = "entry " + e.sequence() + " was changed: its content does not match its hash";
                }
            }
            List<ExportedHead> heads = exported.get(e.sequence());
            if (heads != null) {
                seen.add(e.sequence());
                for (ExportedHead h : heads) {
                    if (!h.hash().equals(e.hash())) {
                        exportedProblem(e.sequence(), "entry " + e.sequence() + " was rewritten (or an entry before "
                                + "it, with the chain recomputed): its hash is not the one exported at "
                                + h.exportedAt() + " (" + h.hash() + ")");
                    }
                }
            }
            expectedPrevious = e.hash();
            lastSequence = e.sequence();
        }

        /** The log must end at the chain head. */
        void end(long headSequence, String headHash) {
            if (bad < 0 && headSequence > 0 && (lastSequence != headSequence || !expectedPrevious.equals(headHash))) {
                bad = headSequence;
                problem = lastSequence == headSequence
                        ? "entry " + headSequence + " does not carry the hash recorded in the chain head (rewritten)"
                        : "the chain head records entry " + headSequence + " but the log ends at entry "
                        + (lastSequence < 0 ? "(none)" : Long.toString(lastSequence))
                        + ": entries at the end were removed";
            }
        }

        /** {@code beyond}: the first entry after the head, or -1. */
        void beyond(long beyond) {
            if (bad < 0 && beyond >= 0) {
                bad = beyond;
                problem = "entry " + beyond + " lies beyond the chain head: it was not written by append()";
            }
        }

        Verification result() {
            for (Map.Entry<Long, List<ExportedHead>> head : exported.entrySet()) {
                long sequence = head.getKey();
                if (seen.contains(sequence)) {
                    continue;
                }
                ExportedHead h = head.getValue().get(0);
                if (lastSequence < 0 || sequence > lastSequence) {
                    exportedProblem(sequence, (lastSequence < 0 ? "every entry was removed"
                            : "entries after " + lastSequence + " were removed") + ": the head exported at "
                            + h.exportedAt() + " was entry " + sequence);
                } else {
                    exportedProblem(sequence, "entry " + sequence + " was removed: it was the head exported at "
                            + h.exportedAt());
                }
            }
            if (bad < 0 && exportedBad >= 0) {
                bad = exportedBad;
                problem = exportedProblem;
            }
            return new Verification(bad < 0, entries, bad, problem, headsGiven);
        }

        private void exportedProblem(long sequence, String text) {
            if (exportedBad < 0 || sequence < exportedBad) {
                exportedBad = sequence;
                exportedProblem = text;
            }
        }
    }

    static AuditEntry entry(AuditLogRow row) {
        return new AuditEntry(((Number) row.readProperty("sequence")).longValue(), row.instant("at"), row.str("actor"),
                row.str("action"), row.str("communityId"), row.str("subjectId"), row.str("detail"),
                row.str("previousHash"), row.str("hash"));
    }

    /** HMAC-SHA256 under the audit key (lower-case hex) of the canonical, length-prefixed encoding of an entry. */
    public static String hmac(byte[] key, String previousHash, Instant at, String actor, String action,
                              String communityId, String subjectId, String detail) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(encode(FORMAT, previousHash, at, actor, action, communityId,
                    subjectId, detail)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing", e);
        }
    }

    /** The unkeyed SHA-256 (lower-case hex) of chains written before V007: verified once before re-chaining. */
    public static String sha256(String previousHash, Instant at, String actor, String action, String communityId,
                                String subjectId, String detail) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(encode(FORMAT_V1,
                    previousHash, at, actor, action, communityId, subjectId, detail)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing", e);
        }
    }

    /** Each field UTF-8, prefixed with its byte length as a 4-byte big-endian int, -1 for null. */
    private static byte[] encode(String format, String previousHash, Instant at, String actor, String action,
                                 String communityId, String subjectId, String detail) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String field : new String[] {format, previousHash, AT.format(at), actor, action, communityId, subjectId,
                detail}) {
            if (field == null) {
                out.writeBytes(ByteBuffer.allocate(4).putInt(-1).array());
            } else {
                byte[] bytes = field.getBytes(StandardCharsets.UTF_8);
                out.writeBytes(ByteBuffer.allocate(4).putInt(bytes.length).array());
                out.writeBytes(bytes);
            }
        }
        return out.toByteArray();
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

package org.gatehouse.store.internal.repo;

import static org.gatehouse.store.internal.repo.AuditHashes.*;
import static org.gatehouse.store.internal.repo.AuditLogRows.*;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import org.gatehouse.api.keys.GuardedKey;
import org.gatehouse.api.keys.KeyGuard;
import org.gatehouse.api.service.AuditLog.AuditEntry;
import org.gatehouse.api.service.AuditLog.Verification;
import org.gatehouse.api.service.KeyChecks;
import org.gatehouse.store.internal.CayenneStore;
import org.gatehouse.store.internal.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit key: a file outside the database ({@code etc/gatehouse-audit.key}), opened through {@link KeyGuard}
 * (checked against the key check recorded in the database, or against the keyed entries it holds), so nobody without
 * it can recompute the chain after changing the database.
 * <p>
 * Chains written before V007 used SHA-256 without a key ({@code audit_chain_head.chain_format = 'sha256'}): the first
 * use verifies that chain and, only if it holds, re-chains every entry with the HMAC in one transaction; a broken
 * old chain is refused, naming the entry, and nothing is changed (every later use fails the same way until restart).
 */
final class AuditKey {
    /** {@code audit_chain_head.chain_format}: before and after the re-chaining. */
    static final String CHAIN_SHA256 = "sha256";
    static final String CHAIN_HMAC = "hmac-sha256";
    static final int KEY_BYTES = 32;
    static final String LABEL = "audit key (HMAC of the audit log's hash chain)";
    /** The audit log's own log lines. */
    private static final Logger LOG = LoggerFactory.getLogger(AuditLogImpl.class);

    private final CayenneStore store;
    private final Path keyFile;
    private final int pageSize;
    private final GuardedKey key;
    private final Object readyLock = new Object();
    /** The chain is keyed (re-chained if it was not). */
    private volatile boolean ready;
    /** An old chain that cannot be keyed: every call fails with it until restart. */
    private volatile IllegalStateException unkeyable;

    /** Nothing is read yet: {@link #ready()} opens the key and keys the chain. */
    AuditKey(CayenneStore store, KeyChecksImpl checks, Path keyFile, int pageSize) {
        this.store = store;
        this.keyFile = keyFile;
        this.pageSize = pageSize;
        this.key = new GuardedKey(
                () -> KeyGuard.open(checks, KeyChecks.AUDIT, LABEL, keyFile, KEY_BYTES, this::keyedData),
                this::opened, refused -> LOG.error("{}", refused.getMessage()));
    }

    /** The audit key, checked; the chain keyed. */
    byte[] ready() {
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
            AuditChainCheck old = new AuditChainCheck(List.of());
            walk(c, headSequence, pageSize, e -> old.accept(e, sha256(e.previousHash(), e.at(), e.actor(), e.action(),
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
                    List<AuditEntry> page = page(c, cursor, headSequence, pageSize);
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
}

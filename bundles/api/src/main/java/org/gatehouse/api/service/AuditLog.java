package org.gatehouse.api.service;

import java.time.Instant;
import java.util.List;

/**
 * Append-only, hash-chained record of who viewed, exported, changed or sent personal data. Each entry
 * carries the hash of the previous entry and its own, an HMAC-SHA256 under a key kept outside the database, so a
 * changed, removed or inserted row breaks the chain (and cannot be hidden by recomputing it without the key) and
 * {@link #verify()} says where. Heads exported to a file outside the database ({@link #head()}) let
 * {@link #verify(List)} also catch entries removed from the end of the log.
 */
public interface AuditLog {
    AuditEntry append(String actor, String action, String communityId, String subjectId, String detail);

    List<AuditEntry> entries(Scope scope, String communityId, Instant from, Instant to, int limit);

    /**
     * The entries whose subject is {@code subjectId}, in the scope ({@link Scope#all()} also sees entries without a
     * community), oldest first, with a sequence above {@code afterSequence}: at most {@code limit} (capped at
     * 10,000) a page; page on with the last sequence returned until a page comes back short.
     */
    List<AuditEntry> entriesAbout(Scope scope, String subjectId, long afterSequence, int limit);

    Verification verify();

    /**
     * The chain's head: the sequence and hash of the last entry ({@code 0} and 64 zeros while the log is empty), to
     * be kept outside the database.
     */
    default Head head() {
        throw new UnsupportedOperationException("this audit log does not tell its head");
    }

    /**
     * {@link #verify()}, and every head exported earlier must still be in the log with the same hash: a head beyond
     * the end of the log means entries after the last one were removed, a head whose entry carries another hash means
     * that entry was rewritten. {@link Verification#headsChecked()} counts the heads given.
     */
    default Verification verify(List<ExportedHead> exported) {
        if (!exported.isEmpty()) {
            throw new UnsupportedOperationException("this audit log does not check exported heads");
        }
        return verify();
    }

    /**
     * @param action e.g. {@code resident.view}, {@code consent.withdraw}, {@code export.subject},
     *               {@code integration.send}, {@code enrollment.refused}
     */
    record AuditEntry(long sequence, Instant at, String actor, String action, String communityId, String subjectId,
                      String detail, String previousHash, String hash) {
    }

    /** The last entry of the chain. */
    record Head(long sequence, String hash) {
    }

    /** A head as exported outside the database, and when it was exported. */
    record ExportedHead(long sequence, String hash, Instant exportedAt) {
    }

    /**
     * {@code firstBadSequence} is -1 when the whole chain holds; {@code headsChecked} is the number of exported heads
     * checked against the log.
     */
    record Verification(boolean intact, long entries, long firstBadSequence, String problem, int headsChecked) {
        public Verification(boolean intact, long entries, long firstBadSequence, String problem) {
            this(intact, entries, firstBadSequence, problem, 0);
        }
    }
}

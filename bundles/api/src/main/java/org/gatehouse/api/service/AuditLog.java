package org.gatehouse.api.service;

import java.time.Instant;
import java.util.List;

/**
 * Append-only, hash-chained record of who viewed, exported, changed or sent personal data. Each entry
 * carries the SHA-256 of the previous entry and of itself, so a changed, removed or inserted row breaks
 * the chain and {@link #verify()} says where.
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
     * @param action e.g. {@code resident.view}, {@code consent.withdraw}, {@code export.subject},
     *               {@code integration.send}, {@code enrollment.refused}
     */
    record AuditEntry(long sequence, Instant at, String actor, String action, String communityId, String subjectId,
                      String detail, String previousHash, String hash) {
    }

    /** {@code firstBadSequence} is -1 when the whole chain holds. */
    record Verification(boolean intact, long entries, long firstBadSequence, String problem) {
    }
}

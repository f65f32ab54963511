package org.gatehouse.testing;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.gatehouse.api.service.AuditLog;
import org.gatehouse.api.service.Scope;

/** The audit log: entries kept in order, with sequence numbers; no hash chain. */
public class MemoryAuditLog implements AuditLog {
    public final List<AuditEntry> entries = new CopyOnWriteArrayList<>();

    @Override
    public synchronized AuditEntry append(String actor, String action, String communityId, String subjectId,
                                          String detail) {
        AuditEntry e = new AuditEntry(entries.size() + 1, Instant.now(), actor, action, communityId, subjectId,
                detail, "", "");
        entries.add(e);
        return e;
    }

    @Override
    public List<AuditEntry> entries(Scope scope, String communityId, Instant from, Instant to, int limit) {
        return entries;
    }

    /** Like the store: the subject's entries in the scope, oldest first, after a sequence, at most 10,000 a page. */
    @Override
    public List<AuditEntry> entriesAbout(Scope scope, String subjectId, long afterSequence, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
        return entries.stream().filter(e -> subjectId.equals(e.subjectId()) && e.sequence() > afterSequence
                        && (e.communityId() == null ? scope.everything() : scope.allows(e.communityId())))
                .sorted(java.util.Comparator.comparingLong(AuditEntry::sequence))
                .limit(Math.min(limit, 10_000)).toList();
    }

    @Override
    public Verification verify() {
        return new Verification(true, entries.size(), -1, "");
    }

    public List<String> actions() {
        return entries.stream().map(AuditEntry::action).toList();
    }
}

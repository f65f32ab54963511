package org.gatehouse.core.internal.testing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.gatehouse.api.service.AuditLog;
import org.gatehouse.api.service.Scope;

/** An audit log kept in a list (no hash chain). */
public class MemoryAudit implements AuditLog {
    public final List<AuditEntry> entries = new ArrayList<>();

    @Override
    public synchronized AuditEntry append(String actor, String action, String communityId, String subjectId,
                                          String detail) {
        AuditEntry e = new AuditEntry(entries.size() + 1, Instant.now(), actor, action, communityId, subjectId, detail,
                "", "");
        entries.add(e);
        return e;
    }

    @Override
    public List<AuditEntry> entries(Scope scope, String communityId, Instant from, Instant to, int limit) {
        return List.copyOf(entries);
    }

    @Override
    public List<AuditEntry> entriesAbout(Scope scope, String subjectId, long afterSequence, int limit) {
        return entries.stream().filter(e -> subjectId.equals(e.subjectId())).toList();
    }

    @Override
    public Verification verify() {
        return new Verification(true, entries.size(), -1, "", 0);
    }

    public synchronized AuditEntry last() {
        return entries.get(entries.size() - 1);
    }
}

package org.gatehouse.store.internal.repo;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.gatehouse.api.service.AuditLog.AuditEntry;
import org.gatehouse.api.service.AuditLog.ExportedHead;
import org.gatehouse.api.service.AuditLog.Verification;

/**
 * The checks of a walk, fed one entry at a time with the hash recomputed for it: first problem wins; exported
 * heads are checked as their entries pass, and the ones never passed at the end.
 */
final class AuditChainCheck {
    private final TreeMap<Long, List<ExportedHead>> exported = new TreeMap<>();
    private final int headsGiven;
    private final Set<Long> seen = new HashSet<>();
    private long entries;
    private long bad = -1;
    private String problem = "";
    private String expectedPrevious = AuditHashes.GENESIS;
    private long lastSequence = -1;
    private long exportedBad = -1;
    private String exportedProblem = "";

    AuditChainCheck(List<ExportedHead> heads) {
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

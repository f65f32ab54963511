package org.gatehouse.core.internal.shell;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.gatehouse.api.service.AuditLog;
import org.gatehouse.core.internal.audit.AuditHeads;

/**
 * {@code gatehouse:audit-verify} — walks the keyed hash chain of the audit log, checks the heads exported outside the
 * database, and says whether it holds.
 */
@Command(scope = "gatehouse", name = "audit-verify",
        description = "Verifies the hash chain of the audit log and the heads exported outside the database")
@Service
public class AuditVerifyCommand implements Action {
    @Reference
    AuditHeads heads;

    @Override
    public Object execute() {
        System.out.println(describe(heads.verify()));
        return null;
    }

    static String describe(AuditHeads.Result r) {
        AuditLog.Verification v = r.verification();
        String exported = r.heads() == 0 ? "no head exported to " + r.file() + " yet"
                : r.heads() + " exported head(s) in " + r.file() + " checked";
        String ignored = r.otherDatabases() == 0 ? "" : "; " + r.otherDatabases()
                + " head(s) of another database ignored";
        if (v.intact()) {
            return "Audit log intact: " + v.entries() + " entries, hash chain verified, " + exported + ignored;
        }
        if (v.firstBadSequence() < 0) {
            return "Audit log NOT VERIFIED: " + v.problem() + " (" + v.entries() + " entries checked)";
        }
        return "Audit log BROKEN at entry " + v.firstBadSequence() + ": " + v.problem() + " (" + v.entries()
                + " entries checked, " + exported + ")";
    }
}

package org.gatehouse.core.internal.shell;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.gatehouse.api.service.AuditLog;

/** {@code gatehouse:audit-verify} — walks the hash chain of the audit log and says whether it holds. */
@Command(scope = "gatehouse", name = "audit-verify", description = "Verifies the hash chain of the audit log")
@Service
public class AuditVerifyCommand implements Action {
    @Reference
    AuditLog audit;

    @Override
    public Object execute() {
        AuditLog.Verification v = audit.verify();
        if (v.intact()) {
            System.out.println("Audit log intact: " + v.entries() + " entries, hash chain verified");
        } else {
            System.out.println("Audit log BROKEN at entry " + v.firstBadSequence() + ": " + v.problem()
                    + " (" + v.entries() + " entries checked)");
        }
        return null;
    }
}

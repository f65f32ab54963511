package org.gatehouse.core.internal.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;

import org.gatehouse.api.service.AuditLog;
import org.gatehouse.core.internal.audit.AuditHeads;
import org.junit.jupiter.api.Test;

class AuditVerifyCommandTest {
    private static final Path FILE = Path.of("/mnt/audit/audit-heads.log");

    @Test
    void saysWhatWasCheckedAndWhereItBroke() {
        assertEquals("Audit log intact: 12 entries, hash chain verified, 3 exported head(s) in " + FILE + " checked",
                AuditVerifyCommand.describe(new AuditHeads.Result(new AuditLog.Verification(true, 12, -1, "", 3), FILE,
                        3, 0, 0)));
        assertEquals("Audit log intact: 0 entries, hash chain verified, no head exported to " + FILE + " yet; "
                        + "2 head(s) of another database ignored",
                AuditVerifyCommand.describe(new AuditHeads.Result(new AuditLog.Verification(true, 0, -1, "", 0), FILE,
                        0, 2, 0)));
        assertEquals("Audit log BROKEN at entry 9: entries after 7 were removed: ... (7 entries checked, "
                        + "1 exported head(s) in " + FILE + " checked)",
                AuditVerifyCommand.describe(new AuditHeads.Result(new AuditLog.Verification(false, 7, 9,
                        "entries after 7 were removed: ...", 1), FILE, 1, 0, 0)));
        assertEquals("Audit log NOT VERIFIED: heads unreadable (7 entries checked)",
                AuditVerifyCommand.describe(new AuditHeads.Result(new AuditLog.Verification(false, 7, -1,
                        "heads unreadable", 0), FILE, 0, 0, 0)));
    }
}

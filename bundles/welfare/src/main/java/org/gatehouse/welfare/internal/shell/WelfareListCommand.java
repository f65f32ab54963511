package org.gatehouse.welfare.internal.shell;

import java.util.Locale;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.gatehouse.api.model.AlertStatus;
import org.gatehouse.api.model.AlertType;
import org.gatehouse.api.service.CommunityRepository;
import org.gatehouse.core.api.Caller;
import org.gatehouse.core.shell.ShellCaller;
import org.gatehouse.core.shell.TextTable;
import org.gatehouse.welfare.internal.WelfareDesk;
import org.gatehouse.welfare.internal.WelfareDesk.CaseLine;

@Command(scope = "gatehouse", name = "welfare-list", description = "Lists welfare alerts and cases, newest first")
@Service
public class WelfareListCommand implements Action {
    @Reference
    WelfareDesk desk;

    @Reference
    CommunityRepository communities;

    @Option(name = "--community", description = "Community code or id")
    String community;

    @Option(name = "--status", description = "OPEN, ACKNOWLEDGED or CLOSED")
    String status;

    @Option(name = "--kind", description = "WELFARE_INACTIVITY, IDLE_UNIT or SUBLEASE_SIGNAL")
    String kind;

    @Override
    public Object execute() {
        Caller caller = ShellCaller.get();
        String cid = community == null ? null : communities.find(caller.scope(), community).id();
        AlertStatus s = status == null ? null : AlertStatus.valueOf(status.trim().toUpperCase(Locale.ROOT));
        AlertType k = kind == null ? null : AlertType.valueOf(kind.trim().toUpperCase(Locale.ROOT));
        TextTable table = new TextTable();
        table.column("Raised");
        table.column("Kind");
        table.column("Status");
        table.column("Level");
        table.column("Message");
        table.column("Id");
        for (CaseLine c : desk.list(caller, cid, s, k, 500)) {
            table.row(c.raisedAt(), c.kind(), c.status(), c.escalationLevel(), c.message(), c.id());
        }
        table.print(System.out);
        return null;
    }
}

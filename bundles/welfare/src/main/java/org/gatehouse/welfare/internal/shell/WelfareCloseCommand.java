package org.gatehouse.welfare.internal.shell;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.gatehouse.api.model.WelfareCase;
import org.gatehouse.core.shell.ShellCaller;
import org.gatehouse.welfare.internal.WelfareDesk;

@Command(scope = "gatehouse", name = "welfare-close", description = "Closes a welfare alert or case")
@Service
public class WelfareCloseCommand implements Action {
    @Reference
    WelfareDesk desk;

    @Argument(index = 0, name = "id", required = true, description = "Case id")
    String id;

    @Argument(index = 1, name = "reason", required = false, description = "Why")
    String reason;

    @Override
    public Object execute() {
        WelfareCase c = desk.close(ShellCaller.get(), id, reason);
        System.out.println(c.alertId() + " " + c.status() + " by " + c.closedBy() + " at " + c.closedAt());
        return null;
    }
}

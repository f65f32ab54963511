package org.gatehouse.welfare.internal.shell;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.gatehouse.api.model.WelfareCase;
import org.gatehouse.core.shell.ShellCaller;
import org.gatehouse.welfare.internal.WelfareDesk;
import org.gatehouse.welfare.internal.WelfareDesk.CaseView;

@Command(scope = "gatehouse", name = "welfare-show", description = "Shows one welfare alert or case with the "
        + "person's or flat's record (the view is audited)")
@Service
public class WelfareShowCommand implements Action {
    @Reference
    WelfareDesk desk;

    @Argument(index = 0, name = "id", required = true, description = "Case id (gatehouse:welfare-list)")
    String id;

    @Override
    public Object execute() {
        CaseView v = desk.view(ShellCaller.get(), id);
        WelfareCase c = v.welfareCase();
        System.out.println(c.kind() + " " + c.status() + "  " + c.alertId());
        System.out.println("  " + c.message());
        System.out.println("  raised " + c.raisedAt() + ", due " + c.dueAt() + ", since " + c.since());
        if (v.person() != null) {
            var p = v.person();
            System.out.println("  person: " + p.name() + ", age " + p.age() + ", flat " + p.flat() + ", phone "
                    + p.phone() + ", last passage " + p.lastPassageAt() + " at " + p.lastPassageDoor());
        }
        if (v.flat() != null) {
            System.out.println("  flat " + v.flat().flat() + ": " + v.flat().members().size() + " member(s)");
        }
        c.escalations().forEach(e -> System.out.println("  told " + e.level() + ": " + e.role() + " " + e.name()
                + " " + e.channel() + " at " + e.at()));
        c.evidence().forEach(line -> System.out.println("  evidence: " + line));
        if (!c.purpose().isEmpty()) {
            System.out.println("  purpose: " + c.purpose());
        }
        if (c.outcome() != null) {
            System.out.println("  visited by " + c.visitedBy() + " at " + c.visitedAt() + ": " + c.outcome() + " "
                    + c.finding());
        }
        if (c.closedAt() != null) {
            System.out.println("  closed by " + c.closedBy() + " at " + c.closedAt() + ": " + c.closeReason());
        }
        return null;
    }
}

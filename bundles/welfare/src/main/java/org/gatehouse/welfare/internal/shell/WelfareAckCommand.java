package org.gatehouse.welfare.internal.shell;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.gatehouse.api.model.WelfareCase;
import org.gatehouse.core.shell.ShellCaller;
import org.gatehouse.welfare.internal.WelfareApi;
import org.gatehouse.welfare.internal.WelfareDesk;

@Command(scope = "gatehouse", name = "welfare-ack", description = "Acknowledges a welfare alert: who went, when, "
        + "what they found (stops its escalation)")
@Service
public class WelfareAckCommand implements Action {
    @Reference
    WelfareDesk desk;

    @Argument(index = 0, name = "id", required = true, description = "Case id")
    String id;

    @Argument(index = 1, name = "outcome", required = true,
            description = "FOUND_WELL, NEEDED_HELP, NOT_HOME, HOSPITAL or OTHER")
    String outcome;

    @Argument(index = 2, name = "finding", required = false, description = "What they found (free text)")
    String finding;

    @Option(name = "--by", description = "Who went (default: the console user)")
    String by;

    @Option(name = "--at", description = "When, ISO-8601 with offset (default now)")
    String at;

    @Override
    public Object execute() {
        WelfareCase c = desk.acknowledge(ShellCaller.get(), id,
                new WelfareDesk.Acknowledgement(by, WelfareApi.asOf(at), outcome, finding));
        System.out.println(c.alertId() + " " + c.status() + ": " + c.outcome() + " by " + c.visitedBy() + " at "
                + c.visitedAt());
        return null;
    }
}

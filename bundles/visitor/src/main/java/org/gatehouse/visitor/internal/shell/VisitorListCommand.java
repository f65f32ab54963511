package org.gatehouse.visitor.internal.shell;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.gatehouse.api.model.Visitor;
import org.gatehouse.api.service.CommunityRepository;
import org.gatehouse.core.api.Caller;
import org.gatehouse.core.shell.ShellCaller;
import org.gatehouse.core.shell.TextTable;
import org.gatehouse.visitor.internal.Visits;

@Command(scope = "gatehouse", name = "visitor-list", description = "Lists the visitors (访客) of a community, newest first")
@Service
public class VisitorListCommand implements Action {
    @Reference
    Visits visits;

    @Reference
    CommunityRepository communities;

    @Completion(CommunityCompleter.class)
    @Argument(index = 0, name = "community", required = true, description = "Community code or id")
    String community;

    @Override
    public Object execute() {
        Caller caller = ShellCaller.get();
        String id = communities.find(caller.scope(), community).id();
        TextTable table = new TextTable();
        table.column("Name");
        table.column("Status");
        table.column("Host household");
        table.column("From");
        table.column("Until");
        table.column("Via");
        table.column("Decided by");
        table.column("Id");
        for (Visitor v : visits.visitors(caller, id, null, 500)) {
            table.row(v.name(), v.status(), v.hostHouseholdId(), v.expectedFrom(), v.expectedUntil(),
                    v.registeredVia(), v.decidedBy() == null ? "" : v.decidedBy(), v.id());
        }
        table.print(System.out);
        return null;
    }
}

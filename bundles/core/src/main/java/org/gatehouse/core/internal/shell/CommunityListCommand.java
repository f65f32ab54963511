package org.gatehouse.core.internal.shell;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.gatehouse.api.model.Community;
import org.gatehouse.api.service.CommunityRepository;
import org.gatehouse.api.service.Scope;
import org.gatehouse.core.shell.TextTable;

@Command(scope = "gatehouse", name = "community-list", description = "Lists the communities")
@Service
public class CommunityListCommand implements Action {
    @Reference
    CommunityRepository communities;

    @Override
    public Object execute() {
        TextTable table = new TextTable();
        table.column("Code");
        table.column("Name");
        table.column("Buildings");
        table.column("Id");
        for (Community c : communities.communities(Scope.all())) {
            table.row(c.code(), c.name(), communities.buildings(Scope.all(), c.id()).size(), c.id());
        }
        table.print(System.out);
        return null;
    }
}

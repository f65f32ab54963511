package org.gatehouse.core.internal.shell;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.gatehouse.api.model.Building;
import org.gatehouse.api.service.CommunityRepository;
import org.gatehouse.api.service.Scope;
import org.gatehouse.core.shell.TextTable;

@Command(scope = "gatehouse", name = "building-list", description = "Lists the buildings of a community")
@Service
public class BuildingListCommand implements Action {
    @Reference
    CommunityRepository communities;

    @Completion(CommunityCompleter.class)
    @Argument(index = 0, name = "community", required = true, description = "Community code or id")
    String community;

    @Override
    public Object execute() {
        TextTable table = new TextTable();
        table.column("Code");
        table.column("Name");
        table.column("Flats");
        table.column("Id");
        for (Building b : communities.buildings(Scope.all(), communities.find(Scope.all(), community).id())) {
            table.row(b.code(), b.name(), communities.units(Scope.all(), b.id()).size(), b.id());
        }
        table.print(System.out);
        return null;
    }
}

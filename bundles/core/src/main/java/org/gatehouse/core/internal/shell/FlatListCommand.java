package org.gatehouse.core.internal.shell;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.gatehouse.api.model.Unit;
import org.gatehouse.api.service.CommunityRepository;
import org.gatehouse.api.service.Scope;
import org.gatehouse.core.shell.TextTable;

@Command(scope = "gatehouse", name = "flat-list", description = "Lists the flats of a building")
@Service
public class FlatListCommand implements Action {
    @Reference
    CommunityRepository communities;

    @Completion(BuildingCompleter.class)
    @Argument(index = 0, name = "building", required = true, description = "Building id")
    String building;

    @Override
    public Object execute() {
        TextTable table = new TextTable();
        table.column("Stairway");
        table.column("Floor");
        table.column("Number");
        table.column("Id");
        for (Unit u : communities.units(Scope.all(), building)) {
            table.row(u.stairway() == null ? "" : u.stairway(), u.floor(), u.number(), u.id());
        }
        table.print(System.out);
        return null;
    }
}

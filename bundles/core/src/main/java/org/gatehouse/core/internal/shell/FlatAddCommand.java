package org.gatehouse.core.internal.shell;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.gatehouse.api.model.Unit;
import org.gatehouse.api.service.CommunityRepository;
import org.gatehouse.api.service.Scope;

@Command(scope = "gatehouse", name = "flat-add", description = "Adds a flat (房屋) to a building")
@Service
public class FlatAddCommand implements Action {
    @Reference
    CommunityRepository communities;

    @Completion(BuildingCompleter.class)
    @Argument(index = 0, name = "building", required = true, description = "Building id")
    String building;

    @Argument(index = 1, name = "floor", required = true, description = "Floor")
    int floor;

    @Argument(index = 2, name = "number", required = true, description = "Flat number, e.g. 302")
    String number;

    @Option(name = "--stairway", description = "Stairway unit (单元)")
    String stairway;

    @Option(name = "--area", description = "Floor area in square metres")
    Double area;

    @Override
    public Object execute() {
        Unit u = communities.createUnit(Scope.all(), building, stairway, floor, number, area);
        System.out.println("Flat " + u.number() + " created: " + u.id());
        return null;
    }
}

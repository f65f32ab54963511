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

@Command(scope = "gatehouse", name = "building-add", description = "Adds a building (楼栋) to a community")
@Service
public class BuildingAddCommand implements Action {
    @Reference
    CommunityRepository communities;

    @Completion(CommunityCompleter.class)
    @Argument(index = 0, name = "community", required = true, description = "Community code or id")
    String community;

    @Argument(index = 1, name = "code", required = true, description = "Building code, unique in the community")
    String code;

    @Argument(index = 2, name = "name", description = "Name shown to people (default: the code)")
    String name;

    @Override
    public Object execute() {
        Building b = communities.createBuilding(Scope.all(), communities.find(Scope.all(), community).id(), code, name);
        System.out.println("Building " + b.code() + " created: " + b.id());
        return null;
    }
}

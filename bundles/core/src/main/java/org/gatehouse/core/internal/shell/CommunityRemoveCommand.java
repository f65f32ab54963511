package org.gatehouse.core.internal.shell;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.gatehouse.api.service.CommunityRepository;
import org.gatehouse.api.service.Scope;

@Command(scope = "gatehouse", name = "community-remove", description = "Removes a community that has no buildings")
@Service
public class CommunityRemoveCommand implements Action {
    @Reference
    CommunityRepository communities;

    @Completion(CommunityCompleter.class)
    @Argument(index = 0, name = "community", required = true, description = "Community code or id")
    String community;

    @Override
    public Object execute() {
        String id = communities.find(Scope.all(), community).id();
        communities.deleteCommunity(Scope.all(), id);
        System.out.println("Community " + community + " removed");
        return null;
    }
}

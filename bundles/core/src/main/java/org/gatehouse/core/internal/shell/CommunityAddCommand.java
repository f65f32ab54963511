package org.gatehouse.core.internal.shell;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.gatehouse.api.model.Community;
import org.gatehouse.api.service.CommunityRepository;

@Command(scope = "gatehouse", name = "community-add", description = "Adds a community (小区)")
@Service
public class CommunityAddCommand implements Action {
    @Reference
    CommunityRepository communities;

    @Argument(index = 0, name = "code", required = true, description = "Unique code, e.g. SUNSHINE")
    String code;

    @Argument(index = 1, name = "name", required = true, description = "Name shown to people")
    String name;

    @Option(name = "--address", description = "Postal address")
    String address;

    @Override
    public Object execute() {
        Community c = communities.createCommunity(code, name, address);
        System.out.println("Community " + c.code() + " created: " + c.id());
        return null;
    }
}

package org.gatehouse.whitelist.internal.shell;

import java.util.Locale;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.gatehouse.api.model.ResidentRole;
import org.gatehouse.core.shell.ShellCaller;
import org.gatehouse.whitelist.internal.Households.NewResident;
import org.gatehouse.whitelist.internal.Households.ResidentInput;
import org.gatehouse.whitelist.internal.Households;
import org.gatehouse.core.api.Refusal;

@Command(scope = "gatehouse", name = "resident-add", description = "Adds a resident to a household; prints the app token secret once")
@Service
public class ResidentAddCommand implements Action {
    @Reference
    Households households;

    @Completion(HouseholdCompleter.class)
    @Argument(index = 0, name = "household", required = true, description = "Household id")
    String household;

    @Argument(index = 1, name = "name", required = true, description = "Name")
    String name;

    @Argument(index = 2, name = "role", required = true, description = "TENANT, OWNER, CO_RESIDENT or STAFF")
    ResidentRole role;

    @Option(name = "--phone", description = "Phone number")
    String phone;

    @Option(name = "--from", description = "Lease start, yyyy-MM-dd")
    String from;

    @Option(name = "--until", description = "Lease end (last day), yyyy-MM-dd")
    String until;

    @Override
    public Object execute() {
        try {
            NewResident r = households.addResident(ShellCaller.get(), household,
                    new ResidentInput(name, role, null, phone, from, until, null));
            System.out.println("Resident " + r.resident().name() + " added: " + r.resident().id());
            System.out.println("App token secret (shown once): " + r.appToken().secret());
            System.out.println(r.appToken().otpauthUri());
        } catch (Refusal e) {
            System.out.println(e.code() + ": " + e.message(Locale.getDefault()));
        }
        return null;
    }
}

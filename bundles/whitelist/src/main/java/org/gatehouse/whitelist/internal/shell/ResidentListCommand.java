package org.gatehouse.whitelist.internal.shell;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.gatehouse.api.model.Resident;
import org.gatehouse.api.service.CommunityRepository;
import org.gatehouse.core.api.Caller;
import org.gatehouse.core.shell.ShellCaller;
import org.gatehouse.core.shell.TextTable;
import org.gatehouse.whitelist.internal.Households;
import org.gatehouse.whitelist.internal.Households.ResidentFaces;

@Command(scope = "gatehouse", name = "resident-list", description = "Lists the registered residents (白名单) of a community "
        + "with their face photos (templates)")
@Service
public class ResidentListCommand implements Action {
    @Reference
    Households households;

    @Reference
    CommunityRepository communities;

    @Completion(CommunityCompleter.class)
    @Argument(index = 0, name = "community", required = true, description = "Community code or id")
    String community;

    @Option(name = "--fewer-face-photos-than", description = "Only residents with fewer face photos (templates) than "
            + "this: 2 lists who has none or one (enrol a second photo, ideally taken on another day)")
    Integer fewerFacePhotosThan;

    @Override
    public Object execute() {
        Caller caller = ShellCaller.get();
        String id = communities.find(caller.scope(), community).id();
        TextTable table = new TextTable();
        table.column("Name");
        table.column("Role");
        table.column("Household");
        table.column("Valid from");
        table.column("Valid until");
        table.column("Care flags");
        table.column("Faces");
        table.column("Id");
        for (ResidentFaces f : households.communityResidentFaces(caller, id,
                fewerFacePhotosThan == null ? Integer.MAX_VALUE : Math.max(1, fewerFacePhotosThan))) {
            Resident r = f.resident();
            table.row(r.name(), r.role(), r.householdId(), r.validFrom() == null ? "" : r.validFrom(),
                    r.validUntil() == null ? "" : r.validUntil(), r.careFlags().isEmpty() ? "" : r.careFlags(),
                    f.faceTemplates(), r.id());
        }
        table.print(System.out);
        return null;
    }
}

package org.gatehouse.faces.internal.shell;

import java.nio.file.Files;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.FileCompleter;
import org.gatehouse.api.model.Resident;
import org.gatehouse.api.service.AuditLog;
import org.gatehouse.api.service.CommunityRepository;
import org.gatehouse.api.service.HouseholdRepository;
import org.gatehouse.api.service.Scope;
import org.gatehouse.core.shell.ShellCaller;
import org.gatehouse.core.shell.ShellFiles;
import org.gatehouse.core.shell.TextTable;
import org.gatehouse.faces.api.FaceRegistry;
import org.gatehouse.faces.internal.rest.FaceResource;
import org.gatehouse.recognition.api.Candidate;
import org.gatehouse.recognition.api.FaceException;

/** {@code gatehouse:face-identify IMAGE COMMUNITY}: who the main face of a photo is, with name and flat. */
@Command(scope = "gatehouse", name = "face-identify", description = "Identifies the main face of an image in a community")
@Service
public class FaceIdentifyCommand implements Action {
    @Reference
    FaceRegistry registry;

    @Reference
    CommunityRepository communities;

    @Reference(optional = true)
    HouseholdRepository households;

    @Reference
    Session session;

    @Reference
    AuditLog audit;

    @Argument(index = 0, name = "image", required = true, description = "Image file")
    @Completion(FileCompleter.class)
    String image;

    @Argument(index = 1, name = "community", required = true, description = "Community code or id")
    @Completion(CommunityCompleter.class)
    String community;

    @Option(name = "-k", description = "Candidates to show")
    int k = 5;

    @Override
    public Object execute() throws Exception {
        byte[] bytes = Files.readAllBytes(ShellFiles.existing(session, image, "image"));
        String communityId = communities.find(Scope.all(), community).id();
        // audited as the API's identify is: who searched which community, and the outcome (never the image)
        String actor = ShellCaller.of(session).name();
        FaceRegistry.Identification id;
        try {
            id = registry.identify(Scope.all(), communityId, bytes, k);
        } catch (FaceException e) {
            audit.append(actor, FaceResource.IDENTIFY, communityId, null, "failed: " + e.code());
            throw e;
        }
        audit.append(actor, FaceResource.IDENTIFY, communityId, id.subjectId(), FaceResource.outcome(id));
        var box = id.face().box();
        System.out.printf("Face at %.0f,%.0f %.0fx%.0f, liveness %.2f%n", box.x(), box.y(), box.width(), box.height(),
                id.face().livenessScore());
        var bands = id.bands();
        System.out.println(switch (id.band()) {
            case ACCEPT -> String.format(Locale.ROOT, "Identified: %s (score %.3f >= accept %.3f)",
                    describe(id.subjectId()), id.score(), bands.accept());
            case VERIFY -> String.format(Locale.ROOT, "Not sure (score %.3f between reject %.3f and accept %.3f): a "
                    + "gate would ask for a second factor, then check the face 1:1", id.score(), bands.reject(),
                    bands.accept());
            case REJECT -> String.format(Locale.ROOT, "Unknown (best score %.3f < reject %.3f)", id.score(),
                    bands.reject());
        });
        System.out.printf(Locale.ROOT, "Gallery of %d templates, target FPIR %.2f%%: expected FPIR %.3f%%, FNIR %.1f%%%s%n",
                bands.gallerySize(), bands.targetFpir() * 100, bands.expectedFpir() * 100, bands.expectedFnir() * 100,
                bands.extrapolated() ? " (accept threshold from the fitted impostor tail)" : "");
        List<Candidate> shown = id.forPeople().candidates();
        if (!shown.isEmpty()) {
            TextTable table = new TextTable().column("Candidate").numberColumn("Score").column("Id");
            for (Candidate c : shown) {
                table.row(describe(c.subjectId()), String.format("%.3f", c.score()), c.subjectId());
            }
            table.print(System.out);
        }
        return null;
    }

    /** "王芳, 1-2-301 (household 王家)" for a resident; the bare id for any other subject. */
    private String describe(String subjectId) {
        HouseholdRepository repository = households;
        Optional<Resident> resident = repository == null ? Optional.empty() : repository.resident(Scope.all(), subjectId);
        if (resident.isEmpty()) {
            return subjectId;
        }
        Resident r = resident.get();
        return repository.household(Scope.all(), r.householdId())
                .map(h -> r.name() + ", " + flat(h.unitId()) + " (" + h.name() + ")")
                .orElse(r.name());
    }

    private String flat(String unitId) {
        return communities.unit(Scope.all(), unitId).map(u -> communities.building(Scope.all(), u.buildingId())
                .map(b -> b.code() + "-").orElse("") + u.number()).orElse(unitId);
    }
}

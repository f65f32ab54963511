package org.gatehouse.faces.internal.shell;

import java.nio.file.Files;
import java.nio.file.Paths;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.gatehouse.api.service.CommunityRepository;
import org.gatehouse.api.service.Scope;
import org.gatehouse.faces.api.FaceRegistry;
import org.gatehouse.recognition.api.Candidate;

@Command(scope = "gatehouse", name = "face-identify", description = "Identifies the main face of an image in a community")
@Service
public class FaceIdentifyCommand implements Action {
    @Reference
    FaceRegistry registry;

    @Reference
    CommunityRepository communities;

    @Argument(index = 0, name = "image", required = true, description = "Image file")
    String image;

    @Argument(index = 1, name = "community", required = true, description = "Community code or id")
    String community;

    @Option(name = "-k", description = "Candidates to show")
    int k = 5;

    @Override
    public Object execute() throws Exception {
        String communityId = communities.find(Scope.all(), community).id();
        FaceRegistry.Identification id = registry.identify(Scope.all(), communityId,
                Files.readAllBytes(Paths.get(image)), k);
        var box = id.face().box();
        System.out.printf("Face at %.0f,%.0f %.0fx%.0f, liveness %.2f%n", box.x(), box.y(), box.width(), box.height(),
                id.face().livenessScore());
        System.out.println(id.known() ? "Identified: " + id.subjectId() + String.format(" (score %.3f)", id.score())
                : String.format("Unknown (best score %.3f < threshold %.2f)", id.score(), registry.matchThreshold()));
        for (Candidate c : id.candidates()) {
            System.out.printf("  %-40s %.3f%n", c.subjectId(), c.score());
        }
        return null;
    }
}

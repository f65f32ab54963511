package org.gatehouse.whitelist.internal.shell;

import static org.gatehouse.whitelist.internal.Messages.MESSAGES;

import java.nio.file.Files;
import java.util.Locale;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.FileCompleter;
import org.gatehouse.api.model.Credential;
import org.gatehouse.core.shell.ShellCaller;
import org.gatehouse.core.shell.ShellFiles;
import org.gatehouse.recognition.api.FaceException;
import org.gatehouse.whitelist.internal.Enrolment;
import org.gatehouse.whitelist.internal.Enrolment.EnrolledFace;
import org.gatehouse.core.api.Refusal;

/**
 * {@code gatehouse:face-enroll RESIDENT IMAGE} — enrolls one photo, with the same rules as the REST
 * route: a face-access consent in force, a non-face credential, exactly one good face; audited. Says how many face
 * templates the resident has now, and while that is one, to enrol a second photo.
 */
@Command(scope = "gatehouse", name = "face-enroll", description = "Enrolls a resident's face from a photo (needs face-access consent)")
@Service
public class FaceEnrollCommand implements Action {
    @Reference
    Enrolment enrolment;

    @Argument(index = 0, name = "resident", required = true, description = "Resident id")
    String resident;

    @Argument(index = 1, name = "image", required = true, description = "Photo file (JPEG, PNG, BMP or WebP)")
    @Completion(FileCompleter.class)
    String image;

    @Reference
    Session session;

    @Override
    public Object execute() throws Exception {
        try {
            EnrolledFace enrolled = enrolment.enrollFace(ShellCaller.get(), resident,
                    Files.readAllBytes(ShellFiles.existing(session, image, "photo")));
            Credential face = enrolled.credential();
            System.out.println("Face enrolled for " + resident + ": credential " + face.id() + ", template "
                    + face.reference() + "; face templates now: " + enrolled.faceTemplates());
            if (enrolled.secondPhotoAdvised()) {
                System.out.println(MESSAGES.get(Locale.getDefault(), "face.secondPhotoAdvised"));
            }
        } catch (Refusal e) {
            System.out.println(e.code() + ": " + e.message(Locale.getDefault()));
        } catch (FaceException e) {
            System.out.println(e.code() + ": " + e.getLocalizedMessage(Locale.getDefault()));
        }
        return null;
    }
}

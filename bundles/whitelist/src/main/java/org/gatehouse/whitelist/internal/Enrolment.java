package org.gatehouse.whitelist.internal;

import org.gatehouse.api.model.Credential;
import org.gatehouse.core.api.Caller;
import org.gatehouse.recognition.api.FaceException;

/** Face enrollment (人脸采集) of residents: only with a face-access consent in force and a non-face way in. */
public interface Enrolment {
    /**
     * Face photos a resident should have enrolled: each is kept as a template of its own and the best one counts, and
     * on the open-set benchmark a second photo cut the share of residents turned away at 0.5 % FPIR from 7.9 % to
     * 2.3 % (README, "Enrol two photos per resident").
     */
    int ADVISED_FACE_PHOTOS = 2;

    /**
     * A face enrolled: its FACE credential (reference = template id) and how many face templates the resident has now
     * (its active FACE credentials, this one included).
     */
    record EnrolledFace(Credential credential, int faceTemplates) {
        /** Fewer photos than advised are enrolled now (one, since this one was): ask for another. */
        public boolean secondPhotoAdvised() {
            return faceTemplates < ADVISED_FACE_PHOTOS;
        }
    }

    /**
     * Enrolls a face photo: needs a face-access consent in force and an active non-face credential; issues a
     * FACE credential whose reference is the template id. A {@link FaceException} passes through (audited).
     */
    EnrolledFace enrollFace(Caller c, String residentId, byte[] image);

    /**
     * The resident's face templates: its active FACE credentials, each naming one template (unaudited: the import's
     * bookkeeping and the answer to an enrollment).
     */
    int faceTemplates(Caller c, String residentId);
}

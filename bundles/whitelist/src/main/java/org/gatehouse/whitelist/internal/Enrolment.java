package org.gatehouse.whitelist.internal;

import org.gatehouse.api.model.Credential;
import org.gatehouse.core.api.Caller;
import org.gatehouse.recognition.api.FaceException;

/** Face enrollment (人脸采集) of residents: only with a face-access consent in force and a non-face way in. */
public interface Enrolment {
    /**
     * Enrolls a face photo: needs a face-access consent in force and an active non-face credential; issues a
     * FACE credential whose reference is the template id. A {@link FaceException} passes through (audited).
     */
    Credential enrollFace(Caller c, String residentId, byte[] image);

    /** Whether the resident has an active FACE credential (unaudited: the import's bookkeeping). */
    boolean hasActiveFace(Caller c, String residentId);
}

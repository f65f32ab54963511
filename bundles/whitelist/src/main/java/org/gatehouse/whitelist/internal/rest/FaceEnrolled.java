package org.gatehouse.whitelist.internal.rest;

import static org.gatehouse.whitelist.internal.Messages.MESSAGES;

import java.time.Instant;
import java.util.Locale;

import org.gatehouse.api.model.Credential;
import org.gatehouse.api.model.CredentialKind;
import org.gatehouse.whitelist.internal.Enrolment.EnrolledFace;

/**
 * The answer to a face enrollment: the FACE credential's fields (as before: {@code reference} = template id), how many
 * face templates the resident has now, and — while that is one — {@code secondPhotoAdvised} with a hint in the
 * caller's language ({@code advice}, null otherwise).
 */
public record FaceEnrolled(String id, String communityId, String residentId, CredentialKind kind, String reference,
                           Instant issuedAt, Instant revokedAt, int faceTemplates, boolean secondPhotoAdvised,
                           String advice) {
    public static FaceEnrolled of(EnrolledFace e, Locale locale) {
        Credential c = e.credential();
        boolean advised = e.secondPhotoAdvised();
        return new FaceEnrolled(c.id(), c.communityId(), c.residentId(), c.kind(), c.reference(), c.issuedAt(),
                c.revokedAt(), e.faceTemplates(), advised, advised ? MESSAGES.get(locale, "face.secondPhotoAdvised")
                : null);
    }
}

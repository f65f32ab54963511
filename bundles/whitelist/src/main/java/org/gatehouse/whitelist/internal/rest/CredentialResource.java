package org.gatehouse.whitelist.internal.rest;

import org.gatehouse.api.model.Consent;
import org.gatehouse.api.model.Credential;
import org.gatehouse.api.model.CredentialKind;
import org.gatehouse.core.api.RestResource;
import org.gatehouse.core.api.RestResponse;
import org.gatehouse.core.api.RestRoutes;
import org.gatehouse.whitelist.internal.Consents;
import org.gatehouse.whitelist.internal.Consents.Withdrawal;
import org.gatehouse.whitelist.internal.Credentials;
import org.gatehouse.whitelist.internal.Credentials.IssuedCredential;
import org.gatehouse.whitelist.internal.Enrolment;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Credentials, consents and face enrollment of residents. */
@Component(service = RestResource.class)
public class CredentialResource implements RestResource {
    /** Uploads beyond this are cut off unread (the engine's own limit is lower). */
    static final int MAX_UPLOAD_BYTES = 16 * 1024 * 1024;

    public record NewCredential(CredentialKind kind, String value) {
    }

    public record NewConsent(String purpose, String noticeVersion, String channel) {
    }

    private final Credentials credentials;
    private final Consents consents;
    private final Enrolment enrolment;

    @Activate
    public CredentialResource(@Reference Credentials credentials, @Reference Consents consents,
                              @Reference Enrolment enrolment) {
        this.credentials = credentials;
        this.consents = consents;
        this.enrolment = enrolment;
    }

    @Override
    public String tag() {
        return "whitelist";
    }

    @Override
    public void routes(RestRoutes routes) {
        routes.get("/residents/{id}/credentials", Rest.READ, "Credentials of a resident (references only)",
                Credential[].class, r -> credentials.credentials(r.caller(), r.path("id")));
        routes.post("/residents/{id}/credentials", Rest.MANAGE, "Issue a credential {kind, value}: ID_CARD, PIN "
                + "and CARD stored as keyed hash (CARD: and at most its last four characters), APP_TOKEN returns its "
                + "secret once", NewCredential.class,
                IssuedCredential.class, r -> {
                    NewCredential body = r.body(NewCredential.class);
                    return RestResponse.created(credentials.issueCredential(r.caller(), r.path("id"), body.kind(),
                            body.value()));
                });
        routes.delete("/residents/{rid}/credentials/{id}", Rest.MANAGE, "Revoke a credential of a resident",
                r -> credentials.revokeCredential(r.caller(), r.path("rid"), r.path("id")));
        routes.delete("/credentials/{id}", Rest.MANAGE, "Revoke a credential by its id",
                r -> credentials.revokeCredential(r.caller(), r.path("id")));
        routes.get("/residents/{id}/consents", Rest.READ, "Consent records of a resident", Consent[].class,
                r -> consents.consents(r.caller(), r.path("id")));
        routes.post("/residents/{id}/consents", Rest.MANAGE, "Record an informed consent {purpose, noticeVersion, "
                + "channel}", NewConsent.class, Consent.class, r -> {
                    NewConsent body = r.body(NewConsent.class);
                    return RestResponse.created(consents.giveConsent(r.caller(), r.path("id"), body.purpose(),
                            body.noticeVersion(), body.channel()));
                });
        routes.post("/consents/{id}/withdraw", Rest.MANAGE, "Withdraw a consent; face-access: templates deleted "
                + "everywhere, face credentials revoked", null, Withdrawal.class,
                r -> consents.withdrawConsent(r.caller(), r.path("id")));
        routes.post("/residents/{id}/face", Rest.MANAGE, "Enroll a face photo (multipart part 'image'); needs "
                + "face-access consent and a non-face credential. Answers the FACE credential with faceTemplates (the "
                + "resident's templates now) and, while that is 1, secondPhotoAdvised and advice: enrol a second "
                + "photo, ideally taken on another day", null, FaceEnrolled.class, r -> {
                    byte[] image = r.partBytes("image", MAX_UPLOAD_BYTES);
                    return RestResponse.created(FaceEnrolled.of(enrolment.enrollFace(r.caller(), r.path("id"), image),
                            r.locale()));
                });
    }
}

package org.gatehouse.whitelist.internal;

import static org.gatehouse.whitelist.internal.Messages.MESSAGES;

import org.gatehouse.api.model.Consent;
import org.gatehouse.api.model.Credential;
import org.gatehouse.api.model.CredentialKind;
import org.gatehouse.api.model.Resident;
import org.gatehouse.api.service.ConsentRepository;
import org.gatehouse.api.service.CredentialRepository;
import org.gatehouse.api.service.HouseholdRepository;
import org.gatehouse.api.service.NotFoundException;
import org.gatehouse.api.service.PreconditionFailedException;
import org.gatehouse.core.api.AuditTrail;
import org.gatehouse.core.api.AuditTrails;
import org.gatehouse.core.api.Caller;
import org.gatehouse.faces.api.FaceRegistry;
import org.gatehouse.recognition.api.FaceException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.gatehouse.core.api.Refusal;

/**
 * {@link Enrolment} through the faces module's {@link FaceRegistry}.
 * <p>
 * The rules are checked here for a quick answer, and checked again by the store in the transaction that saves
 * the template and issues the credential, under the resident's row lock (a consent withdrawn while the engine was
 * computing the template is seen there: 409, nothing stored). If anything fails after that save (the audit), the
 * face is revoked again, its template deleted with it.
 */
@Component(service = Enrolment.class)
public class FaceEnrolment implements Enrolment {
    private final HouseholdRepository households;
    private final CredentialRepository credentials;
    private final ConsentRepository consents;
    private final FaceRegistry faces;
    private final Gallery gallery;
    private final AuditTrail audit;

    @Activate
    public FaceEnrolment(@Reference HouseholdRepository households, @Reference CredentialRepository credentials,
                         @Reference ConsentRepository consents, @Reference FaceRegistry faces,
                         @Reference AuditTrails trails) {
        this.households = households;
        this.credentials = credentials;
        this.consents = consents;
        this.faces = faces;
        this.gallery = new Gallery(faces, credentials);
        this.audit = trails.of("whitelist");
    }

    @Override
    public EnrolledFace enrollFace(Caller c, String residentId, byte[] image) {
        Resident r = households.resident(c.scope(), residentId)
                .orElseThrow(() -> new NotFoundException("resident", residentId));
        if (consents.inForce(c.scope(), residentId, Consent.PURPOSE_FACE_ACCESS).isEmpty()) {
            audit.refused(c.name(), "face.enroll.refused", r.communityId(), r.id(), "no face-access consent in force");
            throw noConsent();
        }
        boolean nonFace = credentials.credentials(c.scope(), residentId).stream()
                .anyMatch(cr -> cr.isActive() && !cr.kind().isFace());
        if (!nonFace) {
            audit.refused(c.name(), "face.enroll.refused", r.communityId(), r.id(), "no active non-face credential");
            throw noNonFaceCredential();
        }
        FaceRegistry.ResidentEnrollment e;
        try {
            e = faces.enrollResident(c.scope(), r.communityId(), r.id(), image, Consent.PURPOSE_FACE_ACCESS);
        } catch (FaceException fe) {
            audit.refused(c.name(), "face.enroll.refused", r.communityId(), r.id(), fe.code().name());
            throw fe;
        } catch (PreconditionFailedException pf) {
            boolean consent = pf.reason() == PreconditionFailedException.Reason.CONSENT_NOT_IN_FORCE;
            audit.refused(c.name(), "face.enroll.refused", r.communityId(), r.id(), (consent
                    ? "no face-access consent in force" : "no active non-face credential")
                    + " when the template was to be saved (changed during enrollment)");
            throw consent ? noConsent() : noNonFaceCredential();
        }
        Credential cr = e.credential();
        try {
            audit.record(c.name(), "face.enroll", r.communityId(), r.id(), "template " + e.enrollment().templateId()
                    + " model " + e.enrollment().modelId());
        } catch (RuntimeException failure) {
            // nothing goes unaudited: undo the enrollment (the store deletes the template with the credential)
            try {
                credentials.revoke(c.scope(), cr.id());
                gallery.refresh(c.scope(), r.communityId(), r.id());
            } catch (RuntimeException undo) {
                failure.addSuppressed(undo);
            }
            throw failure;
        }
        return new EnrolledFace(cr, faceTemplates(c, r.id()));
    }

    private static Refusal noConsent() {
        return MESSAGES.conflict("NO_FACE_CONSENT", "face.noConsent");
    }

    private static Refusal noNonFaceCredential() {
        return MESSAGES.conflict("NO_NON_FACE_CREDENTIAL", "face.noNonFaceCredential");
    }

    @Override
    public int faceTemplates(Caller c, String residentId) {
        return (int) credentials.credentials(c.scope(), residentId).stream()
                .filter(cr -> cr.isActive() && cr.kind() == CredentialKind.FACE).count();
    }
}

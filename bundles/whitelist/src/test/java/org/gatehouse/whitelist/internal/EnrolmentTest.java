package org.gatehouse.whitelist.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;

import org.gatehouse.api.model.Consent;
import org.gatehouse.api.model.Credential;
import org.gatehouse.api.model.CredentialKind;
import org.gatehouse.api.service.Scope;
import org.gatehouse.recognition.api.FaceException;
import org.gatehouse.whitelist.internal.Households.NewResident;
import org.junit.jupiter.api.Test;
import org.gatehouse.core.api.Refusal;

/** Face enrollment: consent, a non-face way in, and what happens when it fails ({@link FaceEnrolment}). */
class EnrolmentTest extends ServicesOverFakes {
    @Test
    void enrollmentWithoutFaceConsentIsRefusedAndAudited() {
        NewResident n = w.add("王芳");
        Refusal r = assertThrows(Refusal.class,
                () -> w.enrolment.enrollFace(w.office, n.resident().id(), "photo".getBytes()));
        assertEquals(409, r.status());
        assertEquals("NO_FACE_CONSENT", r.code());
        assertTrue(r.message(Locale.ENGLISH).contains("consent"));
        assertTrue(w.faces.templates.isEmpty(), "nothing reached the face registry");
        assertTrue(active(n.resident().id(), CredentialKind.FACE).isEmpty());
        assertTrue(w.audit.entries.stream().anyMatch(e -> e.action().equals("face.enroll.refused")
                && e.subjectId().equals(n.resident().id()) && e.actor().equals("office")));
    }

    @Test
    void enrollmentNeedsAnActiveNonFaceCredential() {
        NewResident n = w.add("王芳");
        String rid = n.resident().id();
        w.consentBook.giveConsent(w.office, rid, Consent.PURPOSE_FACE_ACCESS, "v1", "paper");
        // revoke behind the rules' back, as a store migration or another tool might have
        w.credentials.revoke(Scope.all(), n.appToken().credential().id());
        Refusal r = assertThrows(Refusal.class, () -> w.enrolment.enrollFace(w.office, rid, "photo".getBytes()));
        assertEquals("NO_NON_FACE_CREDENTIAL", r.code());
    }

    @Test
    void enrollmentWithConsentIssuesAFaceCredentialNamingTheTemplate() {
        NewResident n = w.add("王芳");
        String rid = n.resident().id();
        w.consentBook.giveConsent(w.office, rid, Consent.PURPOSE_FACE_ACCESS, "v1", "paper");
        Credential face = w.enrolment.enrollFace(w.office, rid, "photo".getBytes()).credential();
        assertEquals(CredentialKind.FACE, face.kind());
        assertEquals(w.faces.templates.get(w.sunshine.id() + "/" + rid).get(0), face.reference());
        assertTrue(w.audit.actions().contains("face.enroll"));

        FaceException e = assertThrows(FaceException.class,
                () -> w.enrolment.enrollFace(w.office, rid, "no face".getBytes()));
        assertEquals(FaceException.Code.NO_FACE, e.code());
        assertTrue(w.audit.entries.stream().anyMatch(a -> a.action().equals("face.enroll.refused")
                && a.detail().equals("NO_FACE")));
    }

    @Test
    void aConsentWithdrawnWhileTheEngineComputesTheTemplateLeavesNoFace() {
        NewResident n = w.add("王芳");
        String rid = n.resident().id();
        Consent consent = w.consentBook.giveConsent(w.office, rid, Consent.PURPOSE_FACE_ACCESS, "v1", "paper");
        // the withdrawal lands after the checks up front, while the engine is still at work
        w.faces.whileComputing = () -> w.consentBook.withdrawConsent(w.office, consent.id());

        Refusal r = assertThrows(Refusal.class, () -> w.enrolment.enrollFace(w.office, rid, "photo".getBytes()));
        assertEquals(409, r.status());
        assertEquals("NO_FACE_CONSENT", r.code());
        assertTrue(w.faces.templates.isEmpty(), "no template stored");
        assertTrue(active(rid, CredentialKind.FACE).isEmpty(), "no face credential");
        assertEquals(1, changes(rid, "ISSUED"), "only the app token was ever issued");
        assertTrue(w.audit.entries.stream().anyMatch(a -> a.action().equals("face.enroll.refused")
                && a.detail().contains("changed during enrollment")));
        assertFalse(w.audit.actions().contains("face.enroll"));
    }

    @Test
    void aFailureAfterTheTemplateIsSavedRemovesIt() {
        World failing = new World(false);
        failing.auditTo(new Fakes.Audits() {
            @Override
            public AuditEntry append(String actor, String action, String communityId, String subjectId, String detail) {
                if (action.equals("face.enroll")) {
                    throw new IllegalStateException("audit log unavailable");
                }
                return super.append(actor, action, communityId, subjectId, detail);
            }
        });
        String rid = failing.add("王芳").resident().id();
        failing.consentBook.giveConsent(failing.office, rid, Consent.PURPOSE_FACE_ACCESS, "v1", "paper");
        assertThrows(IllegalStateException.class,
                () -> failing.enrolment.enrollFace(failing.office, rid, "photo".getBytes()));
        assertTrue(failing.faces.templates.isEmpty(), "the saved template was deleted again");
        assertTrue(failing.credentials.credentials(Scope.all(), rid).stream()
                .noneMatch(c -> c.isActive() && c.kind().isFace()), "and its face credential revoked");
        assertTrue(failing.outbox.entries.stream().anyMatch(e -> e.payloadJson().contains("\"REVOKED\"")
                && e.payloadJson().contains("\"FACE\"")), "terminals that heard ISSUED hear REVOKED");
        assertEquals(List.of(rid), failing.faces.refreshed);
    }
}

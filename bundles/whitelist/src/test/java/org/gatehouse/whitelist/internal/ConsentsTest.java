package org.gatehouse.whitelist.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.gatehouse.api.model.Consent;
import org.gatehouse.api.model.CredentialKind;
import org.gatehouse.api.stream.Streams;
import org.gatehouse.whitelist.internal.Households.NewResident;
import org.gatehouse.whitelist.internal.Consents.Withdrawal;
import org.junit.jupiter.api.Test;
import org.gatehouse.core.api.Refusal;

/** Consent and its withdrawal ({@link StoredConsents}). */
class ConsentsTest extends ServicesOverFakes {
    @Test
    void withdrawingFaceConsentDeletesTemplatesRevokesFaceCredentialsAndTellsTheTerminals() {
        NewResident n = w.add("王芳");
        String rid = n.resident().id();
        Consent consent = w.consentBook.giveConsent(w.office, rid, Consent.PURPOSE_FACE_ACCESS, "v1", "paper");
        w.enrolment.enrollFace(w.office, rid, "photo 1".getBytes());
        w.enrolment.enrollFace(w.office, rid, "photo 2".getBytes());
        assertEquals(2, active(rid, CredentialKind.FACE).size());

        Withdrawal wd = w.consentBook.withdrawConsent(w.office, consent.id());
        assertFalse(wd.consent().isInForce());
        assertEquals(2, wd.templatesDeleted());
        assertEquals(List.of(rid), w.faces.refreshed, "this node's gallery follows the store at once");
        assertTrue(w.faces.templates.isEmpty());
        assertTrue(active(rid, CredentialKind.FACE).isEmpty());
        assertEquals(1, active(rid, CredentialKind.APP_TOKEN).size(), "the non-face way in stays");
        assertEquals(1, changes(rid, "FACE_DELETED"));
        assertEquals(2, changes(rid, "REVOKED"));
        JsonNode deleted = events(Streams.CREDENTIAL_CHANGES).stream()
                .filter(e -> e.get("change").asText().equals("FACE_DELETED")).findFirst().orElseThrow();
        assertEquals(w.sunshine.id(), deleted.get("communityId").asText());
        assertEquals("FACE", deleted.get("kind").asText());
        Instant.parse(deleted.get("occurredAt").asText());
        assertTrue(w.audit.actions().contains("consent.withdraw"));

        // and no new face without a new consent
        assertThrows(Refusal.class, () -> w.enrolment.enrollFace(w.office, rid, "photo 3".getBytes()));
    }
}

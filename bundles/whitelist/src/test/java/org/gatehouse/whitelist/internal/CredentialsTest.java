package org.gatehouse.whitelist.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.gatehouse.api.model.Consent;
import org.gatehouse.api.model.Credential;
import org.gatehouse.api.model.CredentialKind;
import org.gatehouse.api.service.Scope;
import org.gatehouse.core.api.Caller;
import org.gatehouse.core.api.Roles;
import org.gatehouse.whitelist.api.AccessCheck;
import org.gatehouse.whitelist.internal.Households.NewResident;
import org.gatehouse.api.service.NotFoundException;
import org.junit.jupiter.api.Test;
import org.gatehouse.core.api.Refusal;

/** Credentials: issue, revoke, keyed hashes ({@link StoredCredentials}). */
class CredentialsTest extends ServicesOverFakes {
    @Test
    void theLastNonFaceCredentialCannotBeRevoked() {
        NewResident n = w.add("王芳");
        String rid = n.resident().id();
        Refusal r = assertThrows(Refusal.class,
                () -> w.issuer.revokeCredential(w.office, rid, n.appToken().credential().id()));
        assertEquals(409, r.status());
        assertEquals("LAST_NON_FACE_CREDENTIAL", r.code());
        assertTrue(r.message(Locale.SIMPLIFIED_CHINESE).contains("非人脸"));
        assertTrue(w.audit.actions().contains("credential.revoke.refused"));
        assertEquals(1, active(rid, CredentialKind.APP_TOKEN).size());

        // with a card issued, the app token may go; then the card is the last one
        Credential card = w.issuer.issueCredential(w.office, rid, CredentialKind.CARD, "a1b2c3d4").credential();
        assertTrue(card.reference().startsWith(SecretKeys.HMAC_PREFIX), "an IC card number is stored as a keyed hash");
        // by id alone (DELETE /credentials/{id}): the credential names its resident
        w.issuer.revokeCredential(w.office, n.appToken().credential().id());
        assertEquals(1, changes(rid, "REVOKED"));
        assertThrows(NotFoundException.class, () -> w.issuer.revokeCredential(w.office, "no-such-credential"));
        assertThrows(Refusal.class, () -> w.issuer.revokeCredential(w.office, rid, card.id()));
    }

    @Test
    void aRevocationWhoseCredentialChangeCannotBeWrittenDoesNotHappen() {
        NewResident n = w.add("王芳");
        String rid = n.resident().id();
        Credential card = w.issuer.issueCredential(w.office, rid, CredentialKind.CARD, "a1b2c3d4").credential();
        Consent consent = w.consentBook.giveConsent(w.office, rid, Consent.PURPOSE_FACE_ACCESS, "v1", "paper");
        Credential face = w.enrolment.enrollFace(w.office, rid, "photo".getBytes()).credential();
        int events = w.outbox.entries.size();

        // the store writes the event in the revoke's transaction: no event, no revoke
        w.outbox.failing = true;
        assertThrows(IllegalStateException.class, () -> w.issuer.revokeCredential(w.office, rid, card.id()));
        assertThrows(IllegalStateException.class, () -> w.issuer.revokeCredential(w.office, rid, face.id()));
        assertThrows(IllegalStateException.class, () -> w.consentBook.withdrawConsent(w.office, consent.id()));
        assertThrows(IllegalStateException.class, () -> w.register.removeResident(w.office, rid));
        w.outbox.failing = false;
        assertEquals(events, w.outbox.entries.size());
        assertEquals(1, active(rid, CredentialKind.CARD).size());
        assertEquals(1, active(rid, CredentialKind.FACE).size());
        assertEquals(1, w.faces.templates.get(w.sunshine.id() + "/" + rid).size());
        assertTrue(w.consents.rows.get(consent.id()).isInForce());
        assertTrue(w.households.resident(Scope.all(), rid).isPresent());

        // once it can be written, each revoke is told exactly once
        w.issuer.revokeCredential(w.office, rid, card.id());
        w.register.removeResident(w.office, rid);
        assertEquals(3, changes(rid, "REVOKED"), "card, face, app token");
        assertEquals(1, changes(rid, "FACE_DELETED"));
    }

    @Test
    void aDuplicateIdCardInOneCommunityIsRefused() {
        String a = w.add("王芳").resident().id();
        String b = w.add("王强").resident().id();
        w.issuer.issueCredential(w.office, a, CredentialKind.ID_CARD, ID_CARD);
        Refusal r = assertThrows(Refusal.class,
                () -> w.issuer.issueCredential(w.office, b, CredentialKind.ID_CARD, ID_CARD.toLowerCase()));
        assertEquals(409, r.status());
        assertEquals("DUPLICATE_ID_CARD", r.code());
        assertTrue(w.audit.actions().contains("credential.issue.refused"));
        assertEquals(400, assertThrows(Refusal.class,
                () -> w.issuer.issueCredential(w.office, b, CredentialKind.ID_CARD, "12345")).status());
    }

    @Test
    void theRepositoryConflictIsAlsoA409() {
        String a = w.add("王芳").resident().id();
        String b = w.add("王强").resident().id();
        // a repository that says nothing is active (a race), but refuses the issue
        Fakes.Credentials racy = new Fakes.Credentials(w.households) {
            @Override
            public java.util.Optional<Credential> active(Scope scope, String c, CredentialKind k, String ref) {
                return java.util.Optional.empty();
            }

            @Override
            public synchronized Credential issue(Scope scope, String residentId, CredentialKind kind, String ref,
                                                 String sealed) {
                if (super.active(scope, w.sunshine.id(), kind, ref).isPresent()) {
                    throw new org.gatehouse.api.service.ConflictException("duplicate");
                }
                return super.issue(scope, residentId, kind, ref, sealed);
            }
        };
        StoredCredentials m = new StoredCredentials(w.households, racy, w.faces,
                new SecretKeys(SecretKeys.random(32)), w.trails);
        m.issueCredential(w.office, a, CredentialKind.ID_CARD, ID_CARD);
        assertEquals("DUPLICATE_ID_CARD", assertThrows(Refusal.class,
                () -> m.issueCredential(w.office, b, CredentialKind.ID_CARD, ID_CARD)).code());
    }

    @Test
    void theIdCardNumberAndPinAreStoredOnlyAsKeyedHashes() {
        String a = w.add("王芳").resident().id();
        Credential id = w.issuer.issueCredential(w.office, a, CredentialKind.ID_CARD, ID_CARD).credential();
        Credential pin = w.issuer.issueCredential(w.office, a, CredentialKind.PIN, "482915").credential();
        assertTrue(id.reference().startsWith(SecretKeys.HMAC_PREFIX));
        assertEquals(SecretKeys.HMAC_PREFIX.length() + 64, id.reference().length());
        String everything = w.credentials.rows.toString() + w.outbox.entries + w.audit.entries;
        assertFalse(everything.contains(ID_CARD), "the raw ID card number is stored nowhere");
        assertFalse(everything.contains(ID_CARD.substring(0, 17)));
        assertFalse(everything.contains("482915"), "the raw PIN is stored nowhere");
        assertTrue(pin.reference().startsWith(SecretKeys.HMAC_PREFIX));

        // and yet the gate can look the card up
        Instant in2026 = Instant.parse("2026-06-01T00:00:00Z");
        AccessCheck check = w.gate.checkCredential(w.office.scope(), w.sunshine.id(), CredentialKind.ID_CARD,
                ID_CARD, in2026);
        assertTrue(check.allowed());
        assertEquals(a, check.residentId());
        assertFalse(w.gate.checkCredential(w.office.scope(), w.sunshine.id(), CredentialKind.PIN, "000000",
                in2026).allowed());
    }

    /**
     * An ID card's number is also kept sealed (its own derived key), for the stream consumers configured for ID
     * numbers: opened only through {@link StoredCredentials#idNumber}, still there after the card is revoked (a
     * move-out), and nobody else's key opens it. A PIN is never kept sealed.
     */
    @Test
    void theIdCardNumberIsKeptSealedForTheConsumersConfiguredForIt() {
        String a = w.add("王芳").resident().id();
        Credential id = w.issuer.issueCredential(w.office, a, CredentialKind.ID_CARD, ID_CARD.toLowerCase())
                .credential();
        w.issuer.issueCredential(w.office, a, CredentialKind.PIN, "482915");
        String sealed = w.credentials.sealed.get(id.id());
        assertTrue(sealed.startsWith(SecretKeys.SEALED_ID_PREFIX), sealed);
        assertFalse(sealed.contains(ID_CARD.substring(0, 17)), "sealed, not in clear: " + sealed);
        assertEquals(1, w.credentials.sealed.size(), "the PIN is not kept sealed");
        assertEquals(java.util.Optional.of(ID_CARD), w.issuer.idNumber(a), "normalised, as the card reads");

        w.credentials.revoke(Scope.all(), id.id());
        assertEquals(java.util.Optional.of(ID_CARD), w.issuer.idNumber(a), "a moved-out resident's card still tells");
        assertEquals(java.util.Optional.empty(), w.issuer.idNumber(w.add("王强").resident().id()));
        StoredCredentials otherKey = new StoredCredentials(w.households, w.credentials, w.faces,
                new SecretKeys(SecretKeys.random(32)), w.trails);
        assertEquals(java.util.Optional.empty(), otherKey.idNumber(a), "another key opens nothing");
    }

    @Test
    void cardNumbersAreStoredOnlyAsKeyedHashesShowingTheLastFourAtMost() {
        String a = w.add("王芳").resident().id();
        String b = w.add("王强").resident().id();
        String number = "7364 0091 2284";
        Credential card = w.issuer.issueCredential(w.office, a, CredentialKind.CARD, number).credential();
        assertTrue(card.reference().startsWith(SecretKeys.HMAC_PREFIX), card.reference());
        assertTrue(card.reference().endsWith(":****2284"), "the last four, no more: " + card.reference());
        Credential short4 = w.issuer.issueCredential(w.office, b, CredentialKind.CARD, "9876").credential();
        assertTrue(short4.reference().endsWith(":****76"), "never more than half: " + short4.reference());

        // what the police role reads (GET /residents/{id}/credentials) and everything stored
        Caller police = new Caller("police", Set.of(Roles.POLICE), w.office.scope());
        String answered = w.issuer.credentials(police, a).toString();
        String stored = w.credentials.rows.toString() + w.outbox.entries + w.audit.entries;
        for (String clear : List.of("736400912284", "7364 0091 2284", "73640091", "9876")) {
            assertFalse(answered.contains(clear), clear + " answered in " + answered);
            assertFalse(stored.contains(clear), clear + " stored");
        }

        // the gate still finds the card by its number (through the hash), and duplicates are still refused
        Instant in2026 = Instant.parse("2026-06-01T00:00:00Z");
        AccessCheck check = w.gate.checkCredential(w.office.scope(), w.sunshine.id(), CredentialKind.CARD,
                "736400912284", in2026);
        assertTrue(check.allowed(), check.toString());
        assertEquals(a, check.residentId());
        assertFalse(w.gate.checkCredential(w.office.scope(), w.sunshine.id(), CredentialKind.CARD,
                "736400912285", in2026).allowed());
        assertEquals("DUPLICATE_CARD", assertThrows(Refusal.class,
                () -> w.issuer.issueCredential(w.office, b, CredentialKind.CARD, "736400912284")).code());
    }

    @Test
    void cardNumbersStoredInClearBeforeAreHashedBeforeAnyCardIsLookedUpOrShown() {
        String a = w.add("王芳").resident().id();
        // as an older version stored them: the number itself, one active, one revoked
        Credential old = w.credentials.issue(Scope.all(), a, CredentialKind.CARD, "A1B2C3D4");
        w.credentials.revoke(Scope.all(), w.credentials.issue(Scope.all(), a, CredentialKind.CARD, "55667788").id());

        AccessCheck check = w.gate.checkCredential(w.office.scope(), w.sunshine.id(), CredentialKind.CARD,
                "a1b2c3d4", Instant.parse("2026-06-01T00:00:00Z"));
        assertTrue(check.allowed(), "looked up through the hash: " + check);
        String stored = w.credentials.rows.toString();
        assertFalse(stored.contains("A1B2C3D4"), stored);
        assertFalse(stored.contains("55667788"), "revoked cards too");
        assertEquals(w.issuer.reference(w.sunshine.id(), CredentialKind.CARD, "A1B2C3D4"),
                w.credentials.rows.get(old.id()).reference());
        assertTrue(w.credentials.rows.get(old.id()).isActive());
        assertFalse(w.issuer.credentials(w.office, a).toString().contains("55667788"));
    }

    @Test
    void theExportedIssuerIssuesCardsAsTheRestRouteDoesAndNothingElse() {
        org.gatehouse.whitelist.api.CredentialIssuer api = w.issuer;
        String a = w.add("王芳").resident().id();
        String b = w.add("李明").resident().id();
        Credential card = api.issue(w.office.scope(), "demo", a, CredentialKind.CARD, "DEMO-1-101");
        assertTrue(card.reference().startsWith(SecretKeys.HMAC_PREFIX), "stored as a keyed hash");
        assertFalse((w.credentials.rows.toString() + w.outbox.entries + w.audit.entries).contains("DEMO-1-101"));
        assertTrue(w.audit.actions().contains("credential.issue"));
        AccessCheck check = w.gate.checkCredential(w.office.scope(), w.sunshine.id(), CredentialKind.CARD, "DEMO-1-101",
                Instant.parse("2026-06-01T00:00:00Z"));
        assertEquals(a, check.residentId());
        assertEquals("DUPLICATE_CARD", assertThrows(Refusal.class,
                () -> api.issue(w.office.scope(), "demo", b, CredentialKind.CARD, "DEMO-1-101")).code());
        for (CredentialKind kind : List.of(CredentialKind.APP_TOKEN, CredentialKind.FACE)) {
            assertEquals(400, assertThrows(Refusal.class,
                    () -> api.issue(w.office.scope(), "demo", b, kind, "x")).status(), kind.name());
        }
    }
}

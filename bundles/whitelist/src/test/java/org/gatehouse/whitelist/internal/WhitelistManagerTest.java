package org.gatehouse.whitelist.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import org.gatehouse.api.model.CareFlag;
import org.gatehouse.api.model.Consent;
import org.gatehouse.api.model.Credential;
import org.gatehouse.api.model.CredentialKind;
import org.gatehouse.api.model.Resident;
import org.gatehouse.api.model.ResidentRole;
import org.gatehouse.api.service.OutboxRepository.OutboxEntry;
import org.gatehouse.api.service.Scope;
import org.gatehouse.api.stream.Streams;
import org.gatehouse.core.api.Caller;
import org.gatehouse.core.api.Roles;
import org.gatehouse.recognition.api.FaceException;
import org.gatehouse.whitelist.api.AccessCheck;
import org.gatehouse.whitelist.internal.WhitelistManager.IssuedCredential;
import org.gatehouse.whitelist.internal.WhitelistManager.NewResident;
import org.gatehouse.whitelist.internal.WhitelistManager.ResidentInput;
import org.gatehouse.whitelist.internal.WhitelistManager.Withdrawal;
import org.gatehouse.api.service.NotFoundException;
import org.junit.jupiter.api.Test;

class WhitelistManagerTest {
    static final String ID_CARD = "11010519491231002X";
    final World w = new World();

    private List<JsonNode> events(String stream) {
        return w.outbox.entries.stream().filter(e -> e.stream().equals(stream)).map(OutboxEntry::payloadJson)
                .map(json -> {
                    try {
                        return Fakes.JSON.readTree(json);
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                }).toList();
    }

    private long changes(String residentId, String change) {
        return events(Streams.CREDENTIAL_CHANGES).stream()
                .filter(e -> e.get("residentId").asText().equals(residentId) && e.get("change").asText().equals(change))
                .count();
    }

    private List<Credential> active(String residentId, CredentialKind kind) {
        return w.credentials.credentials(Scope.all(), residentId).stream()
                .filter(c -> c.isActive() && c.kind() == kind).toList();
    }

    @Test
    void aNewResidentGetsAnAppTokenWhoseSecretIsShownOnceAndStoredSealed() {
        NewResident n = w.add("王芳");
        IssuedCredential token = n.appToken();
        assertNotNull(token.secret());
        assertTrue(token.otpauthUri().startsWith("otpauth://totp/"));
        assertEquals(CredentialKind.APP_TOKEN, token.credential().kind());
        assertFalse(token.credential().reference().contains(token.secret()));
        assertTrue(token.credential().reference().startsWith(SecretKeys.SEALED_PREFIX));
        assertEquals(1, active(n.resident().id(), CredentialKind.APP_TOKEN).size());
        assertEquals(1, changes(n.resident().id(), "ISSUED"));
        assertTrue(events(Streams.POPULATION_CHANGES).isEmpty(), "move-ins are the store's to publish, with the row");
        JsonNode issued = events(Streams.CREDENTIAL_CHANGES).get(0);
        assertTrue(issued.get("occurredAt").asText().endsWith("Z"), "ISO instant: " + issued.get("occurredAt"));
        assertTrue(w.audit.actions().contains("resident.create"));
        assertTrue(w.audit.actions().contains("credential.issue"));
    }

    @Test
    void theAppCodeOfTheSecretOpensTheGateAndAWrongOneDoesNot() {
        NewResident n = w.add("王芳");
        byte[] secret = decodeBase32(n.appToken().secret());
        Instant now = Instant.parse("2026-06-01T08:00:00Z");
        String code = Totp.code(secret, now);
        AccessCheck ok = w.whitelist.checkAppCode(w.office.scope(), n.resident().id(), code, now);
        assertTrue(ok.allowed(), ok.toString());
        String wrong = String.format("%06d", (Integer.parseInt(code) + 1) % 1_000_000);
        assertEquals(AccessCheck.Reason.CREDENTIAL_UNKNOWN,
                w.whitelist.checkAppCode(w.office.scope(), n.resident().id(), wrong, now).reason());
    }

    static byte[] decodeBase32(String s) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int buffer = 0;
        int bits = 0;
        for (char c : s.toCharArray()) {
            buffer = (buffer << 5) | alphabet.indexOf(c);
            bits += 5;
            if (bits >= 8) {
                out.write((buffer >> (bits - 8)) & 0xff);
                bits -= 8;
            }
        }
        return out.toByteArray();
    }

    @Test
    void theLastNonFaceCredentialCannotBeRevoked() {
        NewResident n = w.add("王芳");
        String rid = n.resident().id();
        Refusal r = assertThrows(Refusal.class,
                () -> w.whitelist.revokeCredential(w.office, rid, n.appToken().credential().id()));
        assertEquals(409, r.status());
        assertEquals("LAST_NON_FACE_CREDENTIAL", r.code());
        assertTrue(r.message(Locale.SIMPLIFIED_CHINESE).contains("非人脸"));
        assertTrue(w.audit.actions().contains("credential.revoke.refused"));
        assertEquals(1, active(rid, CredentialKind.APP_TOKEN).size());

        // with a card issued, the app token may go; then the card is the last one
        Credential card = w.whitelist.issueCredential(w.office, rid, CredentialKind.CARD, "a1b2c3d4").credential();
        assertTrue(card.reference().startsWith(SecretKeys.HMAC_PREFIX), "an IC card number is stored as a keyed hash");
        // by id alone (DELETE /credentials/{id}): the credential names its resident
        w.whitelist.revokeCredential(w.office, n.appToken().credential().id());
        assertEquals(1, changes(rid, "REVOKED"));
        assertThrows(NotFoundException.class, () -> w.whitelist.revokeCredential(w.office, "no-such-credential"));
        assertThrows(Refusal.class, () -> w.whitelist.revokeCredential(w.office, rid, card.id()));
    }

    @Test
    void enrollmentWithoutFaceConsentIsRefusedAndAudited() {
        NewResident n = w.add("王芳");
        Refusal r = assertThrows(Refusal.class,
                () -> w.whitelist.enrollFace(w.office, n.resident().id(), "photo".getBytes()));
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
        w.whitelist.giveConsent(w.office, rid, Consent.PURPOSE_FACE_ACCESS, "v1", "paper");
        // revoke behind the rules' back, as a store migration or another tool might have
        w.credentials.revoke(Scope.all(), n.appToken().credential().id());
        Refusal r = assertThrows(Refusal.class, () -> w.whitelist.enrollFace(w.office, rid, "photo".getBytes()));
        assertEquals("NO_NON_FACE_CREDENTIAL", r.code());
    }

    @Test
    void enrollmentWithConsentIssuesAFaceCredentialNamingTheTemplate() {
        NewResident n = w.add("王芳");
        String rid = n.resident().id();
        w.whitelist.giveConsent(w.office, rid, Consent.PURPOSE_FACE_ACCESS, "v1", "paper");
        Credential face = w.whitelist.enrollFace(w.office, rid, "photo".getBytes());
        assertEquals(CredentialKind.FACE, face.kind());
        assertEquals(w.faces.templates.get(w.sunshine.id() + "/" + rid).get(0), face.reference());
        assertTrue(w.audit.actions().contains("face.enroll"));

        FaceException e = assertThrows(FaceException.class,
                () -> w.whitelist.enrollFace(w.office, rid, "no face".getBytes()));
        assertEquals(FaceException.Code.NO_FACE, e.code());
        assertTrue(w.audit.entries.stream().anyMatch(a -> a.action().equals("face.enroll.refused")
                && a.detail().equals("NO_FACE")));
    }

    @Test
    void aConsentWithdrawnWhileTheEngineComputesTheTemplateLeavesNoFace() {
        NewResident n = w.add("王芳");
        String rid = n.resident().id();
        Consent consent = w.whitelist.giveConsent(w.office, rid, Consent.PURPOSE_FACE_ACCESS, "v1", "paper");
        // the withdrawal lands after the checks up front, while the engine is still at work
        w.faces.whileComputing = () -> w.whitelist.withdrawConsent(w.office, consent.id());

        Refusal r = assertThrows(Refusal.class, () -> w.whitelist.enrollFace(w.office, rid, "photo".getBytes()));
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
        failing.whitelist.setAuditLog(new Fakes.Audits() {
            @Override
            public AuditEntry append(String actor, String action, String communityId, String subjectId, String detail) {
                if (action.equals("face.enroll")) {
                    throw new IllegalStateException("audit log unavailable");
                }
                return super.append(actor, action, communityId, subjectId, detail);
            }
        });
        String rid = failing.add("王芳").resident().id();
        failing.whitelist.giveConsent(failing.office, rid, Consent.PURPOSE_FACE_ACCESS, "v1", "paper");
        assertThrows(IllegalStateException.class,
                () -> failing.whitelist.enrollFace(failing.office, rid, "photo".getBytes()));
        assertTrue(failing.faces.templates.isEmpty(), "the saved template was deleted again");
        assertTrue(failing.credentials.credentials(Scope.all(), rid).stream()
                .noneMatch(c -> c.isActive() && c.kind().isFace()), "and its face credential revoked");
        assertTrue(failing.outbox.entries.stream().anyMatch(e -> e.payloadJson().contains("\"REVOKED\"")
                && e.payloadJson().contains("\"FACE\"")), "terminals that heard ISSUED hear REVOKED");
        assertEquals(List.of(rid), failing.faces.refreshed);
    }

    @Test
    void withdrawingFaceConsentDeletesTemplatesRevokesFaceCredentialsAndTellsTheTerminals() {
        NewResident n = w.add("王芳");
        String rid = n.resident().id();
        Consent consent = w.whitelist.giveConsent(w.office, rid, Consent.PURPOSE_FACE_ACCESS, "v1", "paper");
        w.whitelist.enrollFace(w.office, rid, "photo 1".getBytes());
        w.whitelist.enrollFace(w.office, rid, "photo 2".getBytes());
        assertEquals(2, active(rid, CredentialKind.FACE).size());

        Withdrawal wd = w.whitelist.withdrawConsent(w.office, consent.id());
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
        assertThrows(Refusal.class, () -> w.whitelist.enrollFace(w.office, rid, "photo 3".getBytes()));
    }

    @Test
    void aRevocationWhoseCredentialChangeCannotBeWrittenDoesNotHappen() {
        NewResident n = w.add("王芳");
        String rid = n.resident().id();
        Credential card = w.whitelist.issueCredential(w.office, rid, CredentialKind.CARD, "a1b2c3d4").credential();
        Consent consent = w.whitelist.giveConsent(w.office, rid, Consent.PURPOSE_FACE_ACCESS, "v1", "paper");
        Credential face = w.whitelist.enrollFace(w.office, rid, "photo".getBytes());
        int events = w.outbox.entries.size();

        // the store writes the event in the revoke's transaction: no event, no revoke
        w.outbox.failing = true;
        assertThrows(IllegalStateException.class, () -> w.whitelist.revokeCredential(w.office, rid, card.id()));
        assertThrows(IllegalStateException.class, () -> w.whitelist.revokeCredential(w.office, rid, face.id()));
        assertThrows(IllegalStateException.class, () -> w.whitelist.withdrawConsent(w.office, consent.id()));
        assertThrows(IllegalStateException.class, () -> w.whitelist.removeResident(w.office, rid));
        w.outbox.failing = false;
        assertEquals(events, w.outbox.entries.size());
        assertEquals(1, active(rid, CredentialKind.CARD).size());
        assertEquals(1, active(rid, CredentialKind.FACE).size());
        assertEquals(1, w.faces.templates.get(w.sunshine.id() + "/" + rid).size());
        assertTrue(w.consents.rows.get(consent.id()).isInForce());
        assertTrue(w.households.resident(Scope.all(), rid).isPresent());

        // once it can be written, each revoke is told exactly once
        w.whitelist.revokeCredential(w.office, rid, card.id());
        w.whitelist.removeResident(w.office, rid);
        assertEquals(3, changes(rid, "REVOKED"), "card, face, app token");
        assertEquals(1, changes(rid, "FACE_DELETED"));
    }

    @Test
    void aDuplicateIdCardInOneCommunityIsRefused() {
        String a = w.add("王芳").resident().id();
        String b = w.add("王强").resident().id();
        w.whitelist.issueCredential(w.office, a, CredentialKind.ID_CARD, ID_CARD);
        Refusal r = assertThrows(Refusal.class,
                () -> w.whitelist.issueCredential(w.office, b, CredentialKind.ID_CARD, ID_CARD.toLowerCase()));
        assertEquals(409, r.status());
        assertEquals("DUPLICATE_ID_CARD", r.code());
        assertTrue(w.audit.actions().contains("credential.issue.refused"));
        assertEquals(400, assertThrows(Refusal.class,
                () -> w.whitelist.issueCredential(w.office, b, CredentialKind.ID_CARD, "12345")).status());
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
            public synchronized Credential issue(Scope scope, String residentId, CredentialKind kind, String ref) {
                if (super.active(scope, w.sunshine.id(), kind, ref).isPresent()) {
                    throw new org.gatehouse.api.service.ConflictException("duplicate");
                }
                return super.issue(scope, residentId, kind, ref);
            }
        };
        WhitelistManager m = new WhitelistManager(w.households, racy, w.consents, w.faces,
                new SecretKeys(SecretKeys.random(32)), java.time.ZoneId.of("UTC"), java.time.Clock.systemUTC(),
                new Fakes.Config());
        m.issueCredential(w.office, a, CredentialKind.ID_CARD, ID_CARD);
        assertEquals("DUPLICATE_ID_CARD", assertThrows(Refusal.class,
                () -> m.issueCredential(w.office, b, CredentialKind.ID_CARD, ID_CARD)).code());
    }

    @Test
    void theIdCardNumberAndPinAreStoredOnlyAsKeyedHashes() {
        String a = w.add("王芳").resident().id();
        Credential id = w.whitelist.issueCredential(w.office, a, CredentialKind.ID_CARD, ID_CARD).credential();
        Credential pin = w.whitelist.issueCredential(w.office, a, CredentialKind.PIN, "482915").credential();
        assertTrue(id.reference().startsWith(SecretKeys.HMAC_PREFIX));
        assertEquals(SecretKeys.HMAC_PREFIX.length() + 64, id.reference().length());
        String everything = w.credentials.rows.toString() + w.outbox.entries + w.audit.entries;
        assertFalse(everything.contains(ID_CARD), "the raw ID card number is stored nowhere");
        assertFalse(everything.contains(ID_CARD.substring(0, 17)));
        assertFalse(everything.contains("482915"), "the raw PIN is stored nowhere");
        assertTrue(pin.reference().startsWith(SecretKeys.HMAC_PREFIX));

        // and yet the gate can look the card up
        Instant in2026 = Instant.parse("2026-06-01T00:00:00Z");
        AccessCheck check = w.whitelist.checkCredential(w.office.scope(), w.sunshine.id(), CredentialKind.ID_CARD,
                ID_CARD, in2026);
        assertTrue(check.allowed());
        assertEquals(a, check.residentId());
        assertFalse(w.whitelist.checkCredential(w.office.scope(), w.sunshine.id(), CredentialKind.PIN, "000000",
                in2026).allowed());
    }

    @Test
    void guessingPinsAtOneTerminalIsLockedOutEvenForTheRightPinAndRaisesAnAlert() {
        String a = w.add("王芳").resident().id();
        w.whitelist.issueCredential(w.office, a, CredentialKind.PIN, "482915");
        List<org.gatehouse.api.model.Alert> raised = new java.util.concurrent.CopyOnWriteArrayList<>();
        w.whitelist.setAlerts((org.gatehouse.api.service.AlertRepository) java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {org.gatehouse.api.service.AlertRepository.class},
                (proxy, m, args) -> {
                    if (m.getName().equals("raise")) {
                        raised.add((org.gatehouse.api.model.Alert) args[0]);
                        return args[0];
                    }
                    throw new UnsupportedOperationException(m.getName());
                }));
        Instant at = Instant.parse("2026-06-01T00:00:00Z");
        int checked = 0;
        int locked = 0;
        for (int guess = 0; guess < 1000; guess++) {
            AccessCheck c = w.whitelist.checkCredential(w.office.scope(), w.sunshine.id(), CredentialKind.PIN,
                    String.format("%06d", guess), at, "gate-east");
            if (c.reason() == AccessCheck.Reason.TOO_MANY_ATTEMPTS) {
                locked++;
            } else {
                checked++;
            }
        }
        assertEquals(5, checked, "only the first five guesses are looked at");
        assertEquals(995, locked);
        AccessCheck right = w.whitelist.checkCredential(w.office.scope(), w.sunshine.id(), CredentialKind.PIN,
                "482915", at, "gate-east");
        assertEquals(AccessCheck.Reason.TOO_MANY_ATTEMPTS, right.reason(), "even the right PIN, while locked");
        assertFalse(right.allowed());
        assertEquals(1, raised.size(), "one alert per lockout");
        assertEquals(org.gatehouse.api.model.AlertType.CODE_GUESSING, raised.get(0).type());
        assertTrue(raised.get(0).message().contains("gate-east"), raised.get(0).message());
        assertTrue(w.audit.entries.stream().anyMatch(e -> e.action().equals("credential.check.locked")));
        // another terminal is not affected
        assertTrue(w.whitelist.checkCredential(w.office.scope(), w.sunshine.id(), CredentialKind.PIN, "482915", at,
                "gate-west").allowed());
    }

    @Test
    void guessingOnePersonsAppCodeFromManyTerminalsLocksThatPersonsAppCode() {
        String a = w.add("王芳").resident().id();
        Instant at = Instant.now();
        for (int i = 0; i < 5; i++) {
            assertEquals(AccessCheck.Reason.CREDENTIAL_UNKNOWN, w.whitelist.checkAppCode(w.office.scope(), a,
                    "00000" + i, at, "gate-" + i).reason());
        }
        assertEquals(AccessCheck.Reason.TOO_MANY_ATTEMPTS, w.whitelist.checkAppCode(w.office.scope(), a, "123456", at,
                "gate-new").reason(), "a sixth terminal gets nowhere with this person's code");
    }

    @Test
    void cardNumbersAreStoredOnlyAsKeyedHashesShowingTheLastFourAtMost() {
        String a = w.add("王芳").resident().id();
        String b = w.add("王强").resident().id();
        String number = "7364 0091 2284";
        Credential card = w.whitelist.issueCredential(w.office, a, CredentialKind.CARD, number).credential();
        assertTrue(card.reference().startsWith(SecretKeys.HMAC_PREFIX), card.reference());
        assertTrue(card.reference().endsWith(":****2284"), "the last four, no more: " + card.reference());
        Credential short4 = w.whitelist.issueCredential(w.office, b, CredentialKind.CARD, "9876").credential();
        assertTrue(short4.reference().endsWith(":****76"), "never more than half: " + short4.reference());

        // what the police role reads (GET /residents/{id}/credentials) and everything stored
        Caller police = new Caller("police", Set.of(Roles.POLICE), w.office.scope());
        String answered = w.whitelist.credentials(police, a).toString();
        String stored = w.credentials.rows.toString() + w.outbox.entries + w.audit.entries;
        for (String clear : List.of("736400912284", "7364 0091 2284", "73640091", "9876")) {
            assertFalse(answered.contains(clear), clear + " answered in " + answered);
            assertFalse(stored.contains(clear), clear + " stored");
        }

        // the gate still finds the card by its number (through the hash), and duplicates are still refused
        Instant in2026 = Instant.parse("2026-06-01T00:00:00Z");
        AccessCheck check = w.whitelist.checkCredential(w.office.scope(), w.sunshine.id(), CredentialKind.CARD,
                "736400912284", in2026);
        assertTrue(check.allowed(), check.toString());
        assertEquals(a, check.residentId());
        assertFalse(w.whitelist.checkCredential(w.office.scope(), w.sunshine.id(), CredentialKind.CARD,
                "736400912285", in2026).allowed());
        assertEquals("DUPLICATE_CARD", assertThrows(Refusal.class,
                () -> w.whitelist.issueCredential(w.office, b, CredentialKind.CARD, "736400912284")).code());
    }

    @Test
    void cardNumbersStoredInClearBeforeAreHashedBeforeAnyCardIsLookedUpOrShown() {
        String a = w.add("王芳").resident().id();
        // as an older version stored them: the number itself, one active, one revoked
        Credential old = w.credentials.issue(Scope.all(), a, CredentialKind.CARD, "A1B2C3D4");
        w.credentials.revoke(Scope.all(), w.credentials.issue(Scope.all(), a, CredentialKind.CARD, "55667788").id());

        AccessCheck check = w.whitelist.checkCredential(w.office.scope(), w.sunshine.id(), CredentialKind.CARD,
                "a1b2c3d4", Instant.parse("2026-06-01T00:00:00Z"));
        assertTrue(check.allowed(), "looked up through the hash: " + check);
        String stored = w.credentials.rows.toString();
        assertFalse(stored.contains("A1B2C3D4"), stored);
        assertFalse(stored.contains("55667788"), "revoked cards too");
        assertEquals(w.whitelist.reference(w.sunshine.id(), CredentialKind.CARD, "A1B2C3D4"),
                w.credentials.rows.get(old.id()).reference());
        assertTrue(w.credentials.rows.get(old.id()).isActive());
        assertFalse(w.whitelist.credentials(w.office, a).toString().contains("55667788"));
    }

    @Test
    void aLeaseEndBeforeItsStartIsA400NamingTheField() {
        Refusal r = assertThrows(Refusal.class, () -> w.whitelist.addResident(w.office, w.wang.id(),
                new ResidentInput("王芳", ResidentRole.TENANT, null, null, "2026-05-01", "2026-04-01", null)));
        assertEquals(400, r.status());
        assertTrue(r.getMessage().startsWith("validUntil"), r.getMessage());
        assertTrue(w.households.residents.isEmpty());
        assertTrue(w.audit.actions().contains("resident.create.refused"));
        assertEquals("validFrom", assertThrows(Refusal.class, () -> w.whitelist.addResident(w.office, w.wang.id(),
                new ResidentInput("王芳", ResidentRole.TENANT, null, null, "May 1st", null, null)))
                .getMessage().split(":")[0]);
    }

    @Test
    void theLeaseWindowDecidesTheGate() {
        Resident r = w.add("王芳").resident();
        Scope s = w.office.scope();
        assertEquals(AccessCheck.Reason.NOT_YET_VALID,
                w.whitelist.check(s, r.id(), Instant.parse("2025-12-31T15:59:59Z")).reason());
        assertTrue(w.whitelist.check(s, r.id(), Instant.parse("2025-12-31T16:00:00Z")).allowed(), "midnight in Shanghai");
        assertTrue(w.whitelist.check(s, r.id(), Instant.parse("2027-12-31T15:59:59Z")).allowed(), "last day counts");
        assertEquals(AccessCheck.Reason.LEASE_ENDED,
                w.whitelist.check(s, r.id(), Instant.parse("2027-12-31T16:00:00Z")).reason());
        assertEquals(AccessCheck.Reason.NOT_REGISTERED,
                w.whitelist.check(Scope.of("elsewhere"), r.id(), Instant.parse("2026-06-01T00:00:00Z")).reason());
        w.whitelist.removeResident(w.office, r.id());
        assertEquals(AccessCheck.Reason.NOT_REGISTERED,
                w.whitelist.check(s, r.id(), Instant.parse("2026-06-01T00:00:00Z")).reason());
        assertTrue(w.credentials.rows.values().stream().noneMatch(Credential::isActive), "move-out revokes all");
    }

    @Test
    void careFlagsNeedTheCommunityOffice() {
        Caller property = new Caller("wuye", Set.of(Roles.PROPERTY), w.office.scope());
        Refusal r = assertThrows(Refusal.class, () -> w.whitelist.addResident(property, w.wang.id(),
                new ResidentInput("王奶奶", ResidentRole.TENANT, null, null, null, null, Set.of(CareFlag.LIVES_ALONE))));
        assertEquals(403, r.status());
        Resident ok = w.whitelist.addResident(w.office, w.wang.id(),
                new ResidentInput("王奶奶", ResidentRole.TENANT, null, null, null, null, Set.of(CareFlag.LIVES_ALONE)))
                .resident();
        assertEquals(Set.of(CareFlag.LIVES_ALONE), ok.careFlags());
        assertEquals(403, assertThrows(Refusal.class, () -> w.whitelist.updateResident(property, ok.id(),
                new ResidentInput("王奶奶", ResidentRole.TENANT, null, null, null, null, Set.of()))).status());
        // a change that leaves the flags alone is fine for the same caller
        assertEquals("13900000000", w.whitelist.updateResident(property, ok.id(),
                new ResidentInput("王奶奶", ResidentRole.TENANT, null, "13900000000", null, null, null)).phone());
    }

    @Test
    void readsOfPersonalDataAreAuditedAndScoped() {
        Resident r = w.add("王芳").resident();
        w.audit.entries.clear();
        w.whitelist.resident(w.office, r.id());
        w.whitelist.residents(w.office, w.wang.id());
        assertEquals(List.of("resident.view", "resident.view"), w.audit.actions());
        Caller other = new Caller("office2", Set.of(Roles.COMMUNITY_OFFICE), Scope.of("another"));
        assertThrows(org.gatehouse.api.service.NotFoundException.class, () -> w.whitelist.resident(other, r.id()));
    }

    @Test
    void withoutAnAuditLogEverythingStillWorks() {
        World bare = new World(false);
        NewResident n = bare.add("王芳");
        assertNotNull(bare.whitelist.resident(bare.office, n.resident().id()));
    }
}

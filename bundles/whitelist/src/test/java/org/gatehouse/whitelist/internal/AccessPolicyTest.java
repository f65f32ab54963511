package org.gatehouse.whitelist.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;

import org.gatehouse.api.model.Credential;
import org.gatehouse.api.model.CredentialKind;
import org.gatehouse.api.model.Resident;
import org.gatehouse.api.service.Scope;
import org.gatehouse.whitelist.api.AccessCheck;
import org.gatehouse.whitelist.internal.Households.NewResident;
import org.junit.jupiter.api.Test;

/** The gate's questions: lease window, presented credentials, throttling ({@link AccessPolicy}). */
class AccessPolicyTest extends ServicesOverFakes {
    @Test
    void theAppCodeOfTheSecretOpensTheGateAndAWrongOneDoesNot() {
        NewResident n = w.add("王芳");
        byte[] secret = decodeBase32(n.appToken().secret());
        Instant now = Instant.parse("2026-06-01T08:00:00Z");
        String code = Totp.code(secret, now);
        AccessCheck ok = w.gate.checkAppCode(w.office.scope(), n.resident().id(), code, now);
        assertTrue(ok.allowed(), ok.toString());
        String wrong = String.format("%06d", (Integer.parseInt(code) + 1) % 1_000_000);
        assertEquals(AccessCheck.Reason.CREDENTIAL_UNKNOWN,
                w.gate.checkAppCode(w.office.scope(), n.resident().id(), wrong, now).reason());
    }

    @Test
    void guessingPinsAtOneTerminalIsLockedOutEvenForTheRightPinAndRaisesAnAlert() {
        String a = w.add("王芳").resident().id();
        w.issuer.issueCredential(w.office, a, CredentialKind.PIN, "482915");
        List<org.gatehouse.api.model.Alert> raised = new java.util.concurrent.CopyOnWriteArrayList<>();
        w.gate.setAlerts((org.gatehouse.api.service.AlertRepository) java.lang.reflect.Proxy.newProxyInstance(
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
            AccessCheck c = w.gate.checkCredential(w.office.scope(), w.sunshine.id(), CredentialKind.PIN,
                    String.format("%06d", guess), at, "gate-east");
            if (c.reason() == AccessCheck.Reason.TOO_MANY_ATTEMPTS) {
                locked++;
            } else {
                checked++;
            }
        }
        assertEquals(5, checked, "only the first five guesses are looked at");
        assertEquals(995, locked);
        AccessCheck right = w.gate.checkCredential(w.office.scope(), w.sunshine.id(), CredentialKind.PIN,
                "482915", at, "gate-east");
        assertEquals(AccessCheck.Reason.TOO_MANY_ATTEMPTS, right.reason(), "even the right PIN, while locked");
        assertFalse(right.allowed());
        assertEquals(1, raised.size(), "one alert per lockout");
        assertEquals(org.gatehouse.api.model.AlertType.CODE_GUESSING, raised.get(0).type());
        assertTrue(raised.get(0).message().contains("gate-east"), raised.get(0).message());
        assertTrue(w.audit.entries.stream().anyMatch(e -> e.action().equals("credential.check.locked")));
        // another terminal is not affected
        assertTrue(w.gate.checkCredential(w.office.scope(), w.sunshine.id(), CredentialKind.PIN, "482915", at,
                "gate-west").allowed());
    }

    @Test
    void guessingOnePersonsAppCodeFromManyTerminalsLocksThatPersonsAppCode() {
        String a = w.add("王芳").resident().id();
        Instant at = Instant.now();
        for (int i = 0; i < 5; i++) {
            assertEquals(AccessCheck.Reason.CREDENTIAL_UNKNOWN, w.gate.checkAppCode(w.office.scope(), a,
                    "00000" + i, at, "gate-" + i).reason());
        }
        assertEquals(AccessCheck.Reason.TOO_MANY_ATTEMPTS, w.gate.checkAppCode(w.office.scope(), a, "123456", at,
                "gate-new").reason(), "a sixth terminal gets nowhere with this person's code");
    }

    @Test
    void theLeaseWindowDecidesTheGate() {
        Resident r = w.add("王芳").resident();
        Scope s = w.office.scope();
        assertEquals(AccessCheck.Reason.NOT_YET_VALID,
                w.gate.check(s, r.id(), Instant.parse("2025-12-31T15:59:59Z")).reason());
        assertTrue(w.gate.check(s, r.id(), Instant.parse("2025-12-31T16:00:00Z")).allowed(), "midnight in Shanghai");
        assertTrue(w.gate.check(s, r.id(), Instant.parse("2027-12-31T15:59:59Z")).allowed(), "last day counts");
        assertEquals(AccessCheck.Reason.LEASE_ENDED,
                w.gate.check(s, r.id(), Instant.parse("2027-12-31T16:00:00Z")).reason());
        assertEquals(AccessCheck.Reason.NOT_REGISTERED,
                w.gate.check(Scope.of("elsewhere"), r.id(), Instant.parse("2026-06-01T00:00:00Z")).reason());
        w.register.removeResident(w.office, r.id());
        assertEquals(AccessCheck.Reason.NOT_REGISTERED,
                w.gate.check(s, r.id(), Instant.parse("2026-06-01T00:00:00Z")).reason());
        assertTrue(w.credentials.rows.values().stream().noneMatch(Credential::isActive), "move-out revokes all");
    }
}

package org.gatehouse.gate.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.gatehouse.api.model.Device;
import org.gatehouse.api.model.PassageEvent;
import org.gatehouse.api.model.SubjectType;
import org.gatehouse.api.model.Verdict;
import org.gatehouse.api.service.StoreUnavailableException;
import org.gatehouse.gate.api.CheckSetting;
import org.gatehouse.gate.api.CredentialRequest;
import org.gatehouse.gate.api.GateDecision;
import org.gatehouse.gate.api.GateReason;
import org.gatehouse.gate.api.PresentedKind;
import org.gatehouse.gate.api.Readings;
import org.junit.jupiter.api.Test;

/**
 * Cards and PINs with the database down (the whitelist answering from its in-memory copy: OFFLINE_DECISION, the
 * passage journalled), and a visitor pass whose use is spent only when the passage opens.
 */
class GateOfflineCredentialTest {
    private final World w = new World();
    private final GateDecisionsImpl gate = w.gate();

    private GateDecision credential(Device d, PresentedKind kind, String value, Readings readings) {
        return gate.decideCredential(new CredentialRequest(d.id(), kind, value, null, readings, null));
    }

    private GateDecision card(Device d, String number) {
        return credential(d, PresentedKind.CARD, number, Readings.NONE);
    }

    private static List<String> codes(GateDecision d) {
        return d.reasons().stream().map(GateReason::code).toList();
    }

    /** The gate has seen its devices (not the residents); the whitelist copied the community; then the database stops. */
    private void databaseStops() {
        for (Device d : List.of(w.gate, w.door1, w.door2)) {
            assertEquals(Verdict.DENY, card(d, "C-NOBODY").verdict());
        }
        w.whitelist.loadCopy();
        w.storeDown = true;
        w.recorder.databaseDown = true;
    }

    @Test
    void aCardOpensOfflineForAResidentTheGateNeverSawAndThePassageIsJournalled() {
        databaseStops();
        GateDecision d = card(w.door1, "C-WANG");
        assertEquals(Verdict.ALLOW, d.verdict(), codes(d).toString());
        assertTrue(codes(d).containsAll(List.of("CREDENTIAL_VALID", "LEASE_VALID", "OWN_BUILDING", "DOOR_OPENED",
                "OFFLINE_DECISION")), codes(d).toString());
        assertEquals(SubjectType.RESIDENT, d.subjectType());
        assertEquals(w.wang.id(), d.subjectId());
        assertEquals("JOURNALLED", d.recorded());
        PassageEvent journalled = w.recorder.journal.get(w.recorder.journal.size() - 1);
        assertEquals(d.passageId(), journalled.id());
        assertTrue(journalled.decision().reasons().stream().anyMatch(r -> r.code().equals("OFFLINE_DECISION")),
                "the stored explanation says so");
        assertEquals(Verdict.ALLOW, credential(w.gate, PresentedKind.PIN, "246810", Readings.NONE).verdict(),
                "a PIN at the community gate");
    }

    @Test
    void offlineTheBuildingAndLeaseRulesStillHold() {
        databaseStops();
        GateDecision other = card(w.door2, "C-WANG");
        assertEquals(Verdict.DENY, other.verdict());
        assertTrue(codes(other).containsAll(List.of("OTHER_BUILDING", "OFFLINE_DECISION")), codes(other).toString());
        GateDecision ended = card(w.gate, "C-FORMER");
        assertEquals(Verdict.DENY, ended.verdict());
        assertTrue(codes(ended).containsAll(List.of("LEASE_ENDED", "OFFLINE_DECISION")), codes(ended).toString());
    }

    @Test
    void anUnknownCardIsDeniedOfflineAndWrongOnesAreThrottled() {
        databaseStops();
        GateDecision unknown = card(w.gate, "C-9999");
        assertEquals(Verdict.DENY, unknown.verdict());
        assertTrue(codes(unknown).containsAll(List.of("CREDENTIAL_UNKNOWN", "OFFLINE_DECISION")),
                codes(unknown).toString());
        assertEquals("JOURNALLED", unknown.recorded(), "a denied attempt is journalled too");
        card(w.gate, "C-9998");
        card(w.gate, "C-9997"); // the whitelist's throttle: three wrong ones at one device (its own rule, tested there)
        GateDecision locked = card(w.gate, "C-WANG");
        assertEquals(Verdict.DENY, locked.verdict());
        assertTrue(codes(locked).contains("TOO_MANY_ATTEMPTS"), codes(locked).toString());
    }

    @Test
    void withoutTheWhitelistsCopyACardCannotBeDecidedOffline() {
        card(w.door1, "C-NOBODY");
        w.storeDown = true;
        assertThrows(StoreUnavailableException.class, () -> card(w.door1, "C-WANG"));
    }

    @Test
    void onlineACardDecisionIsUnchanged() {
        w.whitelist.loadCopy();
        GateDecision d = card(w.door1, "C-WANG");
        assertEquals(Verdict.ALLOW, d.verdict());
        assertFalse(codes(d).contains("OFFLINE_DECISION"), codes(d).toString());
        assertEquals("STORED", d.recorded());
    }

    @Test
    void aFaceOfAResidentTheGateNeverSawIsDecidedFromTheWhitelistsCopyToo() {
        w.faces.accept("li", w.li, 0.8f);
        databaseStops();
        GateDecision d = gate.decideCapture(new org.gatehouse.gate.api.CaptureRequest(w.door2.id(), World.frame("li"),
                Readings.NONE, null));
        assertEquals(Verdict.ALLOW, d.verdict(), codes(d).toString());
        assertTrue(codes(d).containsAll(List.of("FACE_ACCEPTED", "OWN_BUILDING", "OFFLINE_DECISION")),
                codes(d).toString());
        assertEquals(Verdict.DENY, gate.decideCapture(new org.gatehouse.gate.api.CaptureRequest(w.door1.id(),
                World.frame("li"), Readings.NONE, null)).verdict(), "not her building");
    }

    // ------------------------------------------------------------------------------------------------ visitor pass

    @Test
    void aPassDeniedByAScreeningCheckAfterIdentityKeepsItsUse() {
        int[] uses = {2};
        w.passes.byCode.put("482913", new World.Pass("pass-1", Set.of("东门"), null,
                Instant.parse("2026-12-01T20:00:00Z"), uses));
        gate.addCheck(new GateDecisionsTest.Fever(new CheckSetting(CheckSetting.Mode.HARD, false)));

        GateDecision feverish = credential(w.gate, PresentedKind.PASS_CODE, "482913", new Readings(38.4, null, null));
        assertEquals(Verdict.DENY, feverish.verdict());
        assertTrue(codes(feverish).contains("PASS_VALID"), codes(feverish).toString());
        assertEquals(2, uses[0], "the denied passage spent no use");

        GateDecision ok = credential(w.gate, PresentedKind.PASS_CODE, "482913", new Readings(36.6, null, null));
        assertEquals(Verdict.ALLOW, ok.verdict());
        assertEquals(1, uses[0], "the passage that opened spent one");
        GateReason valid = ok.reasons().stream().filter(r -> r.code().equals("PASS_VALID")).findFirst().orElseThrow();
        assertEquals(1.0, valid.value(), "the uses left after this one");
        assertEquals(1, ok.reasons().stream().filter(r -> r.code().equals("PASS_VALID")).count());
    }

    @Test
    void aPassUsedUpBetweenTheCheckAndTheUseIsDenied() {
        int[] uses = {1};
        w.passes.byCode.put("482913", new World.Pass("pass-1", Set.of("东门"), null,
                Instant.parse("2026-12-01T20:00:00Z"), uses));
        // a check after identity that spends the last use elsewhere (another gate at the same moment)
        gate.addCheck(new org.gatehouse.gate.api.ScreeningCheck() {
            @Override
            public String name() {
                return "race";
            }

            @Override
            public CheckSetting setting(String communityId) {
                return new CheckSetting(CheckSetting.Mode.SOFT, false);
            }

            @Override
            public org.gatehouse.gate.api.ScreeningResult check(org.gatehouse.gate.api.ScreeningInput in) {
                uses[0] = 0;
                return org.gatehouse.gate.api.ScreeningResult.passed(name(), null, null);
            }
        });
        GateDecision d = credential(w.gate, PresentedKind.PASS_CODE, "482913", Readings.NONE);
        assertEquals(Verdict.DENY, d.verdict());
        assertTrue(codes(d).contains("PASS_NO_USES_LEFT"), codes(d).toString());
        assertFalse(d.door().opened());
    }
}

package org.gatehouse.gate.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.gatehouse.api.model.AlertType;
import org.gatehouse.api.model.CredentialKind;
import org.gatehouse.api.model.Device;
import org.gatehouse.api.model.Direction;
import org.gatehouse.api.model.PassageEvent;
import org.gatehouse.api.model.SubjectType;
import org.gatehouse.api.model.Verdict;
import org.gatehouse.api.service.NotFoundException;
import org.gatehouse.gate.api.CaptureRequest;
import org.gatehouse.gate.api.CheckSetting;
import org.gatehouse.gate.api.CredentialRequest;
import org.gatehouse.gate.api.DoorAdapter;
import org.gatehouse.gate.api.DoorOutcome;
import org.gatehouse.gate.api.GateDecision;
import org.gatehouse.gate.api.GateReason;
import org.gatehouse.gate.api.PresentedKind;
import org.gatehouse.gate.api.Readings;
import org.gatehouse.gate.api.ScreeningCheck;
import org.gatehouse.gate.api.ScreeningInput;
import org.gatehouse.gate.api.ScreeningResult;
import org.gatehouse.recognition.api.Candidate;
import org.gatehouse.recognition.api.FaceException;
import org.junit.jupiter.api.Test;

class GateDecisionsTest {
    private final World w = new World();
    private final GateDecisionsImpl gate = w.gate();

    private GateDecision capture(Device d, String frame) {
        return capture(d, frame, Readings.NONE, null);
    }

    private GateDecision capture(Device d, String frame, Readings readings, String requestId) {
        return gate.decideCapture(new CaptureRequest(d.id(), World.frame(frame), readings, requestId));
    }

    private GateDecision card(Device d, String value) {
        return credential(d, PresentedKind.CARD, value, null, null);
    }

    private GateDecision credential(Device d, PresentedKind kind, String value, String residentId, String requestId) {
        return gate.decideCredential(new CredentialRequest(d.id(), kind, value, residentId, Readings.NONE, requestId));
    }

    private static Set<String> codes(GateDecision d) {
        return d.reasons().stream().map(GateReason::code).collect(java.util.stream.Collectors.toSet());
    }

    private PassageEvent stored(GateDecision d) {
        PassageEvent p = w.recorder.stored.get(d.passageId());
        assertNotNull(p, "passage recorded");
        return p;
    }

    // ------------------------------------------------------------------------------------------------------ residents

    @Test
    void residentPassesOwnBuildingAndCommunityGateButNotAnotherBuilding() {
        w.faces.accept("wang", w.wang, 0.71f);
        GateDecision own = capture(w.door1, "wang");
        assertEquals(Verdict.ALLOW, own.verdict());
        assertTrue(codes(own).containsAll(Set.of("FACE_ACCEPTED", "LEASE_VALID", "OWN_BUILDING", "DOOR_OPENED")));
        assertTrue(own.door().opened());
        PassageEvent p = stored(own);
        assertEquals(SubjectType.RESIDENT, p.subjectType());
        assertEquals(w.wang.id(), p.subjectId());
        assertEquals(CredentialKind.FACE, p.credentialKind());
        assertEquals(Direction.IN, p.direction(), "a BOTH device records IN");
        assertEquals(0.71, p.decision().scores().get("face.score"), 1e-6);
        assertEquals("gate-1", own.policyVersion());

        assertEquals(Verdict.ALLOW, capture(w.gate, "wang").verdict());

        GateDecision other = capture(w.door2, "wang");
        assertEquals(Verdict.DENY, other.verdict());
        assertTrue(codes(other).contains("OTHER_BUILDING"));
        assertEquals(DoorOutcome.State.NOT_SENT, other.door().state());
        assertEquals(Verdict.DENY, stored(other).decision().verdict());
    }

    @Test
    void cardOpensWithoutFaceOnlyAtOwnBuilding() {
        GateDecision d = card(w.door2, "C-LI");
        assertEquals(Verdict.ALLOW, d.verdict());
        assertNull(d.faceBand());
        assertEquals(CredentialKind.CARD, stored(d).credentialKind());
        assertEquals(0, w.faces.calls, "no face was used");
        assertEquals(Verdict.DENY, card(w.door1, "C-LI").verdict());
        assertEquals(Verdict.ALLOW, credential(w.door1, PresentedKind.PIN, "246810", null, null).verdict());
        assertEquals(CredentialKind.PIN, stored(credential(w.gate, PresentedKind.PIN, "246810", null, null))
                .credentialKind());
    }

    @Test
    void outsideTheLeaseWindowDenied() {
        w.faces.accept("former", w.former, 0.8f);
        GateDecision face = capture(w.gate, "former");
        assertEquals(Verdict.DENY, face.verdict());
        assertTrue(codes(face).contains("LEASE_ENDED"));
        assertEquals(Verdict.DENY, card(w.gate, "C-FORMER").verdict());
        // Wang's lease ends 2027-06-30: a day after it she is refused
        w.clock.now = Instant.parse("2027-07-01T00:00:00Z");
        w.faces.accept("wang", w.wang, 0.71f);
        GateDecision late = capture(w.door1, "wang");
        assertEquals(Verdict.DENY, late.verdict());
        assertTrue(codes(late).contains("LEASE_ENDED"));
    }

    @Test
    void strangerDeniedAndRecordedAsStranger() {
        w.faces.reject("stranger", 0.21f);
        GateDecision d = capture(w.gate, "stranger");
        assertEquals(Verdict.DENY, d.verdict());
        assertEquals("REJECT", d.faceBand());
        assertEquals(SubjectType.STRANGER, stored(d).subjectType());
        assertNull(stored(d).subjectId());
        assertTrue(codes(d).contains("STRANGER"));
    }

    @Test
    void aFaceOfSomebodyNotRegisteredIsDenied() {
        // a template left in the gallery of someone removed: accepted by the face, refused by the whitelist
        w.households.residents.remove(w.li.id());
        w.faces.accept("li", w.li, 0.9f);
        GateDecision d = capture(w.gate, "li");
        assertEquals(Verdict.DENY, d.verdict());
        assertTrue(codes(d).contains("NOT_REGISTERED"));
    }

    // ------------------------------------------------------------------------------------------------- second factor

    @Test
    void verifyBandAsksForSecondFactorAndTheOwnCardCompletesIt() {
        w.faces.verify("wang-dim", 0.47f, new Candidate(w.wang.id(), 0.47f), new Candidate(w.li.id(), 0.41f));
        GateDecision first = capture(w.door1, "wang-dim");
        assertTrue(first.secondFactorRequested());
        assertEquals(Verdict.DENY, first.verdict());
        assertEquals(DoorOutcome.State.NOT_SENT, first.door().state());
        assertNull(first.passageId());
        assertTrue(w.recorder.stored.isEmpty(), "nothing recorded until the second factor");

        GateDecision second = card(w.door1, "C-WANG");
        assertEquals(Verdict.ALLOW, second.verdict());
        assertTrue(codes(second).contains("FACE_VERIFIED"));
        assertEquals("VERIFY", second.faceBand());
        assertEquals(CredentialKind.FACE, stored(second).credentialKind());
        assertEquals(w.wang.id(), stored(second).subjectId());
    }

    @Test
    void verifyBandCardOfSomeoneElseDoesNotComplete() {
        // Li's face resembles Wang a little; Li presents Wang's card (found, stolen): the face is not Wang's
        w.faces.verify("li-dim", 0.45f, new Candidate(w.li.id(), 0.45f), new Candidate(w.wang.id(), 0.33f));
        assertTrue(capture(w.gate, "li-dim").secondFactorRequested());
        GateDecision d = card(w.gate, "C-WANG");
        assertEquals(Verdict.DENY, d.verdict());
        assertTrue(codes(d).contains("FACE_MISMATCH"));
        assertEquals(SubjectType.UNKNOWN, stored(d).subjectType());

        // someone not among the candidates at all
        w.faces.verify("x-dim", 0.43f, new Candidate(w.li.id(), 0.43f));
        capture(w.gate, "x-dim");
        assertEquals(Verdict.DENY, card(w.gate, "C-WANG").verdict());
    }

    @Test
    void secondFactorIsUsedOnceAndOnlyAtTheSameDeviceWithinTheWindow() {
        w.faces.verify("wang-dim", 0.47f, new Candidate(w.wang.id(), 0.47f));
        capture(w.door1, "wang-dim");
        // Li's card at the same door right after: the pending face (Wang's) is checked against Li → denied
        assertEquals(Verdict.DENY, card(w.door1, "C-LI").verdict());
        // the pending face was used up: Wang's card now opens on its own (card-only access)
        GateDecision alone = card(w.door1, "C-WANG");
        assertEquals(Verdict.ALLOW, alone.verdict());
        assertFalse(codes(alone).contains("FACE_VERIFIED"));

        // a card at another device does not complete the face
        capture(w.door1, "wang-dim");
        GateDecision elsewhere = card(w.gate, "C-LI");
        assertEquals(Verdict.ALLOW, elsewhere.verdict());
        assertFalse(codes(elsewhere).contains("FACE_VERIFIED"));

        // after the window the face is forgotten
        capture(w.gate, "wang-dim");
        w.clock.advance(Duration.ofSeconds(31));
        GateDecision late = card(w.gate, "C-LI");
        assertEquals(Verdict.ALLOW, late.verdict());
        assertFalse(codes(late).contains("FACE_MISMATCH"));
    }

    @Test
    void aWrongCardAfterTheFaceDoesNotOpen() {
        w.faces.verify("wang-dim", 0.47f, new Candidate(w.wang.id(), 0.47f));
        capture(w.door1, "wang-dim");
        GateDecision d = card(w.door1, "C-NOBODY");
        assertEquals(Verdict.DENY, d.verdict());
        assertTrue(codes(d).contains("CREDENTIAL_UNKNOWN"));
    }

    // ----------------------------------------------------------------------------------------------------- credentials

    @Test
    void unknownCardDeniedAndThrottledPerDevice() {
        for (int i = 0; i < 3; i++) {
            assertEquals(Verdict.DENY, card(w.gate, "guess-" + i).verdict());
        }
        GateDecision locked = card(w.gate, "C-WANG");
        assertEquals(Verdict.DENY, locked.verdict(), "even the right card while the terminal is locked");
        assertTrue(codes(locked).contains("TOO_MANY_ATTEMPTS"));
        assertEquals(Verdict.ALLOW, card(w.door1, "C-WANG").verdict(), "other terminals are not locked");
        assertTrue(w.whitelist.devicesAsked.stream().allMatch(id -> id != null), "the device id goes to the whitelist");
    }

    @Test
    void appCodeNeedsItsResidentAndACredentialNamingSomeoneElseIsRefused() {
        w.whitelist.appCodes.put(w.li.id(), "123456");
        assertThrows(IllegalArgumentException.class,
                () -> credential(w.gate, PresentedKind.APP_CODE, "123456", null, null));
        GateDecision ok = credential(w.gate, PresentedKind.APP_CODE, "123456", w.li.id(), null);
        assertEquals(Verdict.ALLOW, ok.verdict());
        assertEquals(CredentialKind.APP_TOKEN, stored(ok).credentialKind());
        assertEquals(Verdict.DENY, credential(w.gate, PresentedKind.APP_CODE, "123456", w.wang.id(), null).verdict());
        GateDecision mismatch = credential(w.gate, PresentedKind.CARD, "C-WANG", w.li.id(), null);
        assertEquals(Verdict.DENY, mismatch.verdict());
        assertTrue(codes(mismatch).contains("CREDENTIAL_MISMATCH"));
    }

    // -------------------------------------------------------------------------------------------------------- visitors

    @Test
    void visitorPassOpensItsGateOnlyWhileValid() {
        w.passes.byCode.put("482913", new World.Pass("pass-1", Set.of("东门"), null,
                Instant.parse("2026-12-01T20:00:00Z"), new int[] {3}));
        GateDecision ok = credential(w.gate, PresentedKind.PASS_CODE, "482913", null, null);
        assertEquals(Verdict.ALLOW, ok.verdict());
        PassageEvent p = stored(ok);
        assertEquals(SubjectType.VISITOR, p.subjectType());
        assertEquals("pass-1", p.subjectId());
        assertNull(p.credentialKind());

        GateDecision wrongGate = credential(w.door2, PresentedKind.PASS_CODE, "482913", null, null);
        assertEquals(Verdict.DENY, wrongGate.verdict());
        assertTrue(codes(wrongGate).contains("PASS_WRONG_GATE"));

        w.clock.now = Instant.parse("2026-12-01T20:00:00Z");
        GateDecision expired = credential(w.gate, PresentedKind.PASS_CODE, "482913", null, null);
        assertEquals(Verdict.DENY, expired.verdict());
        assertTrue(codes(expired).contains("PASS_EXPIRED"));

        GateDecision unknown = credential(w.gate, PresentedKind.PASS_CODE, "000000", null, null);
        assertEquals(Verdict.DENY, unknown.verdict());
        assertEquals(SubjectType.UNKNOWN, stored(unknown).subjectType());
    }

    @Test
    void aPassCodeDoesNotCompleteAFaceWaitingForASecondFactor() {
        w.passes.byCode.put("482913", new World.Pass("pass-1", Set.of("东门"), null,
                Instant.parse("2026-12-01T20:00:00Z"), new int[] {3}));
        w.faces.verify("wang-dim", 0.47f, new Candidate(w.wang.id(), 0.47f));
        capture(w.gate, "wang-dim");
        GateDecision pass = credential(w.gate, PresentedKind.PASS_CODE, "482913", null, null);
        assertEquals(SubjectType.VISITOR, pass.subjectType());
        assertEquals(Verdict.ALLOW, card(w.gate, "C-WANG").verdict(), "the face still waits for Wang's card");
        assertTrue(codes(w.recorder.stored.values().stream().filter(e -> e.subjectId() != null
                && e.subjectId().equals(w.wang.id())).findFirst().map(e -> toDecision(e)).orElseThrow())
                .contains("FACE_VERIFIED"));
    }

    private static GateDecision toDecision(PassageEvent e) {
        return new GateDecision(e.id(), e.decision().verdict(), null, false, e.subjectType(), e.subjectId(),
                DecisionCodec.decode(e.decision()), "", null, "", e.occurredAt());
    }

    // ---------------------------------------------------------------------------------------------- device and replay

    @Test
    void anUnknownDeviceIsRefused() {
        assertThrows(NotFoundException.class, () -> gate.decideCredential(new CredentialRequest("dev-nope",
                PresentedKind.CARD, "C-WANG", null, Readings.NONE, null)));
        assertTrue(w.recorder.stored.isEmpty());
    }

    @Test
    void replayedRequestIdGivesTheSameAnswerAndOnePassageAndOneDoorCommand() {
        AtomicInteger opens = new AtomicInteger();
        GateDecisionsImpl g = w.gate(Map.of("defaultDoorAdapter", "counting"));
        g.addAdapter(new DoorAdapter() {
            @Override
            public String kind() {
                return "counting";
            }

            @Override
            public DoorOutcome open(Device device, String passageId) {
                opens.incrementAndGet();
                return DoorOutcome.opened("counting");
            }
        });
        CredentialRequest req = new CredentialRequest(w.gate.id(), PresentedKind.CARD, "C-WANG", null, Readings.NONE,
                "req-1");
        GateDecision first = g.decideCredential(req);
        GateDecision again = g.decideCredential(req);
        assertEquals(first, again);
        assertEquals(1, w.recorder.stored.size());
        assertEquals(1, opens.get());
        // a replay with another body gets the first answer, not a new decision
        GateDecision other = g.decideCredential(new CredentialRequest(w.gate.id(), PresentedKind.CARD, "C-LI", null,
                Readings.NONE, "req-1"));
        assertEquals(first.passageId(), other.passageId());
        assertEquals(w.wang.id(), other.subjectId());
        // the same request id from another device is another request
        GateDecision elsewhere = g.decideCredential(new CredentialRequest(w.door1.id(), PresentedKind.CARD, "C-WANG",
                null, Readings.NONE, "req-1"));
        assertFalse(elsewhere.passageId().equals(first.passageId()));
        assertEquals(2, w.recorder.stored.size());
    }

    @Test
    void concurrentReplaysAreDecidedOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<GateDecision>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < 16; i++) {
                answers.add(pool.submit(() -> card(w.gate, "C-WANG", "req-c")));
            }
            String id = answers.get(0).get().passageId();
            for (Future<GateDecision> f : answers) {
                assertEquals(id, f.get().passageId());
            }
            assertEquals(1, w.recorder.stored.size());
        } finally {
            pool.shutdownNow();
        }
    }

    private GateDecision card(Device d, String value, String requestId) {
        return credential(d, PresentedKind.CARD, value, null, requestId);
    }

    @Test
    void passageIdOfARequestIdSurvivesARestart() {
        GateDecision first = card(w.gate, "C-WANG", "req-9");
        GateDecisionsImpl restarted = w.gate();
        GateDecision after = restarted.decideCredential(new CredentialRequest(w.gate.id(), PresentedKind.CARD,
                "C-WANG", null, Readings.NONE, "req-9"));
        assertEquals(first.passageId(), after.passageId());
        assertEquals("DUPLICATE", after.recorded());
        assertEquals(1, w.recorder.stored.size());
    }

    @Test
    void anUnusableFrameIsAClearFailureAndARetryIsDecidedAnew() {
        w.faces.fail("two", FaceException.Code.MULTIPLE_FACES);
        FaceException e = assertThrows(FaceException.class, () -> capture(w.gate, "two", Readings.NONE, "r-2"));
        assertEquals(FaceException.Code.MULTIPLE_FACES, e.code());
        assertTrue(w.recorder.stored.isEmpty());
        w.faces.accept("two", w.wang, 0.7f);
        assertEquals(Verdict.ALLOW, capture(w.gate, "two", Readings.NONE, "r-2").verdict());
    }

    // ------------------------------------------------------------------------------------------------------- screening

    /** Temperature against 37.3 °C, in the mode and place the test sets. */
    static final class Fever implements ScreeningCheck {
        volatile CheckSetting setting;
        volatile ScreeningInput seen;

        Fever(CheckSetting setting) {
            this.setting = setting;
        }

        @Override
        public String name() {
            return "temperature";
        }

        @Override
        public CheckSetting setting(String communityId) {
            return setting;
        }

        @Override
        public ScreeningResult check(ScreeningInput in) {
            seen = in;
            Double t = in.readings().temperatureCelsius();
            if (t == null) {
                return ScreeningResult.notMeasured(name());
            }
            return t <= 37.3 ? ScreeningResult.passed(name(), t, 37.3) : ScreeningResult.failed(name(), "FEVER", t, 37.3);
        }
    }

    @Test
    void hardScreeningFailureDeniesAndRaisesAnAlert() {
        gate.addCheck(new Fever(new CheckSetting(CheckSetting.Mode.HARD, false)));
        w.faces.accept("wang", w.wang, 0.71f);
        GateDecision d = capture(w.door1, "wang", new Readings(38.4, null, null), null);
        assertEquals(Verdict.DENY, d.verdict());
        assertTrue(codes(d).contains("SCREENING_FAILED"));
        assertEquals(DoorOutcome.State.NOT_SENT, d.door().state());
        assertEquals(38.4, stored(d).decision().scores().get("screening.temperature"), 1e-9);
        assertEquals(1, w.alerts.raised.size());
        assertEquals(AlertType.SCREENING_FAILURE, w.alerts.raised.get(0).type());
        assertEquals(d.passageId(), w.alerts.raised.get(0).subjectId());
    }

    @Test
    void softScreeningFailureAllowsAndFlags() {
        gate.addCheck(new Fever(new CheckSetting(CheckSetting.Mode.SOFT, false)));
        w.faces.accept("wang", w.wang, 0.71f);
        GateDecision d = capture(w.door1, "wang", new Readings(38.4, null, null), null);
        assertEquals(Verdict.ALLOW, d.verdict());
        assertTrue(codes(d).contains("SCREENING_FLAGGED"));
        assertEquals(1, w.alerts.raised.size());
    }

    @Test
    void aHardRuleCannotBeDodgedByNotMeasuring() {
        gate.addCheck(new Fever(new CheckSetting(CheckSetting.Mode.HARD, false)));
        GateDecision d = card(w.gate, "C-WANG");
        assertEquals(Verdict.DENY, d.verdict());
        assertTrue(codes(d).contains("SCREENING_NOT_MEASURED"));
    }

    @Test
    void passingScreeningIsRecordedAndAnOffCheckDoesNotRun() {
        Fever fever = new Fever(new CheckSetting(CheckSetting.Mode.HARD, false));
        gate.addCheck(fever);
        GateDecision d = credential(w.gate, PresentedKind.CARD, "C-WANG", null, null);
        assertEquals(Verdict.DENY, d.verdict());
        GateDecision ok = gate.decideCredential(new CredentialRequest(w.gate.id(), PresentedKind.CARD, "C-WANG", null,
                new Readings(36.6, null, null), null));
        assertEquals(Verdict.ALLOW, ok.verdict());
        assertTrue(codes(ok).contains("SCREENING_PASSED"));
        assertEquals(w.wang.id(), fever.seen.subjectId(), "after identity the check sees the subject");
        fever.seen = null;
        fever.setting = CheckSetting.OFF;
        assertEquals(Verdict.ALLOW, card(w.gate, "C-WANG").verdict());
        assertNull(fever.seen);
    }

    @Test
    void aHardCheckBeforeIdentityDeniesWithoutSearchingTheGallery() {
        Fever fever = new Fever(new CheckSetting(CheckSetting.Mode.HARD, true));
        gate.addCheck(fever);
        w.faces.accept("wang", w.wang, 0.71f);
        GateDecision d = capture(w.door1, "wang", new Readings(39.0, null, null), null);
        assertEquals(Verdict.DENY, d.verdict());
        assertEquals(0, w.faces.calls);
        assertNull(fever.seen.subjectId());
        assertEquals(SubjectType.UNKNOWN, stored(d).subjectType());
    }

    @Test
    void aThrowingCheckCountsAsNotMeasured() {
        gate.addCheck(new ScreeningCheck() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public CheckSetting setting(String communityId) {
                return new CheckSetting(CheckSetting.Mode.SOFT, false);
            }

            @Override
            public ScreeningResult check(ScreeningInput in) {
                throw new IllegalStateException("sensor");
            }
        });
        GateDecision d = card(w.gate, "C-WANG");
        assertEquals(Verdict.ALLOW, d.verdict());
        assertTrue(codes(d).contains("SCREENING_NOT_MEASURED"));
    }

    // -------------------------------------------------------------------------------------------------- door and store

    @Test
    void databaseDownThePassageIsJournalledAndTheDecisionStillGiven() {
        w.recorder.databaseDown = true;
        GateDecision d = card(w.door1, "C-WANG");
        assertEquals(Verdict.ALLOW, d.verdict());
        assertEquals("JOURNALLED", d.recorded());
        assertEquals(1, w.recorder.journal.size());
        assertEquals(d.passageId(), w.recorder.journal.get(0).id());
    }

    @Test
    void databaseDownResidentsSeenBeforeStillPassByFaceAndTheRulesStillHold() {
        w.faces.accept("wang", w.wang, 0.71f);
        w.faces.accept("li", w.li, 0.8f);
        w.faces.accept("former", w.former, 0.8f);
        assertEquals(Verdict.ALLOW, capture(w.door1, "wang").verdict());
        assertEquals(Verdict.DENY, capture(w.gate, "former").verdict());
        assertEquals(Verdict.DENY, capture(w.door2, "wang").verdict());
        w.storeDown = true;
        w.recorder.databaseDown = true;
        GateDecision d = capture(w.door1, "wang");
        assertEquals(Verdict.ALLOW, d.verdict());
        assertTrue(codes(d).contains("OFFLINE_DECISION"));
        assertEquals("JOURNALLED", d.recorded());
        assertEquals(Verdict.DENY, capture(w.door2, "wang").verdict(), "still only her own building");
        assertEquals(Verdict.DENY, capture(w.gate, "former").verdict(), "an ended lease stays ended");
        assertThrows(org.gatehouse.api.service.StoreUnavailableException.class, () -> capture(w.gate, "li"),
                "someone never seen cannot be decided without the store");
        // the lease of a remembered resident still ends on time
        w.clock.now = Instant.parse("2027-07-01T00:00:00Z");
        assertEquals(Verdict.DENY, capture(w.door1, "wang").verdict());
    }

    @Test
    void aRemovedResidentIsForgottenAndNotLetInWhileTheDatabaseIsDown() {
        w.faces.accept("wang", w.wang, 0.71f);
        assertEquals(Verdict.ALLOW, capture(w.door1, "wang").verdict());
        w.households.residents.remove(w.wang.id());
        assertEquals(Verdict.DENY, capture(w.door1, "wang").verdict());
        w.storeDown = true;
        assertThrows(org.gatehouse.api.service.StoreUnavailableException.class, () -> capture(w.door1, "wang"));
    }

    @Test
    void aDoorThatFailsIsRecordedAndAMissingAdapterNeverCountsAsOpened() {
        GateDecisionsImpl g = w.gate(Map.of("doorAdapters", new String[] {w.door1.id() + "=isapi"}));
        GateDecision d = g.decideCredential(new CredentialRequest(w.door1.id(), PresentedKind.CARD, "C-WANG", null,
                Readings.NONE, null));
        assertEquals(DoorOutcome.State.FAILED, d.door().state());
        assertEquals("NO_ADAPTER", d.door().reason());
        assertTrue(codes(d).contains("DOOR_FAILED"));
        g.addAdapter(new DoorAdapter() {
            @Override
            public String kind() {
                return "isapi";
            }

            @Override
            public DoorOutcome open(Device device, String passageId) {
                throw new IllegalStateException("terminal unreachable");
            }
        });
        GateDecision e = g.decideCredential(new CredentialRequest(w.door1.id(), PresentedKind.CARD, "C-WANG", null,
                Readings.NONE, null));
        assertEquals("ADAPTER_ERROR", e.door().reason());
    }

    @Test
    void everyDecisionCarriesThePolicyVersionAndStoresCodesAndNumbersOnly() {
        GateDecisionsImpl g = w.gate(Map.of("policyVersion", "2026-12-a"));
        w.faces.accept("wang", w.wang, 0.71f);
        GateDecision d = g.decideCapture(new CaptureRequest(w.door1.id(), World.frame("wang"), Readings.NONE, null));
        assertEquals("2026-12-a", d.policyVersion());
        PassageEvent p = stored(d);
        assertTrue(p.decision().reasons().stream().anyMatch(r -> r.code().equals("POLICY_VERSION")
                && r.detail().equals("version=2026-12-a")));
        assertTrue(p.decision().reasons().stream().noneMatch(r -> r.detail().contains("王芳")), "no names stored");
        assertEquals(d.reasons(), DecisionCodec.decode(p.decision()));
    }
}

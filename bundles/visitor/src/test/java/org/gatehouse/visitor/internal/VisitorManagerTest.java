package org.gatehouse.visitor.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.gatehouse.api.model.Device;
import org.gatehouse.api.model.VisitLogEntry;
import org.gatehouse.api.model.Visitor;
import org.gatehouse.api.model.VisitorPass;
import org.gatehouse.api.model.VisitorStatus;
import org.gatehouse.api.service.Scope;
import org.gatehouse.core.api.Caller;
import org.gatehouse.core.api.Roles;
import org.gatehouse.visitor.api.PassCheck;
import org.gatehouse.visitor.api.PassCheck.Reason;
import org.gatehouse.visitor.internal.VisitorManager.IssuedPass;
import org.gatehouse.visitor.internal.VisitorManager.PassInput;
import org.junit.jupiter.api.Test;

class VisitorManagerTest {
    final World w = new World();
    final Scope gateScope = Scope.of(w.sunshine.id());

    private Visitor approved() {
        return w.manager.register(w.office, w.input(w.wang, true));
    }

    private IssuedPass pass(Visitor v, Integer maxUses, Set<String> gates) {
        return w.manager.issuePass(w.office, v.id(), new PassInput(null, null, maxUses, gates));
    }

    private PassCheck check(String code, String gate, Instant at) {
        return w.manager.check(gateScope, w.sunshine.id(), code, gate, at);
    }

    @Test
    void aPassOpensInItsWindowAndNotAfter() {
        IssuedPass p = pass(approved(), 5, null);
        assertTrue(p.code().matches("\\d{6}"));
        assertEquals("GH1:" + p.pass().id() + ":" + p.code(), p.qr());
        assertEquals(Reason.NOT_YET_VALID, check(p.code(), "north", w.clock.now.minusSeconds(60)).reason());
        PassCheck ok = check(p.code(), "north", w.clock.now.plusSeconds(60));
        assertTrue(ok.opens());
        assertEquals(4, ok.usesLeft());
        assertTrue(check(p.qr(), "north", w.clock.now.plusSeconds(120)).opens(), "the QR payload opens too");
        PassCheck late = check(p.code(), "north", w.clock.now.plus(Duration.ofHours(9)));
        assertFalse(late.opens());
        assertEquals(Reason.EXPIRED, late.reason());
        List<VisitLogEntry> log = w.visitors.log;
        assertEquals(2, log.stream().filter(e -> e.event().equals("PASS_USED")).count());
        assertTrue(log.stream().anyMatch(e -> e.event().equals("PASS_REFUSED") && e.detail().equals("EXPIRED")
                && "north".equals(e.gate())));
    }

    @Test
    void maxUsesAndACodeReusedAfterItsLastUseIsRefused() {
        IssuedPass p = pass(approved(), 2, null);
        Instant at = w.clock.now.plusSeconds(10);
        assertTrue(check(p.code(), "north", at).opens());
        PassCheck second = check(p.code(), "north", at);
        assertTrue(second.opens());
        assertEquals(0, second.usesLeft());
        PassCheck third = check(p.code(), "north", at);
        assertFalse(third.opens());
        assertEquals(Reason.NO_USES_LEFT, third.reason());
        assertEquals(2, w.visitors.pass(Scope.all(), p.pass().id()).orElseThrow().uses(), "no use counted");
    }

    @Test
    void wrongGateUnknownCodeAndRevokedAreRefusedWithTheirReason() {
        Visitor v = approved();
        IssuedPass p = pass(v, 3, Set.of("north"));
        Instant at = w.clock.now.plusSeconds(10);
        assertEquals(Reason.WRONG_GATE, check(p.code(), "south", at).reason());
        assertTrue(check(p.code(), "north", at).opens());
        String other = p.code().equals("000000") ? "000001" : "000000";
        assertEquals(Reason.UNKNOWN_CODE, check(other, "north", at).reason());
        assertEquals(Reason.UNKNOWN_CODE, check("GH1:" + p.pass().id() + ":" + other, "north", at).reason(),
                "a QR payload with a wrong code");
        assertEquals(Reason.UNKNOWN_CODE, check("hello", "north", at).reason());
        w.manager.revokePass(w.office, v.id(), p.pass().id());
        assertEquals(Reason.REVOKED, check(p.qr(), "north", at).reason());
        assertFalse(check(p.code(), "north", at).opens());
    }

    // ---- rule: a resident's pass opens only the host's building and the community gates ------------------------

    @Test
    void aResidentsPassWithoutGatesOpensOnlyTheHostsBuildingAndTheCommunityGates() {
        Device b1Door = w.devices.add(w.sunshine.id(), w.b1.id(), "1号楼门");
        Device b2Door = w.devices.add(w.sunshine.id(), w.b2.id(), "2号楼门");
        // building 2's terminal carrying building 1's gate name must not help either
        Device b2SameName = w.devices.add(w.sunshine.id(), w.b2.id(), "1号楼门");
        Visitor v = w.manager.register(w.wangResident, w.input(w.wang, false));
        IssuedPass p = w.manager.issuePass(w.wangResident, v.id(), new PassInput(null, null, 10, null));
        assertEquals(w.b1.id(), p.pass().buildingId());
        assertEquals(w.b1.id(), w.visitors.pass(Scope.all(), p.pass().id()).orElseThrow().buildingId());
        Instant at = w.clock.now.plusSeconds(10);

        PassCheck other = w.manager.checkAtDevice(gateScope, b2Door.id(), p.code(), at);
        assertFalse(other.opens(), "another building's unit door");
        assertEquals(Reason.WRONG_GATE, other.reason());
        assertEquals(Reason.WRONG_GATE, w.manager.checkAtDevice(gateScope, b2SameName.id(), p.code(), at).reason());
        assertEquals(Reason.WRONG_GATE, check(p.code(), "2号楼门", at).reason(), "by name, too");
        assertEquals(Reason.WRONG_GATE, check(p.qr(), "2号楼门", at).reason(), "the QR payload, too");
        assertEquals(Reason.WRONG_GATE, check(p.code(), "no-such-gate", at).reason(), "an unknown gate name");
        assertEquals(0, w.visitors.pass(Scope.all(), p.pass().id()).orElseThrow().uses(), "no use counted");

        assertTrue(w.manager.checkAtDevice(gateScope, b1Door.id(), p.code(), at).opens(), "the host's building");
        assertTrue(w.manager.checkAtDevice(gateScope, w.north.id(), p.code(), at).opens(), "a community gate");
        assertTrue(check(p.code(), "1号楼门", at).opens(), "by name: a door of the host's building has it");
        assertTrue(check(p.code(), "north", at).opens());
        assertEquals(4, w.visitors.pass(Scope.all(), p.pass().id()).orElseThrow().uses());
        assertTrue(w.visitors.log.stream().anyMatch(e -> e.event().equals("PASS_REFUSED")
                && "2号楼门".equals(e.gate()) && e.detail().equals("WRONG_GATE")));
    }

    @Test
    void aResidentCannotNameAGateOfAnotherBuilding() {
        Device b1Door = w.devices.add(w.sunshine.id(), w.b1.id(), "1号楼门");
        Device b2Door = w.devices.add(w.sunshine.id(), w.b2.id(), "2号楼门");
        Visitor v = w.manager.register(w.wangResident, w.input(w.wang, false));
        Refusal r = assertThrows(Refusal.class, () -> w.manager.issuePass(w.wangResident, v.id(),
                new PassInput(null, null, 2, Set.of("1号楼门", "2号楼门"))));
        assertEquals(403, r.status());
        assertEquals("GATE_NOT_ALLOWED", r.code());
        assertTrue(r.message(Locale.SIMPLIFIED_CHINESE).contains("2号楼门"), r.message(Locale.SIMPLIFIED_CHINESE));
        assertTrue(w.audit.actions().contains("pass.issue.refused"));
        assertTrue(w.visitors.passesOf(Scope.all(), v.id()).isEmpty(), "nothing issued");

        IssuedPass own = w.manager.issuePass(w.wangResident, v.id(), new PassInput(null, null, 2, Set.of("1号楼门")));
        Instant at = w.clock.now.plusSeconds(10);
        assertEquals(Reason.WRONG_GATE, w.manager.checkAtDevice(gateScope, w.north.id(), own.code(), at).reason(),
                "narrowed to its own gates");
        assertEquals(Reason.WRONG_GATE, w.manager.checkAtDevice(gateScope, b2Door.id(), own.code(), at).reason());
        assertTrue(w.manager.checkAtDevice(gateScope, b1Door.id(), own.code(), at).opens());
    }

    @Test
    void anOfficePassKeepsEveryGateOrItsExplicitGates() {
        Device b1Door = w.devices.add(w.sunshine.id(), w.b1.id(), "1号楼门");
        Device b2Door = w.devices.add(w.sunshine.id(), w.b2.id(), "2号楼门");
        Instant at = w.clock.now.plusSeconds(10);
        IssuedPass every = pass(approved(), 5, null);
        assertNull(every.pass().buildingId());
        assertTrue(w.manager.checkAtDevice(gateScope, b2Door.id(), every.code(), at).opens());
        assertTrue(w.manager.checkAtDevice(gateScope, b1Door.id(), every.code(), at).opens());
        assertTrue(check(every.code(), "anything", at).opens(), "by name, as before");
        IssuedPass b2Only = pass(approved(), 5, Set.of("2号楼门"));
        assertTrue(w.manager.checkAtDevice(gateScope, b2Door.id(), b2Only.code(), at).opens(),
                "the office may name a gate of any building");
        assertEquals(Reason.WRONG_GATE, w.manager.checkAtDevice(gateScope, b1Door.id(), b2Only.code(), at).reason());
    }

    // ---- rule: a terminal checks passes at its own door ---------------------------------------------------------

    private Caller terminal(Device d) {
        return new Caller("device:" + d.id(), Set.of(Roles.DEVICE), Scope.of(d.communityId()));
    }

    @Test
    void aTerminalOfBuildingAClaimingBuildingBsDoorIsRefused() {
        Device aDoor = w.devices.add(w.sunshine.id(), w.b1.id(), "1号楼门");
        Device bDoor = w.devices.add(w.sunshine.id(), w.b2.id(), "2号楼门");
        // a resident of building 2 invites a visitor: the pass opens building 2's door and the community gates
        Visitor v = w.manager.register(w.liResident, w.input(w.li, false));
        IssuedPass p = w.manager.issuePass(w.liResident, v.id(), new PassInput(null, null, 5, null));
        w.clock.advance(Duration.ofSeconds(10));

        Refusal r = assertThrows(Refusal.class, () -> w.manager.check(terminal(aDoor), w.sunshine.id(), p.code(),
                "2号楼门"));
        assertEquals(403, r.status());
        assertEquals("GATE_MISMATCH", r.code());
        assertEquals("门禁终端只能核验本门禁（“1号楼门”）的通行码", r.message(Locale.SIMPLIFIED_CHINESE));
        assertTrue(w.audit.actions().contains("pass.check.refused"));
        assertTrue(w.visitors.log.stream().anyMatch(e -> e.event().equals("PASS_REFUSED")
                && e.actor().equals("device:" + aDoor.id()) && e.detail().startsWith("GATE_MISMATCH")));
        assertEquals(0, w.visitors.pass(Scope.all(), p.pass().id()).orElseThrow().uses(), "no use counted");

        // without a gate in the body the terminal's own door decides: building 1 is not the pass's building
        PassCheck own = w.manager.check(terminal(aDoor), w.sunshine.id(), p.code(), null);
        assertFalse(own.opens());
        assertEquals(Reason.WRONG_GATE, own.reason());
        assertEquals(Reason.WRONG_GATE, w.manager.check(terminal(aDoor), w.sunshine.id(), p.code(), "1号楼门").reason(),
                "naming its own gate is fine, and still its own door");
        // the compound gate claiming building 2's door is refused too
        assertThrows(Refusal.class, () -> w.manager.check(terminal(w.north), w.sunshine.id(), p.code(), "2号楼门"));
        assertEquals(0, w.visitors.pass(Scope.all(), p.pass().id()).orElseThrow().uses());

        assertTrue(w.manager.check(terminal(bDoor), w.sunshine.id(), p.code(), null).opens(), "its own building");
        assertTrue(w.manager.check(terminal(w.north), w.sunshine.id(), p.code(), "").opens(), "the community gate");
        // staff may still name the gate
        assertTrue(w.manager.check(w.office, w.sunshine.id(), p.code(), "2号楼门").opens());
        assertEquals(400, assertThrows(Refusal.class, () -> w.manager.check(w.office, w.sunshine.id(), p.code(), " "))
                .status(), "staff must name the gate");
    }

    @Test
    void aTerminalChecksOnlyInItsOwnCommunityAndAsItself() {
        Device aDoor = w.devices.add(w.sunshine.id(), w.b1.id(), "1号楼门");
        IssuedPass p = pass(approved(), 5, null);
        var river = w.communities.createCommunity("RIVER", "河畔小区", "");
        Device elsewhere = w.devices.add(river.id(), null, "north");
        assertThrows(org.gatehouse.api.service.OutOfScopeException.class,
                () -> w.manager.check(terminal(elsewhere), w.sunshine.id(), p.code(), null));
        Caller forged = new Caller("device:" + aDoor.id(), Set.of(Roles.DEVICE), Scope.of(river.id()));
        assertThrows(org.gatehouse.api.service.OutOfScopeException.class,
                () -> w.manager.check(forged, w.sunshine.id(), p.code(), null));
        Caller nameless = new Caller("someone", Set.of(Roles.DEVICE), gateScope);
        assertThrows(org.gatehouse.api.service.NotFoundException.class,
                () -> w.manager.check(nameless, w.sunshine.id(), p.code(), "1号楼门"));
        assertEquals(0, w.visitors.pass(Scope.all(), p.pass().id()).orElseThrow().uses());
    }

    // ---- rule: guessing codes is throttled and alerted ------------------------------------------------------------

    /** 6-digit codes that are none of {@code real}, in order. */
    private static java.util.Iterator<String> wrongCodes(Set<String> real) {
        return java.util.stream.IntStream.range(0, 1_000_000).mapToObj(i -> String.format("%06d", i))
                .filter(c -> !real.contains(c)).iterator();
    }

    @Test
    void aThousandGuessesFromOneTerminalAreLockedOutAfterFiveTheRightCodeTooAndAnAlertIsRaised() {
        Device aDoor = w.devices.add(w.sunshine.id(), w.b1.id(), "1号楼门");
        Device bDoor = w.devices.add(w.sunshine.id(), w.b2.id(), "2号楼门");
        IssuedPass p1 = pass(approved(), 20, null);
        IssuedPass p2 = pass(approved(), 20, null);
        IssuedPass p3 = pass(approved(), 20, null);
        var guesses = wrongCodes(Set.of(p1.code(), p2.code(), p3.code()));
        w.clock.advance(Duration.ofSeconds(10));
        Caller terminal = terminal(aDoor);

        int checked = 0;
        int locked = 0;
        for (int i = 0; i < 1000; i++) {
            try {
                PassCheck c = w.manager.check(terminal, w.sunshine.id(), guesses.next(), null);
                assertEquals(Reason.UNKNOWN_CODE, c.reason());
                checked++;
            } catch (Refusal r) {
                assertEquals(429, r.status());
                assertEquals("TOO_MANY_ATTEMPTS", r.code());
                locked++;
            }
        }
        assertEquals(5, checked, "five wrong codes are checked, then the terminal is locked");
        assertEquals(995, locked);
        Refusal right = assertThrows(Refusal.class, () -> w.manager.check(terminal, w.sunshine.id(), p1.code(), null));
        assertEquals("TOO_MANY_ATTEMPTS", right.code(), "the right code is refused while locked");
        assertEquals("通行码错误次数过多，已暂停核验，请 60 秒后再试", right.message(Locale.SIMPLIFIED_CHINESE));
        assertEquals("Too many wrong codes from this terminal or account: pass checks are locked; try again in 60 "
                + "seconds", right.message(Locale.ENGLISH));
        assertEquals(Reason.TOO_MANY_ATTEMPTS, w.manager.checkAtDevice(gateScope, aDoor.id(), p1.qr(), w.clock.now)
                .reason(), "the QR payload too, and through the Java API");
        assertEquals(0, w.visitors.pass(Scope.all(), p1.pass().id()).orElseThrow().uses(), "no use counted");

        // written down once, and alerted once
        assertEquals(1, w.visitors.events().stream().filter("CHECKS_LOCKED"::equals).count());
        VisitLogEntry lockLine = w.visitors.log.stream().filter(e -> e.event().equals("CHECKS_LOCKED")).findFirst()
                .orElseThrow();
        assertEquals("device:" + aDoor.id(), lockLine.actor());
        assertEquals("1号楼门", lockLine.gate());
        assertTrue(w.visitors.log.stream().anyMatch(e -> e.event().equals("PASS_REFUSED")
                && e.detail().equals("TOO_MANY_ATTEMPTS")));
        assertEquals(1, w.audit.actions().stream().filter("pass.check.locked"::equals).count());
        assertEquals(1, w.alerts.raised.size());
        org.gatehouse.api.model.Alert alert = w.alerts.raised.get(0);
        assertEquals(org.gatehouse.api.model.AlertType.CODE_GUESSING, alert.type());
        assertEquals(w.sunshine.id(), alert.communityId());
        assertEquals(aDoor.id(), alert.subjectId());
        assertEquals(org.gatehouse.api.model.AlertSeverity.WARNING, alert.severity());
        assertTrue(alert.message().contains("1号楼门"), alert.message());

        // another terminal is not locked
        assertTrue(w.manager.check(terminal(bDoor), w.sunshine.id(), p1.code(), null).opens());
        // the lockout ends; the next one in a row is twice as long
        w.clock.advance(Duration.ofSeconds(61));
        assertTrue(w.manager.check(terminal, w.sunshine.id(), p1.code(), null).opens(), "unlocked after 60 s");
        for (int i = 0; i < 5; i++) {
            assertEquals(Reason.UNKNOWN_CODE, w.manager.check(terminal, w.sunshine.id(), guesses.next(), null).reason());
        }
        w.clock.advance(Duration.ofSeconds(61));
        assertEquals("TOO_MANY_ATTEMPTS", assertThrows(Refusal.class,
                () -> w.manager.check(terminal, w.sunshine.id(), p1.code(), null)).code(), "still locked after 61 s");
        w.clock.advance(Duration.ofSeconds(60));
        assertTrue(w.manager.check(terminal, w.sunshine.id(), p1.code(), null).opens(), "unlocked after 120 s");
        assertEquals(2, w.alerts.raised.size());
    }

    @Test
    void concurrentGuessesFromOneTerminalGetNoMoreThanFiveChecked() throws Exception {
        Device aDoor = w.devices.add(w.sunshine.id(), w.b1.id(), "1号楼门");
        IssuedPass p = pass(approved(), 20, null);
        List<String> codes = new java.util.ArrayList<>();
        wrongCodes(Set.of(p.code())).forEachRemaining(c -> {
            if (codes.size() < 200) {
                codes.add(c);
            }
        });
        w.clock.advance(Duration.ofSeconds(10));
        Caller terminal = terminal(aDoor);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<String>> results = new java.util.ArrayList<>();
            for (String code : codes) {
                results.add(pool.submit(() -> {
                    start.await();
                    try {
                        return w.manager.check(terminal, w.sunshine.id(), code, null).reason().name();
                    } catch (Refusal r) {
                        return r.code();
                    }
                }));
            }
            start.countDown();
            int checked = 0;
            for (var r : results) {
                String answer = r.get();
                if (answer.equals("UNKNOWN_CODE")) {
                    checked++;
                } else {
                    assertEquals("TOO_MANY_ATTEMPTS", answer);
                }
            }
            assertTrue(checked <= 5, checked + " codes were looked at");
            assertTrue(checked >= 1);
        } finally {
            pool.shutdownNow();
        }
        assertEquals("TOO_MANY_ATTEMPTS", assertThrows(Refusal.class,
                () -> w.manager.check(terminal, w.sunshine.id(), p.code(), null)).code());
    }

    @Test
    void guessesByOneStaffCallerLockThatCallerAndGuessesByGateNameLockThatGate() {
        IssuedPass p = pass(approved(), 20, null);
        var guesses = wrongCodes(Set.of(p.code()));
        w.clock.advance(Duration.ofSeconds(10));
        for (int i = 0; i < 5; i++) {
            assertFalse(w.manager.check(w.office, w.sunshine.id(), guesses.next(), "north").opens());
        }
        Refusal r = assertThrows(Refusal.class, () -> w.manager.check(w.office, w.sunshine.id(), p.code(), "north"));
        assertEquals("TOO_MANY_ATTEMPTS", r.code());
        Caller otherClerk = new Caller("office-2", Set.of(Roles.COMMUNITY_OFFICE), gateScope);
        assertTrue(w.manager.check(otherClerk, w.sunshine.id(), p.code(), "north").opens(), "per caller");
        assertEquals("office", w.alerts.raised.get(0).subjectId(), "the alert names the caller");
        assertTrue(w.visitors.log.stream().anyMatch(e -> e.event().equals("CHECKS_LOCKED") && e.actor().equals("office")));

        // the Java API by gate name (a gate module, the shell): locked per gate name
        for (int i = 0; i < 5; i++) {
            assertEquals(Reason.UNKNOWN_CODE, check(guesses.next(), "south", w.clock.now).reason());
        }
        assertEquals(Reason.TOO_MANY_ATTEMPTS, check(p.code(), "south", w.clock.now).reason());
        assertTrue(check(p.code(), "north", w.clock.now).opens(), "another gate name is not locked");
        assertEquals(2, w.alerts.raised.size());
        assertEquals("south", w.alerts.raised.get(1).subjectId());
    }

    @Test
    void theThrottleFollowsTheConfig() {
        Fakes.Config strict = new Fakes.Config() {
            @Override
            public int checkMaxFailures() {
                return 2;
            }

            @Override
            public int checkLockoutSeconds() {
                return 300;
            }

            @Override
            public int checkMaxLockoutMinutes() {
                return 0; // below the first lockout: raised to it
            }
        };
        var s = VisitorManager.throttleSettings(strict);
        assertEquals(2, s.maxFailures());
        assertEquals(Duration.ofMinutes(15), s.window());
        assertEquals(Duration.ofMinutes(5), s.firstLockout());
        assertEquals(Duration.ofMinutes(5), s.maxLockout());
        var defaults = VisitorManager.throttleSettings(new Fakes.Config());
        assertEquals(5, defaults.maxFailures());
        assertEquals(Duration.ofSeconds(60), defaults.firstLockout());
        assertEquals(Duration.ofMinutes(60), defaults.maxLockout());
    }

    @Test
    void theCodeAndTheIdCardAreNeverStoredInClear() {
        Visitor v = approved();
        IssuedPass p = pass(v, 2, null);
        VisitorPass stored = w.visitors.pass(Scope.all(), p.pass().id()).orElseThrow();
        assertTrue(SecretKeys.HASH.matcher(stored.code()).matches(), stored.code());
        assertFalse(stored.code().contains(p.code()));
        assertTrue(SecretKeys.HASH.matcher(v.idCardHash()).matches(), v.idCardHash());
        for (VisitLogEntry e : w.visitors.log) {
            assertFalse(e.detail().contains(p.code()), e.toString());
        }
        assertEquals(w.keys.hash("id-card", "11010519491231002X"), v.idCardHash(), "normalised before hashing");
    }

    @Test
    void aResidentRegistersOnlyForTheirHouseholdAndThatIsPreApproved() {
        Visitor v = w.manager.register(w.wangResident, w.input(w.wang, false));
        assertEquals(VisitorStatus.APPROVED, v.status());
        assertEquals("app", v.registeredVia());
        Refusal r = assertThrows(Refusal.class, () -> w.manager.register(w.wangResident, w.input(w.li, false)));
        assertEquals(403, r.status());
        assertTrue(w.audit.actions().contains("visitor.register.refused"));
        assertEquals("住户只能为本户登记访客", r.message(Locale.SIMPLIFIED_CHINESE));
    }

    @Test
    void theHostApprovesAWaitingVisitorAndAnotherHouseholdCannot() {
        Caller gate = new Caller("device:x", Set.of(Roles.DEVICE), gateScope);
        Visitor v = w.manager.register(gate, w.input(w.wang, true));
        assertEquals(VisitorStatus.WAITING_APPROVAL, v.status(), "only the office may pre-approve");
        Refusal r = assertThrows(Refusal.class, () -> w.manager.decide(w.liResident, v.id(), true));
        assertEquals(403, r.status());
        assertTrue(w.audit.actions().contains("visitor.approve.refused"));
        assertEquals(VisitorStatus.WAITING_APPROVAL, w.visitors.visitor(Scope.all(), v.id()).orElseThrow().status());
        assertThrows(Refusal.class, () -> pass(v, 1, null), "no pass before approval");
        Visitor ok = w.manager.decide(w.wangResident, v.id(), true);
        assertEquals(VisitorStatus.APPROVED, ok.status());
        assertEquals("wang", ok.decidedBy());
        assertEquals(409, assertThrows(Refusal.class, () -> w.manager.decide(w.wangResident, v.id(), false)).status());
        assertTrue(w.visitors.events().containsAll(List.of("REGISTERED", "APPROVED")));
    }

    @Test
    void aRejectedVisitorsFaceIsForgotten() {
        Caller gate = new Caller("device:x", Set.of(Roles.DEVICE), gateScope);
        Visitor v = w.manager.register(gate, w.input(w.wang, false));
        assertThrows(Refusal.class, () -> w.manager.enrollFace(gate, v.id(), new byte[] {1}, false));
        assertNotNull(w.manager.enrollFace(gate, v.id(), new byte[] {1}, true));
        w.manager.decide(w.wangResident, v.id(), false);
        assertTrue(w.faces.forgotten.contains(v.id()));
        assertTrue(w.visitors.events().contains("FACE_FORGOTTEN"));
    }

    @Test
    void theSweepClosesEndedVisitsAndForgetsTheirFaces() {
        Visitor ended = approved();
        w.manager.enrollFace(w.office, ended.id(), new byte[] {1}, true);
        pass(ended, 1, null);
        Visitor usedUp = approved();
        IssuedPass p = pass(usedUp, 1, null);
        assertTrue(check(p.code(), "north", w.clock.now.plusSeconds(1)).opens());
        Visitor running = approved();
        pass(running, 2, null);

        VisitorManager.SweepReport r = w.manager.sweep(w.clock.now.plusSeconds(2));
        assertEquals(1, r.closed(), "the used-up pass ends its visit");
        assertEquals(VisitorStatus.CLOSED, w.visitors.visitor(Scope.all(), usedUp.id()).orElseThrow().status());

        r = w.manager.sweep(w.clock.now.plus(Duration.ofHours(9)));
        assertEquals(2, r.closed());
        assertEquals(1, r.facesForgotten());
        assertTrue(w.faces.forgotten.contains(ended.id()));
        assertEquals(VisitorStatus.CLOSED, w.visitors.visitor(Scope.all(), running.id()).orElseThrow().status());
        assertTrue(w.visitors.passesOf(Scope.all(), running.id()).stream().allMatch(x -> x.revokedAt() != null));
    }

    @Test
    void oneClickOpenOnlyForTheOwnBuildingOrACompoundGateAndAlwaysLogged() {
        Device b1Door = w.devices.add(w.sunshine.id(), w.b1.id(), "1号楼门");
        Device b2Door = w.devices.add(w.sunshine.id(), w.b2.id(), "2号楼门");
        Device compound = w.devices.add(w.sunshine.id(), null, "north");
        VisitorManager.OpenCommand cmd = w.manager.remoteOpen(w.wangResident, b1Door.id(), null);
        assertEquals("OPEN", cmd.command());
        assertEquals(b1Door.id(), cmd.deviceId());
        assertEquals("OPEN", w.manager.remoteOpen(w.wangResident, compound.id(), null).command());
        Refusal r = assertThrows(Refusal.class, () -> w.manager.remoteOpen(w.wangResident, b2Door.id(), null));
        assertEquals(403, r.status());
        assertEquals(403, assertThrows(Refusal.class, () -> w.manager.remoteOpen(w.wangResident, b1Door.id(),
                w.li.id())).status(), "a household the caller does not belong to");
        assertEquals(403, assertThrows(Refusal.class, () -> w.manager.remoteOpen(w.office, b1Door.id(), null))
                .status(), "no household role");
        assertEquals(2, w.visitors.events().stream().filter("REMOTE_OPEN"::equals).count());
        assertEquals(2, w.visitors.events().stream().filter("REMOTE_OPEN_REFUSED"::equals).count());
        assertEquals(2, w.audit.actions().stream().filter("gate.remote-open"::equals).count());
        assertEquals(3, w.audit.actions().stream().filter("gate.remote-open.refused"::equals).count());
    }

    // ---- rule: one-click open only while the resident lives there ------------------------------------------------

    private Caller login(String name, org.gatehouse.api.model.Household h, String... residentIds) {
        Set<String> roles = new java.util.HashSet<>(Set.of(VisitorManager.RESIDENT, "household:" + h.id()));
        for (String id : residentIds) {
            roles.add(VisitorManager.RESIDENT_ID_PREFIX + id);
        }
        return new Caller(name, roles, gateScope);
    }

    private Refusal refusedOpen(Caller c, Device d) {
        Refusal r = assertThrows(Refusal.class, () -> w.manager.remoteOpen(c, d.id(), null));
        assertEquals(403, r.status());
        return r;
    }

    @Test
    void aResidentWhoseLeaseEndedCannotOpenRemotely() {
        Device b1Door = w.devices.add(w.sunshine.id(), w.b1.id(), "1号楼门");
        Caller wang = login("wangwei", w.wang, w.wangWei.id());
        assertEquals("OPEN", w.manager.remoteOpen(wang, b1Door.id(), null).command(), "inside the lease");
        w.households.updateResident(Scope.all(), new org.gatehouse.api.model.Resident(w.wangWei.id(),
                w.sunshine.id(), w.wang.id(), "王伟", org.gatehouse.api.model.ResidentRole.TENANT, null, null,
                w.wangWei.validFrom(), w.clock.now.plusSeconds(60), null));
        w.clock.advance(Duration.ofSeconds(60));

        Refusal r = refusedOpen(wang, b1Door);
        assertEquals("LEASE_ENDED", r.code());
        assertEquals("您的租约已到期，无法一键开门", r.message(Locale.SIMPLIFIED_CHINESE));
        assertEquals(LEASE_ENDED_EN, r.message(Locale.ENGLISH));
        assertEquals("LEASE_ENDED", refusedOpen(wang, w.north).code(), "the community gate too");
        assertEquals("LEASE_ENDED", refusedOpen(w.wangResident, b1Door).code(),
                "a household-only login: nobody of the household is inside a lease");
        assertEquals(3, w.visitors.log.stream().filter(e -> e.event().equals("REMOTE_OPEN_REFUSED")
                && e.detail().contains("LEASE_ENDED")).count());
        assertEquals(3, w.audit.actions().stream().filter("gate.remote-open.refused"::equals).count());
    }

    static final String LEASE_ENDED_EN = "Your lease has ended: one-click open is no longer available";

    @Test
    void aRemovedResidentCannotOpenRemotelyWhileTheRestOfTheHouseholdStillCan() {
        Device b1Door = w.devices.add(w.sunshine.id(), w.b1.id(), "1号楼门");
        var spouse = w.households.addResident(Scope.all(), w.wang.id(), "王芳",
                org.gatehouse.api.model.ResidentRole.CO_RESIDENT, null, null, null, null, null);
        Caller wang = login("wangwei", w.wang, w.wangWei.id());
        Caller fang = login("wangfang", w.wang, spouse.id());
        w.households.removeResident(Scope.all(), w.wangWei.id()); // moved out

        Refusal r = refusedOpen(wang, b1Door);
        assertEquals("NOT_REGISTERED", r.code());
        assertEquals("您已不是本户登记住户，无法一键开门", r.message(Locale.SIMPLIFIED_CHINESE));
        assertEquals("OPEN", w.manager.remoteOpen(fang, b1Door.id(), null).command(), "the co-resident still lives there");
        assertEquals("OPEN", w.manager.remoteOpen(w.wangResident, b1Door.id(), null).command(),
                "a household-only login while someone still lives there");
        w.households.removeResident(Scope.all(), spouse.id());
        assertEquals("NOT_REGISTERED", refusedOpen(fang, b1Door).code());
        assertEquals("NOT_REGISTERED", refusedOpen(w.wangResident, b1Door).code(), "nobody left in the household");
        assertTrue(w.visitors.log.stream().anyMatch(e -> e.event().equals("REMOTE_OPEN_REFUSED")
                && e.detail().contains("NOT_REGISTERED") && e.actor().equals("wangwei")));
    }

    @Test
    void aResidentOfAnotherHouseholdOrBeforeTheLeaseCannotOpenRemotely() {
        Device b1Door = w.devices.add(w.sunshine.id(), w.b1.id(), "1号楼门");
        assertEquals("NOT_REGISTERED", refusedOpen(login("li", w.wang, w.liNa.id()), b1Door).code(),
                "a resident of 李家 holding a household role of 王家");
        var future = w.households.addResident(Scope.all(), w.wang.id(), "新租户",
                org.gatehouse.api.model.ResidentRole.TENANT, null, null, w.clock.now.plus(Duration.ofDays(3)), null, null);
        Refusal r = refusedOpen(login("new", w.wang, future.id()), b1Door);
        assertEquals("NOT_YET_VALID", r.code());
        assertEquals("您的租约尚未开始，暂不能一键开门", r.message(Locale.SIMPLIFIED_CHINESE));
    }

    @Test
    void theVisitLogSaysWhoRegisteredWhoApprovedWhichGateAndWhen() {
        Caller gate = new Caller("device:x", Set.of(Roles.DEVICE), gateScope);
        Visitor v = w.manager.register(gate, w.input(w.wang, false));
        w.manager.decide(w.wangResident, v.id(), true);
        IssuedPass p = w.manager.issuePass(w.wangResident, v.id(), null);
        w.clock.advance(Duration.ofMinutes(1));
        check(p.code(), "north", w.clock.now);
        List<VisitLogEntry> log = w.manager.visitLog(w.office, w.sunshine.id(), null, null, 100);
        assertEquals(List.of("PASS_USED", "PASS_ISSUED", "APPROVED", "REGISTERED"),
                log.stream().map(VisitLogEntry::event).toList());
        assertEquals("device:x", log.get(3).actor());
        assertEquals("wang", log.get(2).actor());
        assertEquals("north", log.get(0).gate());
        assertTrue(w.audit.actions().contains("visitlog.view"));
        assertNull(w.manager.visitLog(w.office, w.sunshine.id(), null, null, 100).get(0).visitorId());
    }

    @Test
    void messagesExistInBothLanguages() throws Exception {
        var en = new java.util.Properties();
        var zh = new java.util.Properties();
        try (var a = getClass().getResourceAsStream("messages.properties");
             var b = new java.io.InputStreamReader(getClass().getResourceAsStream("messages_zh_CN.properties"),
                     java.nio.charset.StandardCharsets.UTF_8)) {
            en.load(a);
            zh.load(b);
        }
        assertEquals(en.keySet(), zh.keySet());
    }
}

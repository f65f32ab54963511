package org.gatehouse.visitor.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.gatehouse.api.model.Device;
import org.gatehouse.api.model.VisitLogEntry;
import org.gatehouse.api.service.Scope;
import org.gatehouse.core.api.Caller;
import org.gatehouse.core.api.Roles;
import org.gatehouse.visitor.api.PassCheck;
import org.gatehouse.visitor.api.PassCheck.Reason;
import org.gatehouse.visitor.internal.Passes.IssuedPass;
import org.junit.jupiter.api.Test;
import org.gatehouse.core.api.Refusal;

/** Guessing pass codes is throttled and alerted ({@link CheckLockouts}, through {@link Passes}). */
class CheckLockoutsTest {
    final World w = new World();

    /** 6-digit codes that are none of {@code real}, in order. */
    private static java.util.Iterator<String> wrongCodes(Set<String> real) {
        return java.util.stream.IntStream.range(0, 1_000_000).mapToObj(i -> String.format("%06d", i))
                .filter(c -> !real.contains(c)).iterator();
    }

    @Test
    void aThousandGuessesFromOneTerminalAreLockedOutAfterFiveTheRightCodeTooAndAnAlertIsRaised() {
        Device aDoor = w.devices.add(w.sunshine.id(), w.b1.id(), "1号楼门");
        Device bDoor = w.devices.add(w.sunshine.id(), w.b2.id(), "2号楼门");
        IssuedPass p1 = w.pass(w.approved(), 20, null);
        IssuedPass p2 = w.pass(w.approved(), 20, null);
        IssuedPass p3 = w.pass(w.approved(), 20, null);
        var guesses = wrongCodes(Set.of(p1.code(), p2.code(), p3.code()));
        w.clock.advance(Duration.ofSeconds(10));
        Caller terminal = w.terminal(aDoor);

        int checked = 0;
        int locked = 0;
        for (int i = 0; i < 1000; i++) {
            try {
                PassCheck c = w.passes.check(terminal, w.sunshine.id(), guesses.next(), null);
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
        Refusal right = assertThrows(Refusal.class, () -> w.passes.check(terminal, w.sunshine.id(), p1.code(), null));
        assertEquals("TOO_MANY_ATTEMPTS", right.code(), "the right code is refused while locked");
        assertEquals("通行码错误次数过多，已暂停核验，请 60 秒后再试", right.message(Locale.SIMPLIFIED_CHINESE));
        assertEquals("Too many wrong codes from this terminal or account: pass checks are locked; try again in 60 "
                + "seconds", right.message(Locale.ENGLISH));
        assertEquals(Reason.TOO_MANY_ATTEMPTS, w.passes.checkAtDevice(w.gateScope, aDoor.id(), p1.qr(), w.clock.instant())
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
        assertTrue(w.passes.check(w.terminal(bDoor), w.sunshine.id(), p1.code(), null).opens());
        // the lockout ends; the next one in a row is twice as long
        w.clock.advance(Duration.ofSeconds(61));
        assertTrue(w.passes.check(terminal, w.sunshine.id(), p1.code(), null).opens(), "unlocked after 60 s");
        for (int i = 0; i < 5; i++) {
            assertEquals(Reason.UNKNOWN_CODE, w.passes.check(terminal, w.sunshine.id(), guesses.next(), null).reason());
        }
        w.clock.advance(Duration.ofSeconds(61));
        assertEquals("TOO_MANY_ATTEMPTS", assertThrows(Refusal.class,
                () -> w.passes.check(terminal, w.sunshine.id(), p1.code(), null)).code(), "still locked after 61 s");
        w.clock.advance(Duration.ofSeconds(60));
        assertTrue(w.passes.check(terminal, w.sunshine.id(), p1.code(), null).opens(), "unlocked after 120 s");
        assertEquals(2, w.alerts.raised.size());
    }

    @Test
    void concurrentGuessesFromOneTerminalGetNoMoreThanFiveChecked() throws Exception {
        Device aDoor = w.devices.add(w.sunshine.id(), w.b1.id(), "1号楼门");
        IssuedPass p = w.pass(w.approved(), 20, null);
        List<String> codes = new java.util.ArrayList<>();
        wrongCodes(Set.of(p.code())).forEachRemaining(c -> {
            if (codes.size() < 200) {
                codes.add(c);
            }
        });
        w.clock.advance(Duration.ofSeconds(10));
        Caller terminal = w.terminal(aDoor);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<String>> results = new java.util.ArrayList<>();
            for (String code : codes) {
                results.add(pool.submit(() -> {
                    start.await();
                    try {
                        return w.passes.check(terminal, w.sunshine.id(), code, null).reason().name();
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
                () -> w.passes.check(terminal, w.sunshine.id(), p.code(), null)).code());
    }

    @Test
    void guessesByOneStaffCallerLockThatCallerAndGuessesByGateNameLockThatGate() {
        IssuedPass p = w.pass(w.approved(), 20, null);
        var guesses = wrongCodes(Set.of(p.code()));
        w.clock.advance(Duration.ofSeconds(10));
        for (int i = 0; i < 5; i++) {
            assertFalse(w.passes.check(w.office, w.sunshine.id(), guesses.next(), "north").opens());
        }
        Refusal r = assertThrows(Refusal.class, () -> w.passes.check(w.office, w.sunshine.id(), p.code(), "north"));
        assertEquals("TOO_MANY_ATTEMPTS", r.code());
        Caller otherClerk = new Caller("office-2", Set.of(Roles.COMMUNITY_OFFICE), w.gateScope);
        assertTrue(w.passes.check(otherClerk, w.sunshine.id(), p.code(), "north").opens(), "per caller");
        assertEquals("office", w.alerts.raised.get(0).subjectId(), "the alert names the caller");
        assertTrue(w.visitors.log.stream().anyMatch(e -> e.event().equals("CHECKS_LOCKED") && e.actor().equals("office")));

        // the Java API by gate name (a gate module, the shell): locked per gate name
        for (int i = 0; i < 5; i++) {
            assertEquals(Reason.UNKNOWN_CODE, w.check(guesses.next(), "south", w.clock.instant()).reason());
        }
        assertEquals(Reason.TOO_MANY_ATTEMPTS, w.check(p.code(), "south", w.clock.instant()).reason());
        assertTrue(w.check(p.code(), "north", w.clock.instant()).opens(), "another gate name is not locked");
        assertEquals(2, w.alerts.raised.size());
        assertEquals("south", w.alerts.raised.get(1).subjectId());
    }

    @Test
    void theThrottleFollowsTheConfig() {
        // checkMaxLockoutMinutes below the first lockout: raised to it
        VisitorConfig strict = Fakes.config(Map.of("checkMaxFailures", 2, "checkLockoutSeconds", 300,
                "checkMaxLockoutMinutes", 0));
        var s = CheckLockouts.settings(strict);
        assertEquals(2, s.maxFailures());
        assertEquals(Duration.ofMinutes(15), s.window());
        assertEquals(Duration.ofMinutes(5), s.firstLockout());
        assertEquals(Duration.ofMinutes(5), s.maxLockout());
        var defaults = CheckLockouts.settings(Fakes.config());
        assertEquals(5, defaults.maxFailures());
        assertEquals(Duration.ofSeconds(60), defaults.firstLockout());
        assertEquals(Duration.ofMinutes(60), defaults.maxLockout());
    }
}

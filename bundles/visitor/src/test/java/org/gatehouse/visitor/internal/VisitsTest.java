package org.gatehouse.visitor.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.gatehouse.api.model.VisitLogEntry;
import org.gatehouse.api.model.Visitor;
import org.gatehouse.api.model.VisitorStatus;
import org.gatehouse.api.service.Scope;
import org.gatehouse.core.api.Caller;
import org.gatehouse.core.api.Roles;
import org.gatehouse.visitor.internal.Passes.IssuedPass;
import org.junit.jupiter.api.Test;
import org.gatehouse.core.api.Refusal;

/** Registration, approval by the host, faces, the sweep and the visitor log ({@link Visits}). */
class VisitsTest {
    final World w = new World();

    @Test
    void aResidentRegistersOnlyForTheirHouseholdAndThatIsPreApproved() {
        Visitor v = w.visits.register(w.wangResident, w.input(w.wang, false));
        assertEquals(VisitorStatus.APPROVED, v.status());
        assertEquals("app", v.registeredVia());
        Refusal r = assertThrows(Refusal.class, () -> w.visits.register(w.wangResident, w.input(w.li, false)));
        assertEquals(403, r.status());
        assertTrue(w.audit.actions().contains("visitor.register.refused"));
        assertEquals("住户只能为本户登记访客", r.message(Locale.SIMPLIFIED_CHINESE));
    }

    @Test
    void theHostApprovesAWaitingVisitorAndAnotherHouseholdCannot() {
        Caller gate = w.terminal(w.north);
        Visitor v = w.visits.register(gate, w.input(w.wang, true));
        assertEquals(VisitorStatus.WAITING_APPROVAL, v.status(), "only the office may pre-approve");
        Refusal r = assertThrows(Refusal.class, () -> w.visits.decide(w.liResident, v.id(), true));
        assertEquals(403, r.status());
        assertTrue(w.audit.actions().contains("visitor.approve.refused"));
        assertEquals(VisitorStatus.WAITING_APPROVAL, w.visitors.visitor(Scope.all(), v.id()).orElseThrow().status());
        assertThrows(Refusal.class, () -> w.pass(v, 1, null), "no pass before approval");
        Visitor ok = w.visits.decide(w.wangResident, v.id(), true);
        assertEquals(VisitorStatus.APPROVED, ok.status());
        assertEquals("wang", ok.decidedBy());
        assertEquals(409, assertThrows(Refusal.class, () -> w.visits.decide(w.wangResident, v.id(), false)).status());
        assertTrue(w.visitors.events().containsAll(List.of("REGISTERED", "APPROVED")));
    }

    @Test
    void aRejectedVisitorsFaceIsForgotten() {
        Caller gate = w.terminal(w.north);
        Visitor v = w.visits.register(gate, w.input(w.wang, false));
        assertThrows(Refusal.class, () -> w.visits.enrollFace(gate, v.id(), new byte[] {1}, false));
        assertNotNull(w.visits.enrollFace(gate, v.id(), new byte[] {1}, true));
        w.visits.decide(w.wangResident, v.id(), false);
        assertTrue(w.faces.forgotten.contains(v.id()));
        assertTrue(w.visitors.events().contains("FACE_FORGOTTEN"));
    }

    @Test
    void theSweepClosesEndedVisitsAndForgetsTheirFaces() {
        Visitor ended = w.approved();
        w.visits.enrollFace(w.office, ended.id(), new byte[] {1}, true);
        w.pass(ended, 1, null);
        Visitor usedUp = w.approved();
        IssuedPass p = w.pass(usedUp, 1, null);
        assertTrue(w.check(p.code(), "north", w.clock.instant().plusSeconds(1)).opens());
        Visitor running = w.approved();
        w.pass(running, 2, null);

        Visits.SweepReport r = w.visits.sweep(w.clock.instant().plusSeconds(2));
        assertEquals(1, r.closed(), "the used-up pass ends its visit");
        assertEquals(VisitorStatus.CLOSED, w.visitors.visitor(Scope.all(), usedUp.id()).orElseThrow().status());

        r = w.visits.sweep(w.clock.instant().plus(Duration.ofHours(9)));
        assertEquals(2, r.closed());
        assertEquals(1, r.facesForgotten());
        assertTrue(w.faces.forgotten.contains(ended.id()));
        assertEquals(VisitorStatus.CLOSED, w.visitors.visitor(Scope.all(), running.id()).orElseThrow().status());
        assertTrue(w.visitors.passesOf(Scope.all(), running.id()).stream().allMatch(x -> x.revokedAt() != null));
    }

    @Test
    void theVisitLogSaysWhoRegisteredWhoApprovedWhichGateAndWhen() {
        Caller gate = w.terminal(w.north);
        Visitor v = w.visits.register(gate, w.input(w.wang, false));
        w.visits.decide(w.wangResident, v.id(), true);
        IssuedPass p = w.passes.issuePass(w.wangResident, v.id(), null);
        w.clock.advance(Duration.ofMinutes(1));
        w.check(p.code(), "north", w.clock.instant());
        List<VisitLogEntry> log = w.visits.visitLog(w.office, w.sunshine.id(), null, null, 100);
        assertEquals(List.of("PASS_USED", "PASS_ISSUED", "APPROVED", "REGISTERED"),
                log.stream().map(VisitLogEntry::event).toList());
        assertEquals("device:" + w.north.id(), log.get(3).actor());
        assertEquals("wang", log.get(2).actor());
        assertEquals("north", log.get(0).gate());
        assertTrue(w.audit.actions().contains("visitlog.view"));
        assertNull(w.visits.visitLog(w.office, w.sunshine.id(), null, null, 100).get(0).visitorId());
    }

    // ---- rule: a resident acts as the host only while living there -----------------------------------------------

    private Refusal refused(org.junit.jupiter.api.function.Executable action) {
        Refusal r = assertThrows(Refusal.class, action);
        assertEquals(403, r.status());
        return r;
    }

    @Test
    void aMovedOutResidentCannotInviteApproveRejectOrEnrollAFaceForTheOldHousehold() {
        Caller wangWei = w.login("wangwei", w.wang, w.wangWei.id());
        Visitor waiting = w.visits.register(w.terminal(w.north), w.input(w.wang, false));
        w.households.removeResident(Scope.all(), w.wangWei.id()); // moved out; the login keeps its household role

        Refusal r = refused(() -> w.visits.register(wangWei, w.input(w.wang, false)));
        assertEquals("NOT_REGISTERED", r.code());
        assertEquals("您已不是本户登记住户，不能再为本户登记、审批访客或发放通行码", r.message(Locale.SIMPLIFIED_CHINESE));
        assertEquals("NOT_REGISTERED", refused(() -> w.visits.register(w.wangResident, w.input(w.wang, false))).code(),
                "a household-only login: nobody of the household lives there");
        assertEquals("NOT_REGISTERED", refused(() -> w.visits.decide(wangWei, waiting.id(), true)).code());
        assertEquals("NOT_REGISTERED", refused(() -> w.visits.decide(wangWei, waiting.id(), false)).code());
        assertEquals("NOT_REGISTERED", refused(() -> w.visits.enrollFace(wangWei, waiting.id(), new byte[] {1}, true))
                .code());

        assertEquals(List.of(waiting.id()), w.visitors.visitors(Scope.all(), w.sunshine.id(), null, 100).stream()
                .map(Visitor::id).toList(), "nobody registered");
        assertEquals(VisitorStatus.WAITING_APPROVAL, w.visitors.visitor(Scope.all(), waiting.id()).orElseThrow()
                .status(), "neither approved nor rejected");
        assertTrue(w.faces.templates.getOrDefault(waiting.id(), List.of()).isEmpty(), "no face enrolled");
        assertTrue(w.audit.actions().containsAll(List.of("visitor.register.refused", "visitor.approve.refused",
                "visitor.reject.refused", "visitor.face.enroll.refused")));
        assertTrue(w.audit.entries.stream().anyMatch(e -> e.action().equals("visitor.approve.refused")
                && e.detail().startsWith("NOT_REGISTERED")), w.audit.entries.toString());

        assertEquals(VisitorStatus.APPROVED, w.visits.decide(w.office, waiting.id(), true).status(),
                "the office still acts for the household");
    }

    @Test
    void aResidentWhoseLeaseEndedOrHasNotStartedCannotInviteOrDecide() {
        Caller wangWei = w.login("wangwei", w.wang, w.wangWei.id());
        Visitor waiting = w.visits.register(w.terminal(w.north), w.input(w.wang, false));
        w.endLease(w.wangWei);

        Refusal r = refused(() -> w.visits.register(wangWei, w.input(w.wang, false)));
        assertEquals("LEASE_ENDED", r.code());
        assertEquals("Your lease has ended: you can no longer register, approve or let in visitors",
                r.message(Locale.ENGLISH));
        assertEquals("LEASE_ENDED", refused(() -> w.visits.register(w.wangResident, w.input(w.wang, false))).code(),
                "a household-only login");
        assertEquals("LEASE_ENDED", refused(() -> w.visits.decide(wangWei, waiting.id(), true)).code());
        assertEquals("LEASE_ENDED", refused(() -> w.visits.decide(w.wangResident, waiting.id(), false)).code());
        assertEquals(1, w.visitors.visitors(Scope.all(), w.sunshine.id(), null, 100).size(), "nobody registered");
        assertEquals(VisitorStatus.WAITING_APPROVAL, w.visitors.visitor(Scope.all(), waiting.id()).orElseThrow()
                .status());

        var future = w.households.addResident(Scope.all(), w.wang.id(), "新租户",
                org.gatehouse.api.model.ResidentRole.TENANT, null, null, w.clock.instant().plus(Duration.ofDays(3)),
                null, null);
        Refusal early = refused(() -> w.visits.register(w.login("new", w.wang, future.id()), w.input(w.wang, false)));
        assertEquals("NOT_YET_VALID", early.code());
        assertEquals("您的租约尚未开始，暂不能登记、审批访客或发放通行码", early.message(Locale.SIMPLIFIED_CHINESE));
    }

    @Test
    void aMovedOutResidentMayStillCloseTheirVisitBecauseThatLetsNobodyIn() {
        Caller wangWei = w.login("wangwei", w.wang, w.wangWei.id());
        Visitor v = w.visits.register(wangWei, w.input(w.wang, false));
        w.households.removeResident(Scope.all(), w.wangWei.id());
        assertEquals(VisitorStatus.CLOSED, w.visits.close(wangWei, v.id()).status());
    }
}

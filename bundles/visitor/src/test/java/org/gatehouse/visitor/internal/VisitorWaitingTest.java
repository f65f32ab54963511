package org.gatehouse.visitor.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.gatehouse.api.model.Alert;
import org.gatehouse.api.model.AlertStatus;
import org.gatehouse.api.model.AlertType;
import org.gatehouse.api.model.Visitor;
import org.gatehouse.api.model.VisitorStatus;
import org.gatehouse.core.api.Caller;
import org.gatehouse.core.api.Refusal;
import org.junit.jupiter.api.Test;

/**
 * The host household is told that a visitor waits: a registration that lands in WAITING_APPROVAL (a gate terminal, the
 * guard desk) publishes one {@code VISITOR_WAITING} on the alerts stream with the registration — naming the door for a
 * terminal — and the decision that ends the wait (approve, reject, close, the sweep) one
 * {@code VISITOR_WAITING_CLOSED}; a visitor the host invited or the office pre-approved never waits.
 */
class VisitorWaitingTest {
    final World w = new World();

    @Test
    void aVisitorRegisteredAtTheGateWaitsAndTheEventSaysWhoForWhichFlatAtWhichDoor() {
        Caller gate = w.terminal(w.north);
        Visitor v = w.visits.register(gate, w.input(w.wang, false));

        List<Alert> events = w.visitors.alertEvents();
        assertEquals(1, events.size(), "one event: " + events);
        Alert e = events.get(0);
        assertEquals(AlertType.VISITOR_WAITING, e.type());
        assertEquals("visitor-waiting:" + v.id(), e.id());
        assertEquals(w.sunshine.id(), e.communityId());
        assertEquals(AlertStatus.OPEN, e.status());
        assertEquals(v.id(), e.subjectId());
        Alert.Visit visit = e.visit();
        assertEquals(v.id(), visit.visitorId());
        assertEquals(w.wang.id(), visit.householdId());
        assertEquals(w.flat101.id(), visit.unitId());
        assertEquals("101", visit.flat().number());
        assertEquals("1号楼", visit.flat().buildingName());
        assertEquals("张三", visit.visitorName());
        assertEquals("探亲", visit.purpose());
        assertEquals("gate", visit.registeredVia());
        assertEquals(w.north.id(), visit.deviceId(), "the terminal that registered the visitor");
        assertEquals("north", visit.gate());
        assertEquals(v.expectedFrom(), visit.expectedFrom());
        assertEquals(v.expectedUntil(), visit.expectedUntil());
        assertEquals(VisitorStatus.WAITING_APPROVAL, visit.status());
        assertEquals(List.of(w.wangWei.id()), visit.residentIds(), "王家's resident, not 李家's");
    }

    @Test
    void theGuardDeskRegistrationWaitsWithoutADoor() {
        Visitor v = w.visits.register(w.office, w.input(w.li, false));
        assertEquals(VisitorStatus.WAITING_APPROVAL, v.status());
        Alert e = only(AlertType.VISITOR_WAITING);
        assertEquals("office", e.visit().registeredVia());
        assertNull(e.visit().deviceId());
        assertNull(e.visit().gate());
        assertEquals(List.of(w.liNa.id()), e.visit().residentIds());
    }

    @Test
    void anInvitationByTheHostOrAPreApprovalByTheOfficeNeverWaits() {
        Visitor invited = w.visits.register(w.wangResident, w.input(w.wang, false));
        Visitor preApproved = w.visits.register(w.office, w.input(w.wang, true));
        assertEquals(List.of(), w.visitors.alertEvents(), "nobody is told of a visitor who does not wait");
        assertEquals(VisitorStatus.APPROVED, invited.status());
        assertEquals("wang", invited.decidedBy());
        assertEquals(w.clock.instant(), invited.decidedAt());
        assertEquals(VisitorStatus.APPROVED, preApproved.status());
        assertEquals("office", preApproved.decidedBy());
        assertEquals(List.of("REGISTERED", "APPROVED", "REGISTERED", "APPROVED"), w.visitors.events());
    }

    @Test
    void approvingRejectingClosingOrTheSweepEndsTheWaitOnce() {
        Caller gate = w.terminal(w.north);
        Visitor approved = w.visits.register(gate, w.input(w.wang, false));
        Visitor rejected = w.visits.register(gate, w.input(w.wang, false));
        Visitor withdrawn = w.visits.register(gate, w.input(w.wang, false));
        w.visits.decide(w.wangResident, approved.id(), true);
        w.visits.decide(w.wangResident, rejected.id(), false);
        w.visits.close(w.wangResident, withdrawn.id());
        w.visits.close(w.office, approved.id()); // the approved visit ends later: it had stopped waiting already

        Visitor forgotten = w.visits.register(gate, w.input(w.wang, false));
        w.visits.sweep(w.clock.instant().plus(Duration.ofHours(9)));

        List<Alert> closed = w.visitors.alertEvents().stream()
                .filter(a -> a.type() == AlertType.VISITOR_WAITING_CLOSED).toList();
        assertEquals(List.of("visitor-waiting-closed:" + approved.id(), "visitor-waiting-closed:" + rejected.id(),
                "visitor-waiting-closed:" + withdrawn.id(), "visitor-waiting-closed:" + forgotten.id()),
                closed.stream().map(Alert::id).toList());
        assertEquals(List.of(VisitorStatus.APPROVED, VisitorStatus.REJECTED, VisitorStatus.CLOSED,
                VisitorStatus.CLOSED), closed.stream().map(a -> a.visit().status()).toList());
        assertTrue(closed.stream().allMatch(a -> a.status() == AlertStatus.CLOSED
                && a.visit().residentIds().equals(List.of(w.wangWei.id()))));
        assertEquals(4, w.visitors.alertEvents().stream().filter(a -> a.type() == AlertType.VISITOR_WAITING).count());
    }

    @Test
    void aRefusedRegistrationTellsNobody() {
        assertThrows(Refusal.class, () -> w.visits.register(w.wangResident, w.input(w.li, false)));
        Visits.VisitorInput past = new Visits.VisitorInput("张三", null, null, w.wang.id(), null,
                w.clock.instant().minus(Duration.ofHours(3)), w.clock.instant().minus(Duration.ofHours(1)), false);
        assertThrows(Refusal.class, () -> w.visits.register(w.terminal(w.north), past));
        assertEquals(List.of(), w.visitors.alertEvents());
    }

    private Alert only(AlertType type) {
        List<Alert> events = w.visitors.alertEvents().stream().filter(a -> a.type() == type).toList();
        assertEquals(1, events.size(), type + ": " + events);
        return events.get(0);
    }
}

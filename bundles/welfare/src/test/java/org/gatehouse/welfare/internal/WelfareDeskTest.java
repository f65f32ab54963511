package org.gatehouse.welfare.internal;

import static org.gatehouse.welfare.internal.World.local;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.gatehouse.api.model.AlertStatus;
import org.gatehouse.api.model.AlertType;
import org.gatehouse.api.model.WelfareCase;
import org.gatehouse.api.model.WelfareOutcome;
import org.gatehouse.api.service.NotFoundException;
import org.gatehouse.api.service.Scope;
import org.gatehouse.core.api.Caller;
import org.gatehouse.core.api.Refusal;
import org.gatehouse.core.api.Roles;
import org.gatehouse.testing.RestHarness;
import org.gatehouse.welfare.internal.WelfareDesk.CaseView;
import org.gatehouse.welfare.internal.rest.WelfareResource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Acknowledgement, closing, the audited view and the REST routes, in the caller's communities only. */
class WelfareDeskTest {
    final World w = new World();
    RestHarness rest;
    String id;

    @BeforeEach
    void alert() {
        rest = RestHarness.of(new WelfareResource(w.desk, w.checks));
        w.pass(w.grandma, local("2026-11-30T10:00"));
        w.checks.run(Scope.all(), local("2026-12-01T10:00"));
        id = w.cases.cases(Scope.all(), w.sunshine.id(), null, AlertType.WELFARE_INACTIVITY, 1).get(0).alertId();
        w.clock.set(local("2026-12-01T11:30"));
    }

    Object call(String route, Caller caller, Map<String, String> path, Map<String, String> query, Object body)
            throws Exception {
        return rest.call(route, caller, path, query, body);
    }

    @Test
    void anAcknowledgementBySomeoneOutsideTheCommunityIsRefusedAndAudited() {
        Caller outsider = w.officer(w.other.id());
        Refusal refused = assertThrows(Refusal.class, () -> w.desk.acknowledge(outsider, id,
                new WelfareDesk.Acknowledgement(null, null, "FOUND_WELL", "fine")));
        assertEquals(403, refused.status());
        assertEquals("OUTSIDE_COMMUNITY", refused.code());
        assertTrue(refused.message(Locale.SIMPLIFIED_CHINESE).contains("社区"));
        assertEquals(AlertStatus.OPEN, w.cases.welfareCase(Scope.all(), id).orElseThrow().status());
        assertTrue(w.audit.actions().contains("welfare.acknowledge.refused"));
        assertThrows(Refusal.class, () -> w.desk.close(outsider, id, "not mine"));
        // nor can the outsider see it
        assertThrows(NotFoundException.class, () -> w.desk.view(outsider, id));
        assertTrue(w.desk.list(outsider, null, null, null, 10).isEmpty());
    }

    @Test
    void anAcknowledgementRecordsWhoWentWhenAndWhatTheyFound() {
        WelfareCase acked = w.desk.acknowledge(w.officer(w.sunshine.id()), id, new WelfareDesk.Acknowledgement(
                "Staff Qian", local("2026-12-01T11:10").plusSeconds(0), "found_well", "At home, a cold; son called"));
        assertEquals(AlertStatus.ACKNOWLEDGED, acked.status());
        assertEquals(WelfareOutcome.FOUND_WELL, acked.outcome());
        assertEquals("Staff Qian", acked.visitedBy());
        assertEquals(local("2026-12-01T11:10"), acked.visitedAt());
        assertEquals("At home, a cold; son called", acked.finding());
        assertTrue(w.audit.actions().contains("welfare.acknowledge"));
        Caller office = new Caller("office", Set.of(Roles.COMMUNITY_OFFICE), Scope.of(w.sunshine.id()));
        assertEquals(400, assertThrows(Refusal.class, () -> w.desk.acknowledge(office, id,
                new WelfareDesk.Acknowledgement(null, null, "ASLEEP", null))).status());
        assertEquals(400, assertThrows(Refusal.class, () -> w.desk.acknowledge(office, id,
                new WelfareDesk.Acknowledgement(null, null, "OTHER", " "))).status());
        assertEquals(400, assertThrows(Refusal.class, () -> w.desk.acknowledge(office, id,
                new WelfareDesk.Acknowledgement(null, local("2026-12-02T11:10"), "FOUND_WELL", null))).status());
        WelfareCase closed = w.desk.close(office, id, "visited");
        assertEquals(AlertStatus.CLOSED, closed.status());
        assertEquals(409, assertThrows(Refusal.class, () -> w.desk.close(office, id, "again")).status());
    }

    @Test
    void eachViewOfThePersonsRecordIsAuditedAndShowsNameAgeFlatLastPassageAndPhone() throws Exception {
        CaseView v = (CaseView) call("GET /welfare/cases/{id}", w.officer(w.sunshine.id()), Map.of("id", id),
                Map.of(), null);
        assertEquals("Wang Fang", v.person().name());
        assertEquals(85, v.person().age());
        assertEquals("B1-2-301", v.person().flat());
        assertEquals(local("2026-11-30T10:00"), v.person().lastPassageAt());
        assertTrue(v.person().lastPassageDoor().contains("B1-door"));
        assertEquals("13900000001", v.person().phone());
        w.desk.view(w.officer(w.sunshine.id()), id);
        assertEquals(2, w.audit.entries.stream().filter(e -> e.action().equals("welfare.view")
                && e.subjectId().equals(w.grandma.id())).count());
    }

    @Test
    void restAnswersUnknownIdsWith404AndAMalformedAsOfWith400SayingWhatIsExpected() throws Exception {
        Caller office = new Caller("office", Set.of(Roles.COMMUNITY_OFFICE), Scope.of(w.sunshine.id()));
        assertThrows(NotFoundException.class, () -> call("GET /welfare/cases/{id}", office, Map.of("id", "nope"),
                Map.of(), null));
        assertThrows(NotFoundException.class, () -> call("POST /welfare/cases/{id}/acknowledge", office,
                Map.of("id", "nope"), Map.of(), new WelfareDesk.Acknowledgement(null, null, "FOUND_WELL", null)));
        Refusal bad = assertThrows(Refusal.class, () -> call("POST /welfare/check", office, Map.of(),
                Map.of("asOf", "yesterday"), null));
        assertEquals(400, bad.status());
        assertTrue(bad.getMessage().contains("2026-12-01T08:00+08:00"), bad.getMessage());
        assertEquals(400, assertThrows(Refusal.class, () -> call("GET /welfare/cases", office, Map.of(),
                Map.of("status", "SOMETIMES"), null)).status());

        CheckReport.Summary s = (CheckReport.Summary) call("POST /welfare/check", office, Map.of(),
                Map.of("asOf", "2026-12-01T12:00+08:00"), null);
        assertEquals(local("2026-12-01T12:00"), s.asOf());
        CheckReport.Summary again = (CheckReport.Summary) call("POST /welfare/check", office, Map.of(),
                Map.of("asOf", "2026-12-01T12:00+08:00"), null);
        assertTrue(again.opened().isEmpty());
        Object list = call("GET /welfare/cases", office, Map.of(), Map.of("kind", "welfare_inactivity"), null);
        assertEquals(1, ((java.util.List<?>) list).size());
    }
}

package org.gatehouse.welfare.internal;

import static org.gatehouse.welfare.internal.World.local;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;

import org.gatehouse.api.model.AlertStatus;
import org.gatehouse.api.model.AlertType;
import org.gatehouse.api.model.CareFlag;
import org.gatehouse.api.model.PassageEvent;
import org.gatehouse.api.model.Resident;
import org.gatehouse.api.model.ResidentRole;
import org.gatehouse.api.model.WelfareCase;
import org.gatehouse.api.service.Scope;
import org.gatehouse.testing.MemoryServices;
import org.junit.jupiter.api.Test;

/** The inactivity watch as of a time: due, quiet hours, escalation, closing by a passage, idempotence. */
class InactivityWatchTest {
    final World w = new World();

    List<WelfareCase> inactivity() {
        return w.cases.cases(Scope.all(), w.sunshine.id(), null, AlertType.WELFARE_INACTIVITY, 100);
    }

    List<String> openedInactivity(CheckReport report) {
        return report.opened().stream().filter(id -> id.startsWith("welfare-inactivity-")).toList();
    }

    @Test
    void aFlaggedResidentSilentFor24HoursRaisesOneAlertAsOfThatTimeAndNotBefore() {
        w.pass(w.grandma, local("2026-11-30T10:00"));
        assertTrue(openedInactivity(w.checks.run(Scope.all(), local("2026-12-01T09:59"))).isEmpty());
        assertTrue(inactivity().isEmpty());

        CheckReport report = w.checks.run(Scope.all(), local("2026-12-01T10:00"));
        assertEquals(1, openedInactivity(report).size());
        WelfareCase c = inactivity().get(0);
        assertEquals(w.grandma.id(), c.subjectId());
        assertEquals(AlertStatus.OPEN, c.status());
        assertEquals(local("2026-11-30T10:00"), c.since());
        assertEquals(local("2026-12-01T10:00"), c.raisedAt());
        // told at once: the first two of the community's list (police officer, property staff)
        assertEquals(List.of("Officer Zhao", "Staff Qian"), c.escalations().stream()
                .map(WelfareCase.Escalation::name).toList());
        assertTrue(c.message().contains("B1-2-301"), c.message());
        assertTrue(!c.message().contains("Wang Fang"), "the stream message names no one: " + c.message());
        assertTrue(c.purpose().contains("passages and the whitelist only"));
        assertTrue(c.evidence().get(0).contains("B1-door"), c.evidence().toString());
        // the unflagged father of flat 302 has not passed since November 1st: never watched
        assertTrue(inactivity().stream().noneMatch(x -> x.subjectId().equals(w.father.id())));
    }

    @Test
    void runningTwiceAsOfTheSameTimeOrAnEarlierOneOpensNothingTwiceAndReopensNothing() {
        w.pass(w.grandma, local("2026-11-30T10:00"));
        Instant at = local("2026-12-01T12:00");
        assertEquals(1, openedInactivity(w.checks.run(Scope.all(), at)).size());
        CheckReport again = w.checks.run(Scope.all(), at);
        assertTrue(again.opened().isEmpty(), again.opened().toString());
        assertEquals(1, inactivity().size());

        // she comes back; the alert closes; then the clock jumps back to before her return
        w.pass(w.grandma, local("2026-12-01T13:00"));
        assertEquals(1, w.checks.run(Scope.all(), local("2026-12-01T13:05")).closed().size());
        w.clock.set(local("2026-12-01T12:30"));
        CheckReport back = w.checks.run(Scope.all(), null);
        assertTrue(openedInactivity(back).isEmpty());
        assertTrue(back.closed().isEmpty());
        assertEquals(1, inactivity().size());
        assertEquals(AlertStatus.CLOSED, inactivity().get(0).status());
        // an older episode that her later passage ended is not opened after the fact either
        w.pass(w.grandma, local("2026-11-28T08:00"));
        assertTrue(openedInactivity(w.checks.run(Scope.all(), local("2026-11-29T09:00"))).isEmpty());
        assertEquals(1, inactivity().size());
    }

    @Test
    void anAlertDueInQuietHoursIsRaisedWhenTheyEnd() {
        w.pass(w.grandma, local("2026-11-30T23:30"));
        // due at 23:30 the next day, inside 23:00-07:00 (Asia/Shanghai)
        assertTrue(openedInactivity(w.checks.run(Scope.all(), local("2026-12-01T23:45"))).isEmpty());
        assertTrue(openedInactivity(w.checks.run(Scope.all(), local("2026-12-02T06:59"))).isEmpty());
        assertEquals(1, openedInactivity(w.checks.run(Scope.all(), local("2026-12-02T07:00"))).size());
        assertEquals(local("2026-12-02T07:00"), inactivity().get(0).dueAt());
    }

    @Test
    void anUnansweredAlertEscalatesToTheNextContactAfterTheConfiguredTimeOnce() {
        w.pass(w.grandma, local("2026-11-30T10:00"));
        w.checks.run(Scope.all(), local("2026-12-01T10:00"));
        String id = inactivity().get(0).alertId();
        assertTrue(w.checks.run(Scope.all(), local("2026-12-01T10:59")).escalated().isEmpty());
        assertEquals(List.of(id), w.checks.run(Scope.all(), local("2026-12-01T11:00")).escalated());
        WelfareCase c = w.cases.welfareCase(Scope.all(), id).orElseThrow();
        assertEquals(2, c.escalationLevel());
        WelfareCase.Escalation last = c.escalations().get(2);
        assertEquals("Sergeant Sun", last.name());
        assertEquals("mqtt:sergeant/sun", last.channel());
        assertEquals(local("2026-12-01T11:00"), last.at());
        assertTrue(w.cases.published.contains(id + "#escalation-2"));
        // the list has ended: nobody further, and never the same contact twice
        assertTrue(w.checks.run(Scope.all(), local("2026-12-01T15:00")).escalated().isEmpty());
        assertEquals(3, w.cases.welfareCase(Scope.all(), id).orElseThrow().escalations().size());
    }

    @Test
    void anAcknowledgedAlertDoesNotEscalate() {
        w.pass(w.grandma, local("2026-11-30T10:00"));
        w.checks.run(Scope.all(), local("2026-12-01T10:00"));
        String id = inactivity().get(0).alertId();
        w.clock.set(local("2026-12-01T10:40"));
        w.desk.acknowledge(w.officer(w.sunshine.id()), id, new WelfareDesk.Acknowledgement(null, null, "NOT_HOME",
                "nobody answered; neighbour says she went to her daughter's"));
        assertTrue(w.checks.run(Scope.all(), local("2026-12-01T12:00")).escalated().isEmpty());
    }

    @Test
    void aLaterPassageClosesTheAlertByItselfAndSaysSo() {
        w.pass(w.grandma, local("2026-11-30T10:00"));
        w.checks.run(Scope.all(), local("2026-12-01T10:00"));
        String id = inactivity().get(0).alertId();
        PassageEvent back = w.pass(w.grandma, local("2026-12-01T10:20"));
        // through the passages stream, as the route receives it
        assertEquals(1, w.follower.handle(MemoryServices.JSON.valueToTree(back).toString()));
        WelfareCase c = w.cases.welfareCase(Scope.all(), id).orElseThrow();
        assertEquals(AlertStatus.CLOSED, c.status());
        assertEquals("passage", c.closedBy());
        assertEquals(local("2026-12-01T10:20"), c.closedAt());
        assertTrue(c.closeReason().startsWith("Closed by itself"), c.closeReason());
        assertTrue(c.closeReason().contains(back.id()), c.closeReason());
        // delivered again (at least once): harmless
        assertEquals(0, w.follower.handle(MemoryServices.JSON.valueToTree(back).toString()));
        assertEquals(0, w.follower.handle("{not json"));
    }

    @Test
    void theScheduledCheckAlsoClosesAnAlertWhosePersonPassedButAnotherResidentsPassageDoesNot() {
        w.pass(w.grandma, local("2026-11-30T10:00"));
        w.checks.run(Scope.all(), local("2026-12-01T10:00"));
        w.pass(w.father, local("2026-12-01T10:10"));
        assertTrue(w.checks.run(Scope.all(), local("2026-12-01T10:15")).closed().isEmpty());
        w.remoteOpen(w.grandma, local("2026-12-01T10:30"));
        CheckReport report = w.checks.run(Scope.all(), local("2026-12-01T10:35"));
        assertEquals(1, report.closed().size());
        assertEquals(AlertStatus.CLOSED, inactivity().get(0).status());
    }

    @Test
    void residentsWithoutAFlagOrNoLongerLivingThereAreNeverWatched() {
        Resident moved = w.households.addResident(Scope.all(), w.alone.id(), "Chen Jie", ResidentRole.TENANT,
                LocalDate.of(1939, 5, 5), null, Instant.parse("2026-10-01T00:00:00Z"),
                Instant.parse("2026-11-15T00:00:00Z"), Set.of(CareFlag.LIVES_ALONE));
        w.pass(w.grandma, local("2026-12-01T09:00"));
        CheckReport report = w.checks.run(Scope.all(), local("2026-12-01T10:00"));
        assertTrue(openedInactivity(report).isEmpty(), report.opened().toString());
        assertTrue(inactivity().stream().noneMatch(c -> c.subjectId().equals(moved.id())
                || c.subjectId().equals(w.father.id())));
    }

    @Test
    void aPerResidentThresholdFromTheCommunityConfigurationApplies() {
        CommunityWelfareConfig own = org.gatehouse.testing.Configs.of(CommunityWelfareConfig.class, java.util.Map.of(
                "communityId", "c", "residentHours", new String[] {w.grandma.id() + "=12;bad"}, "quietHours", "none"));
        CommunityRules rules = CommunityRules.of("c", org.gatehouse.testing.Configs.defaults(WelfareConfig.class), own);
        assertEquals(java.time.Duration.ofHours(12), rules.inactivityOf(w.grandma.id()));
        assertEquals(java.time.Duration.ofHours(24), rules.inactivityOf(w.father.id()));
        assertEquals(null, rules.quietHours());
        assertNotNull(rules.problems().stream().filter(p -> p.contains("'bad'")).findFirst().orElse(null));
        assertTrue(rules.problems().stream().anyMatch(p -> p.contains("no welfare contacts")));
    }
}

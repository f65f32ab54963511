package org.gatehouse.welfare.internal;

import static org.gatehouse.welfare.internal.World.local;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.gatehouse.api.model.AlertStatus;
import org.gatehouse.api.model.AlertType;
import org.gatehouse.api.model.SubjectType;
import org.gatehouse.api.model.Verdict;
import org.gatehouse.api.model.WelfareCase;
import org.gatehouse.api.service.Scope;
import org.junit.jupiter.api.Test;

/** Idle flats and sublease signs from seeded passages, visitors and absence. */
class FlatCasesTest {
    final World w = new World();

    List<WelfareCase> of(AlertType kind) {
        return w.cases.cases(Scope.all(), w.sunshine.id(), null, kind, 100);
    }

    @Test
    void aFlatWithoutAPassageByAnyMemberForThirtyDaysOpensAnIdleCaseOnce() {
        w.pass(w.grandma, local("2026-11-30T10:00"));
        w.pass(w.father, local("2026-11-10T08:00"));
        w.checks.run(Scope.all(), local("2026-12-10T07:59"));
        assertTrue(of(AlertType.IDLE_UNIT).isEmpty());
        w.checks.run(Scope.all(), local("2026-12-10T08:00"));
        List<WelfareCase> idle = of(AlertType.IDLE_UNIT);
        assertEquals(1, idle.size());
        WelfareCase c = idle.get(0);
        assertEquals(w.family.id(), c.subjectId());
        assertEquals(AlertStatus.OPEN, c.status());
        assertTrue(c.message().contains("B1-2-302"), c.message());
        assertTrue(c.evidence().get(0).contains(local("2026-11-10T08:00").toString()), c.evidence().toString());
        assertTrue(c.purpose().contains("reads passages and the whitelist only"), c.purpose());
        w.checks.run(Scope.all(), local("2026-12-10T08:00"));
        w.checks.run(Scope.all(), local("2026-12-11T08:00"));
        assertEquals(1, of(AlertType.IDLE_UNIT).size());
        // a one-click open from the app is not a member passing in person
        w.remoteOpen(w.father, local("2026-12-11T09:00"));
        w.checks.run(Scope.all(), local("2026-12-11T10:00"));
        assertEquals(1, of(AlertType.IDLE_UNIT).size());
    }

    @Test
    void registeredTenantsUnseenWhileTheSameVisitorKeepsBeingRegisteredOpenASubleaseCaseWithItsEvidence() {
        w.pass(w.grandma, local("2026-12-04T10:00"));
        // father registered since November 1st, never passed; someone else keeps coming in his name
        w.visitor(w.family, "Zhang San", "idhash-1", local("2026-11-20T19:00"));
        w.visitor(w.family, "Zhang San", "idhash-1", local("2026-11-27T19:00"));
        assertTrue(w.checks.run(Scope.all(), local("2026-12-05T08:00")).opened().stream()
                .noneMatch(id -> id.startsWith("welfare-sublease-")));
        w.visitor(w.family, "Zhang  san", "idhash-1", local("2026-12-03T19:00"));
        w.visitor(w.family, "Someone Else", "idhash-2", local("2026-12-03T20:00"));
        // a visitor of grandma's flat does not count for flat 302
        w.visitor(w.alone, "Zhang San", "idhash-1", local("2026-12-03T21:00"));
        w.checks.run(Scope.all(), local("2026-12-05T08:00"));
        List<WelfareCase> sublease = of(AlertType.SUBLEASE_SIGNAL);
        assertEquals(1, sublease.size());
        WelfareCase c = sublease.get(0);
        assertEquals(w.family.id(), c.householdId());
        assertTrue(c.evidence().stream().anyMatch(l -> l.startsWith("Visitor Zhang") && l.contains("registered 3 times")), c.evidence()
                .toString());
        assertTrue(c.evidence().stream().noneMatch(l -> l.contains("Someone Else")), c.evidence().toString());
        assertTrue(c.evidence().stream().anyMatch(l -> l.contains("No member passed in person")));
        assertEquals(FlatCases.SUBLEASE_PURPOSE, c.purpose());
        assertTrue(c.purpose().contains("reads passages, visitor passes and the whitelist only"));
        w.checks.run(Scope.all(), local("2026-12-05T08:00"));
        assertEquals(1, of(AlertType.SUBLEASE_SIGNAL).size());
        // grandma's flat: she passes, so no sign there
        assertTrue(sublease.stream().noneMatch(x -> x.householdId().equals(w.alone.id())));
    }

    @Test
    void oneClickOpensAndUnknownFacesAtTheBuildingAreSignsToo() {
        World few = new World(Map.of("subleaseRemoteOpens", 2, "subleaseUnknownEntries", 3));
        few.pass(few.grandma, local("2026-12-04T10:00"));
        few.remoteOpen(few.father, local("2026-12-01T20:00"));
        few.remoteOpen(few.father, local("2026-12-02T20:00"));
        for (int i = 0; i < 3; i++) {
            few.record(few.sunshine.id(), few.door, local("2026-12-0" + (i + 1) + "T21:00"), SubjectType.STRANGER,
                    null, Verdict.DENY, "NO_MATCH");
        }
        // strangers at another community's door do not count
        few.record(few.other.id(), few.otherDoor, local("2026-12-01T21:00"), SubjectType.STRANGER, null,
                Verdict.ALLOW, "NO_MATCH");
        few.checks.run(Scope.all(), local("2026-12-05T08:00"));
        WelfareCase c = few.cases.cases(Scope.all(), few.sunshine.id(), null, AlertType.SUBLEASE_SIGNAL, 10).get(0);
        assertTrue(c.evidence().stream().anyMatch(l -> l.startsWith("2 one-click open(s)")), c.evidence().toString());
        assertTrue(c.evidence().stream().anyMatch(l -> l.startsWith("3 passage(s) of unknown faces")),
                c.evidence().toString());
    }
}

package org.gatehouse.screening.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.gatehouse.gate.api.CheckSetting;
import org.gatehouse.gate.api.CheckSetting.Mode;
import org.junit.jupiter.api.Test;

class CommunitySettingsTest {
    private static final String PID = "org.gatehouse.screening.test";

    @Test
    void defaultsApplyToEveryCommunityWithoutAnEntry() {
        CommunitySettings s = CommunitySettings.parse(PID, "OFF", "after", new String[0]);
        assertEquals(new CheckSetting(Mode.OFF, false), s.setting("c-1"));
        assertEquals(new CheckSetting(Mode.OFF, false), s.setting(null));
        assertTrue(s.problems().isEmpty());
    }

    @Test
    void entriesPerCommunityWithOptionalStage() {
        CommunitySettings s = CommunitySettings.parse(PID, "soft", "before",
                new String[] {" c-123 = HARD ; c-456=soft:after;c-789=Off:BEFORE;", "c-9=HARD:before"});
        assertEquals(new CheckSetting(Mode.HARD, true), s.setting("c-123"), "no stage: the default stage");
        assertEquals(new CheckSetting(Mode.SOFT, false), s.setting("c-456"));
        assertEquals(new CheckSetting(Mode.OFF, true), s.setting("c-789"));
        assertEquals(new CheckSetting(Mode.HARD, true), s.setting("c-9"), "a second list value");
        assertEquals(new CheckSetting(Mode.SOFT, true), s.setting("c-other"));
        assertTrue(s.problems().isEmpty(), s.problems().toString());
        assertEquals(4, s.communities().size());
    }

    @Test
    void anUnknownModeFlagsInsteadOfSwitchingTheCheckOffOrLockingEveryoneOut() {
        CommunitySettings s = CommunitySettings.parse(PID, "HRAD", "after", new String[] {"c-1=HRAD;c-2=HARD"});
        assertEquals(Mode.SOFT, s.defaults().mode());
        assertEquals(Mode.SOFT, s.setting("c-1").mode());
        assertEquals(Mode.HARD, s.setting("c-2").mode());
        assertEquals(2, s.problems().size(), s.problems().toString());
        assertTrue(s.problems().get(0).contains("defaultMode = 'HRAD'"), s.problems().get(0));
        assertTrue(s.problems().get(1).contains("community c-1") && s.problems().get(1).contains("SOFT"),
                s.problems().get(1));
    }

    @Test
    void aMissingModeIsUnknown() {
        CommunitySettings s = CommunitySettings.parse(PID, null, null, new String[] {"c-1=", "c-2=:before"});
        assertEquals(new CheckSetting(Mode.SOFT, false), s.defaults());
        assertEquals(new CheckSetting(Mode.SOFT, false), s.setting("c-1"));
        assertEquals(new CheckSetting(Mode.SOFT, true), s.setting("c-2"));
        assertEquals(4, s.problems().size(), s.problems().toString());
    }

    @Test
    void anUnknownStageRunsAfterIdentity() {
        CommunitySettings s = CommunitySettings.parse(PID, "HARD", "sometimes", new String[] {"c-1=HARD:early"});
        assertEquals(new CheckSetting(Mode.HARD, false), s.defaults());
        assertEquals(new CheckSetting(Mode.HARD, false), s.setting("c-1"));
        assertEquals(2, s.problems().size(), s.problems().toString());
    }

    @Test
    void entriesWithoutACommunityAreIgnoredAndDuplicatesReported() {
        CommunitySettings s = CommunitySettings.parse(PID, "OFF", "after",
                new String[] {"HARD", "=HARD", "c-1=SOFT", "c-1=HARD", null});
        assertEquals(1, s.communities().size());
        assertEquals(Mode.HARD, s.setting("c-1").mode(), "the last entry applies");
        assertEquals(3, s.problems().size(), s.problems().toString());
        assertTrue(s.problems().get(0).contains("ignored"), s.problems().get(0));
        assertTrue(s.problems().get(2).contains("more than once"), s.problems().get(2));
    }

    @Test
    void summaryNamesDefaultAndCommunities() {
        CommunitySettings s = CommunitySettings.parse(PID, "OFF", "after", new String[] {"c-1=HARD:before"});
        assertEquals("default OFF, c-1 HARD before identity", s.summary());
    }
}

package org.gatehouse.screening.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.gatehouse.api.model.SubjectType;
import org.gatehouse.gate.api.CheckSetting;
import org.gatehouse.gate.api.CheckSetting.Mode;
import org.gatehouse.gate.api.Readings;
import org.gatehouse.gate.api.ScreeningInput;
import org.gatehouse.gate.api.ScreeningResult;
import org.gatehouse.gate.api.ScreeningResult.Outcome;
import org.gatehouse.testing.Configs;
import org.junit.jupiter.api.Test;

class MaskCheckTest {
    private final MaskCheck check = new MaskCheck(Configs.defaults(MaskConfig.class));

    static ScreeningInput mask(Boolean on) {
        return new ScreeningInput("c-1", "d-1", "r-1", SubjectType.RESIDENT, new Readings(36.5, on, null), null);
    }

    @Test
    void aMaskPasses() {
        ScreeningResult r = check.check(mask(true));
        assertEquals(Outcome.PASSED, r.outcome());
        assertEquals("mask", r.check());
        assertEquals("OK", r.reasonCode());
    }

    @Test
    void noMaskFails() {
        ScreeningResult r = check.check(mask(false));
        assertEquals(Outcome.FAILED, r.outcome());
        assertEquals("NO_MASK", r.reasonCode());
    }

    @Test
    void noMaskFlagIsNotMeasuredNeverPassed() {
        ScreeningResult r = check.check(mask(null));
        assertEquals(Outcome.NOT_MEASURED, r.outcome());
        assertEquals("READING_MISSING", r.reasonCode());
    }

    @Test
    void modesPerCommunityAndABadOneFlags() {
        MaskCheck c = new MaskCheck(Configs.of(MaskConfig.class, Map.of("defaultMode", "HARD", "communities",
                new String[] {"c-1=OFF", "c-2=maybe"})));
        assertEquals(new CheckSetting(Mode.HARD, false), c.setting("c-3"));
        assertEquals(Mode.OFF, c.setting("c-1").mode());
        assertEquals(Mode.SOFT, c.setting("c-2").mode());
    }
}

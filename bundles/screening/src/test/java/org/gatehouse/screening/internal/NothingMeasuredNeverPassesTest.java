package org.gatehouse.screening.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.gatehouse.api.model.SubjectType;
import org.gatehouse.gate.api.Readings;
import org.gatehouse.gate.api.ScreeningCheck;
import org.gatehouse.gate.api.ScreeningInput;
import org.gatehouse.gate.api.ScreeningResult.Outcome;
import org.gatehouse.testing.Configs;
import org.junit.jupiter.api.Test;

/**
 * A terminal that sends nothing must not pass a hard rule: every check answers NOT_MEASURED (which the gate denies
 * under HARD), before identity and after, with a frame or without.
 */
class NothingMeasuredNeverPassesTest {
    @Test
    void everyCheckAnswersNotMeasuredWhenNothingWasSent() {
        List<ScreeningCheck> checks = List.of(new TemperatureCheck(Configs.defaults(TemperatureConfig.class)),
                new MaskCheck(Configs.defaults(MaskConfig.class)),
                new IdCardCheck(Configs.defaults(IdCardConfig.class), new IdCardCheckTest.BusyEngine(), null));
        for (ScreeningCheck check : checks) {
            for (ScreeningInput in : List.of(
                    new ScreeningInput("c-1", "d-1", null, SubjectType.UNKNOWN, Readings.NONE, null),
                    new ScreeningInput("c-1", "d-1", "r-1", SubjectType.RESIDENT, null, new byte[] {1, 2, 3}))) {
                assertEquals(Outcome.NOT_MEASURED, check.check(in).outcome(), check.name() + " " + in);
            }
        }
    }
}

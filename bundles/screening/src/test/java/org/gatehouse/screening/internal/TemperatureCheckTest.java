package org.gatehouse.screening.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;

import org.gatehouse.api.model.SubjectType;
import org.gatehouse.gate.api.CheckSetting;
import org.gatehouse.gate.api.CheckSetting.Mode;
import org.gatehouse.gate.api.Readings;
import org.gatehouse.gate.api.ScreeningInput;
import org.gatehouse.gate.api.ScreeningResult;
import org.gatehouse.gate.api.ScreeningResult.Outcome;
import org.gatehouse.testing.Configs;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class TemperatureCheckTest {
    private final TemperatureCheck check = new TemperatureCheck(Configs.defaults(TemperatureConfig.class));

    static ScreeningInput reading(Double celsius) {
        return new ScreeningInput("c-1", "d-1", null, SubjectType.UNKNOWN, new Readings(celsius, null, null), null);
    }

    @Test
    void atOrBelowTheLimitPasses() {
        ScreeningResult r = check.check(reading(36.6));
        assertEquals(Outcome.PASSED, r.outcome());
        assertEquals("temperature", r.check());
        assertEquals(36.6, r.measured());
        assertEquals(37.3, r.limit());
        assertEquals(Outcome.PASSED, check.check(reading(37.3)).outcome(), "37.3 ≤ 37.3");
    }

    @Test
    void aboveTheLimitIsFever() {
        ScreeningResult r = check.check(reading(37.4));
        assertEquals(Outcome.FAILED, r.outcome());
        assertEquals("FEVER", r.reasonCode());
        assertEquals(37.4, r.measured());
        assertEquals(37.3, r.limit());
        assertEquals("FEVER", check.check(reading(40.5)).reasonCode());
    }

    @Test
    void noReadingIsNotMeasuredNeverPassed() {
        ScreeningResult r = check.check(reading(null));
        assertEquals(Outcome.NOT_MEASURED, r.outcome());
        assertEquals("READING_MISSING", r.reasonCode());
        ScreeningResult none = check.check(new ScreeningInput("c-1", "d-1", null, null, null, null));
        assertEquals(Outcome.NOT_MEASURED, none.outcome(), "no readings at all");
    }

    @ParameterizedTest
    @ValueSource(doubles = {80.0, 45.1, 29.9, 0.0, -5.0, 1e9, Double.NaN, Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY})
    void anImpossibleReadingIsNotMeasuredNeverPassedNorFever(double celsius) {
        ScreeningResult r = check.check(reading(celsius));
        assertEquals(Outcome.NOT_MEASURED, r.outcome());
        assertEquals("READING_IMPLAUSIBLE", r.reasonCode());
        assertEquals(37.3, r.limit());
        if (Double.isFinite(celsius)) {
            assertEquals(celsius, r.measured());
        } else {
            assertNull(r.measured(), "no NaN or infinity in the decision");
        }
    }

    @Test
    void thePlausibleRangeEndsAreReadings() {
        assertEquals(Outcome.PASSED, check.check(reading(30.0)).outcome(), "a cold forehead reading");
        assertEquals("FEVER", check.check(reading(45.0)).reasonCode());
    }

    @Test
    void limitAndModesFromTheConfiguration() {
        TemperatureCheck c = new TemperatureCheck(Configs.of(TemperatureConfig.class, Map.of("limitCelsius", "38.0",
                "defaultMode", "SOFT", "communities", "c-1=HARD:before")));
        assertEquals(38.0, c.limit());
        assertEquals(Outcome.PASSED, c.check(reading(37.8)).outcome());
        assertEquals(new CheckSetting(Mode.HARD, true), c.setting("c-1"));
        assertEquals(new CheckSetting(Mode.SOFT, false), c.setting("c-2"));
        assertEquals(new CheckSetting(Mode.OFF, false), check.setting("c-1"), "off unless configured");
    }

    @ParameterizedTest
    @ValueSource(strings = {"50", "35.9", "39.1", "-37.3", "NaN", "abc", ""})
    void aBadLimitKeepsTheDefault(String limit) {
        TemperatureCheck c = new TemperatureCheck(Configs.of(TemperatureConfig.class, Map.of("limitCelsius", limit)));
        assertEquals(37.3, c.limit());
        assertEquals("FEVER", c.check(reading(37.5)).reasonCode());
    }

    @Test
    void aChangedConfigurationAppliesWithoutANewComponent() {
        TemperatureCheck c = new TemperatureCheck(Configs.defaults(TemperatureConfig.class));
        c.modified(Configs.of(TemperatureConfig.class, Map.of("limitCelsius", 37.5, "communities", "c-1=HARD")));
        assertEquals(37.5, c.limit());
        assertEquals(Mode.HARD, c.setting("c-1").mode());
    }
}

package org.gatehouse.screening.internal;

import java.util.Locale;

import org.gatehouse.gate.api.CheckSetting;
import org.gatehouse.gate.api.ScreeningCheck;
import org.gatehouse.gate.api.ScreeningInput;
import org.gatehouse.gate.api.ScreeningResult;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Body temperature (体温) held against a limit (default 37.3 °C): above it {@code FAILED FEVER} (measured and limit in
 * the result), at or below it {@code PASSED}. No reading: {@code NOT_MEASURED READING_MISSING}. A reading no living
 * person can have (below {@value #PLAUSIBLE_MIN} or above {@value #PLAUSIBLE_MAX} °C, NaN, infinite) is a faulty or
 * forged sensor, not a measurement of the person: {@code NOT_MEASURED READING_IMPLAUSIBLE} with the value — never a
 * pass (a hard rule denies it like a missing reading), and no fever alert for a broken thermometer.
 */
@Component(service = ScreeningCheck.class, configurationPid = TemperatureConfig.PID)
@Designate(ocd = TemperatureConfig.class)
public class TemperatureCheck implements ScreeningCheck {
    public static final String NAME = "temperature";
    public static final double DEFAULT_LIMIT = 37.3;
    static final double LIMIT_MIN = 36.0;
    static final double LIMIT_MAX = 39.0;
    static final double PLAUSIBLE_MIN = 30.0;
    static final double PLAUSIBLE_MAX = 45.0;
    private static final Logger LOG = LoggerFactory.getLogger(TemperatureCheck.class);

    /** Settings and limit replaced together on a configuration change (no window without the check). */
    private volatile State state;

    private record State(CommunitySettings settings, double limit) {
    }

    @Activate
    public TemperatureCheck(TemperatureConfig config) {
        modified(config);
    }

    @Modified
    void modified(TemperatureConfig config) {
        CommunitySettings settings = CommunitySettings.parse(TemperatureConfig.PID, config.defaultMode(),
                config.defaultStage(), config.communities());
        double limit = limit(config);
        state = new State(settings, limit);
        Checks.log(LOG, NAME, settings, String.format(Locale.ROOT, "limit %.1f °C", limit));
    }

    private static double limit(TemperatureConfig config) {
        String problem;
        try {
            double limit = config.limitCelsius();
            if (limit >= LIMIT_MIN && limit <= LIMIT_MAX) {
                return limit;
            }
            problem = "limitCelsius = " + limit + " is out of range [" + LIMIT_MIN + ", " + LIMIT_MAX + "]";
        } catch (RuntimeException e) { // not a number: DS defers the conversion error to this call
            problem = "limitCelsius is not a number (" + e.getMessage() + ")";
        }
        LOG.error("{}: {}; using {} °C until it is corrected", TemperatureConfig.PID, problem, DEFAULT_LIMIT);
        return DEFAULT_LIMIT;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public CheckSetting setting(String communityId) {
        return state.settings().setting(communityId);
    }

    /** The limit in use (°C). */
    public double limit() {
        return state.limit();
    }

    @Override
    public ScreeningResult check(ScreeningInput in) {
        double limit = state.limit();
        Double t = in.readings().temperatureCelsius();
        if (t == null) {
            return new ScreeningResult(NAME, ScreeningResult.Outcome.NOT_MEASURED, Checks.READING_MISSING, null, limit,
                    "no temperature sent");
        }
        if (!(t >= PLAUSIBLE_MIN && t <= PLAUSIBLE_MAX)) { // also NaN
            return new ScreeningResult(NAME, ScreeningResult.Outcome.NOT_MEASURED, Checks.READING_IMPLAUSIBLE,
                    Double.isFinite(t) ? t : null, limit, "temperature " + t + " outside [" + PLAUSIBLE_MIN + ", "
                    + PLAUSIBLE_MAX + "] °C: not a body temperature");
        }
        if (t > limit) {
            return new ScreeningResult(NAME, ScreeningResult.Outcome.FAILED, "FEVER", t, limit,
                    "temperature " + t + " > " + limit);
        }
        return ScreeningResult.passed(NAME, t, limit);
    }
}

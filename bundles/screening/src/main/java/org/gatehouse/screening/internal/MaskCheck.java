package org.gatehouse.screening.internal;

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
 * Mask required (口罩): wherever this check is not OFF a mask is required. The terminal saw a mask: {@code PASSED};
 * it saw none: {@code FAILED NO_MASK}; it sent no mask flag: {@code NOT_MEASURED READING_MISSING}.
 */
@Component(service = ScreeningCheck.class, configurationPid = MaskConfig.PID)
@Designate(ocd = MaskConfig.class)
public class MaskCheck implements ScreeningCheck {
    public static final String NAME = "mask";
    private static final Logger LOG = LoggerFactory.getLogger(MaskCheck.class);

    private volatile CommunitySettings settings;

    @Activate
    public MaskCheck(MaskConfig config) {
        modified(config);
    }

    @Modified
    void modified(MaskConfig config) {
        CommunitySettings parsed = CommunitySettings.parse(MaskConfig.PID, config.defaultMode(), config.defaultStage(),
                config.communities());
        settings = parsed;
        Checks.log(LOG, NAME, parsed, null);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public CheckSetting setting(String communityId) {
        return settings.setting(communityId);
    }

    @Override
    public ScreeningResult check(ScreeningInput in) {
        Boolean maskOn = in.readings().maskOn();
        if (maskOn == null) {
            return new ScreeningResult(NAME, ScreeningResult.Outcome.NOT_MEASURED, Checks.READING_MISSING, null, null,
                    "no mask flag sent");
        }
        if (!maskOn) {
            return new ScreeningResult(NAME, ScreeningResult.Outcome.FAILED, "NO_MASK", null, null, "no mask seen");
        }
        return new ScreeningResult(NAME, ScreeningResult.Outcome.PASSED, "OK", null, null, "mask seen");
    }
}

package org.gatehouse.gate.internal;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.gatehouse.api.model.Alert;
import org.gatehouse.api.model.AlertSeverity;
import org.gatehouse.api.model.AlertStatus;
import org.gatehouse.api.model.AlertType;
import org.gatehouse.api.model.SubjectType;
import org.gatehouse.api.model.Verdict;
import org.gatehouse.api.service.AlertRepository;
import org.gatehouse.gate.api.CheckSetting;
import org.gatehouse.gate.api.GateReason;
import org.gatehouse.gate.api.ScreeningCheck;
import org.gatehouse.gate.api.ScreeningInput;
import org.gatehouse.gate.api.ScreeningResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gate's screening: the {@link ScreeningCheck} services bound to the gate (the component's DS references forward
 * here), run before identity or after it as each is set, their mode applied, and one {@code SCREENING_FAILURE} alert
 * per passage with a failed check.
 */
final class Screening {
    /** The gate's logger, so the log lines keep their category. */
    private static final Logger LOG = LoggerFactory.getLogger(GateDecisionsImpl.class);

    private final List<ScreeningCheck> checks = new CopyOnWriteArrayList<>();
    private final AlertRepository alerts;

    Screening(AlertRepository alerts) {
        this.alerts = alerts;
    }

    void add(ScreeningCheck check) {
        checks.add(check);
    }

    void remove(ScreeningCheck check) {
        checks.remove(check);
    }

    /**
     * Runs the checks set to run {@code before} identity (or after it). HARD failures deny, SOFT ones flag; a result
     * not measured counts as a failure (a hard rule cannot be dodged by not measuring). @return false when denied
     */
    boolean screen(Attempt a, boolean before) {
        String community = a.device.communityId();
        for (ScreeningCheck check : checks) {
            CheckSetting setting;
            try {
                setting = check.setting(community);
            } catch (RuntimeException e) {
                LOG.warn("Screening check {} could not tell its setting: {}", check.name(), e.toString());
                setting = CheckSetting.OFF;
            }
            if (setting == null || setting.mode() == CheckSetting.Mode.OFF || setting.beforeIdentity() != before) {
                continue;
            }
            ScreeningResult result;
            try {
                result = check.check(new ScreeningInput(community, a.device.id(), before ? null : a.subjectId,
                        before ? SubjectType.UNKNOWN : a.subjectType, a.readings, a.frame, before ? null : a.probe));
                if (result == null) {
                    result = new ScreeningResult(check.name(), ScreeningResult.Outcome.NOT_MEASURED, "CHECK_ERROR",
                            null, null, "no result");
                }
            } catch (RuntimeException e) {
                LOG.warn("Screening check {} failed: {}", check.name(), e.toString());
                result = new ScreeningResult(check.name(), ScreeningResult.Outcome.NOT_MEASURED, "CHECK_ERROR", null,
                        null, e.getClass().getSimpleName());
            }
            String ref = "check=" + check.name() + ";code=" + result.reasonCode() + ";mode=" + setting.mode();
            if (result.measured() != null) {
                a.scores.put("screening." + check.name(), result.measured());
            }
            if (result.outcome() == ScreeningResult.Outcome.PASSED) {
                a.reasons.add(new GateReason("SCREENING_PASSED", result.measured(), result.limit(), ref));
                continue;
            }
            boolean hard = setting.mode() == CheckSetting.Mode.HARD;
            String code = result.outcome() == ScreeningResult.Outcome.NOT_MEASURED ? "SCREENING_NOT_MEASURED"
                    : hard ? "SCREENING_FAILED" : "SCREENING_FLAGGED";
            a.reasons.add(new GateReason(code, result.measured(), result.limit(), ref));
            a.screeningFailures.add(check.name() + " " + result.reasonCode()
                    + (result.measured() == null ? "" : " " + DecisionCodec.number(result.measured()))
                    + (result.limit() == null ? "" : " / " + DecisionCodec.number(result.limit())) + " " + setting.mode());
            if (hard) {
                a.deny();
            }
        }
        return a.verdict != Verdict.DENY;
    }

    /** One {@code SCREENING_FAILURE} alert for the passage, listing its failed checks; never fails the passage. */
    void raiseAlert(Attempt a) {
        try {
            alerts.raise(new Alert(UUID.randomUUID().toString(), a.device.communityId(), AlertType.SCREENING_FAILURE,
                    AlertSeverity.WARNING, AlertStatus.OPEN, a.passageId,
                    "screening at device " + a.device.id() + " (passage " + a.passageId + "): "
                            + String.join(", ", a.screeningFailures) + "; verdict " + a.verdict,
                    a.now, List.of()));
        } catch (RuntimeException e) {
            LOG.warn("Screening alert for passage {} not raised: {}", a.passageId, e.toString());
        }
    }
}

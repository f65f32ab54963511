package org.gatehouse.gate.api;

/**
 * A screening check (体温、口罩、人证比对 …), registered as a service; the gate collects every one of them (dynamic,
 * multiple) and runs each whose {@link #setting} for the device's community is not {@link CheckSetting.Mode#OFF},
 * before identity or after it as the setting says.
 *
 * <p>The gate applies the mode, not the check: a {@link ScreeningResult.Outcome#FAILED} result (and a
 * {@link ScreeningResult.Outcome#NOT_MEASURED} one: a hard rule cannot be dodged by not measuring) denies under
 * {@link CheckSetting.Mode#HARD} and allows with a flag under {@link CheckSetting.Mode#SOFT}. Every result is written
 * into the passage's decision, and the gate raises one {@code SCREENING_FAILURE} alert per failed passage — a check
 * never raises alerts itself. A check must be quick (it is on the hot path), thread-safe and must not keep the frame
 * or the ID-card photo. A check that throws counts as {@code NOT_MEASURED} with reason {@code CHECK_ERROR}.
 */
public interface ScreeningCheck {
    /** Stable name, e.g. {@code temperature}, {@code mask}, {@code id-card}; it prefixes the result in the decision. */
    String name();

    /** How this check applies in a community now (the check reads its own configuration). */
    CheckSetting setting(String communityId);

    /** Runs the check. {@code in.subjectId()} is null when it runs before identity. */
    ScreeningResult check(ScreeningInput in);
}

package org.gatehouse.screening.internal;

import org.slf4j.Logger;

/** Reason codes the checks share, and the one log line a configuration gets. */
final class Checks {
    /** The terminal sent nothing for this check (also the gate API's default for {@code notMeasured}). */
    static final String READING_MISSING = "READING_MISSING";
    /** The terminal sent a value no person can have: a faulty or forged sensor. */
    static final String READING_IMPLAUSIBLE = "READING_IMPLAUSIBLE";

    private Checks() {
    }

    /** Logs every corrected value at ERROR and the settings in force at INFO. */
    static void log(Logger log, String check, CommunitySettings settings, String extra) {
        settings.problems().forEach(log::error);
        log.info("Screening check {}: {}{}", check, settings.summary(), extra == null ? "" : "; " + extra);
    }
}

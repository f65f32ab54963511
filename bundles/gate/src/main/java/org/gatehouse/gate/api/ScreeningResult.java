package org.gatehouse.gate.api;

import java.util.Objects;

/**
 * One check's result; it goes into the passage's decision as codes and numbers.
 *
 * @param check      the check's {@link ScreeningCheck#name()}
 * @param outcome    passed, failed, or not measured (the reading was missing)
 * @param reasonCode stable code, e.g. {@code FEVER}, {@code NO_MASK}, {@code ID_PHOTO_MISMATCH},
 *                   {@code READING_MISSING}; {@code OK} when passed
 * @param measured   the measured value (temperature, similarity), null when none
 * @param limit      the limit it was held against, null when none
 * @param detail     free text for logs; codes and numbers only (no names, no images)
 */
public record ScreeningResult(String check, Outcome outcome, String reasonCode, Double measured, Double limit,
                             String detail) {
    public ScreeningResult {
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(outcome, "outcome");
        reasonCode = reasonCode == null || reasonCode.isBlank() ? outcome.name() : reasonCode;
        detail = detail == null ? "" : detail;
    }

    public enum Outcome {
        PASSED, FAILED, NOT_MEASURED
    }

    public static ScreeningResult passed(String check, Double measured, Double limit) {
        return new ScreeningResult(check, Outcome.PASSED, "OK", measured, limit, "");
    }

    public static ScreeningResult failed(String check, String reasonCode, Double measured, Double limit) {
        return new ScreeningResult(check, Outcome.FAILED, reasonCode, measured, limit, "");
    }

    public static ScreeningResult notMeasured(String check) {
        return new ScreeningResult(check, Outcome.NOT_MEASURED, "READING_MISSING", null, null, "");
    }
}

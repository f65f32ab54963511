package org.gatehouse.api.model;

import java.time.Instant;
import java.util.Objects;

/** Someone took note of an alert, e.g. after a home visit (上门走访). */
public record Acknowledgement(String by, Instant at, String note) {
    public Acknowledgement {
        Validation.requireText(by, "by");
        Validation.require(at, "at");
        note = Objects.requireNonNullElse(note, "");
    }
}

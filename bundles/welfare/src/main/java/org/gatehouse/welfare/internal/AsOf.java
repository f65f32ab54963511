package org.gatehouse.welfare.internal;

import static org.gatehouse.welfare.internal.Messages.MESSAGES;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** The time the detectors are run as of: an ISO-8601 date-time with an offset, e.g. 2026-12-01T08:00+08:00. */
final class AsOf {
    private AsOf() {
    }

    /** Null or blank = now (null); anything else that is not a date-time with an offset is a 400 saying so. */
    static Instant parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text.trim()).toInstant();
        } catch (DateTimeParseException e) {
            throw MESSAGES.badRequest("welfare.badAsOf", text);
        }
    }
}

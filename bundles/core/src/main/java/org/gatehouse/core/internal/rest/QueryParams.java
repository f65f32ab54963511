package org.gatehouse.core.internal.rest;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Query parameters the API resources share. */
final class QueryParams {
    private QueryParams() {
    }

    /** An ISO-8601 instant, or null when absent; a malformed one is a 400 naming the parameter. */
    static Instant instant(String value, String name) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + " must be an ISO-8601 instant, e.g. 2026-11-23T08:00:00Z");
        }
    }
}

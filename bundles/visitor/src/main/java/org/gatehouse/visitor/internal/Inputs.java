package org.gatehouse.visitor.internal;

import static org.gatehouse.visitor.internal.Messages.MESSAGES;

import java.time.Duration;
import java.time.Instant;
import org.gatehouse.core.api.Refusal;

/** Checks of what a form sends (a registration, a pass request): 400 {@link Refusal}s. */
final class Inputs {
    private Inputs() {
    }

    static void require(Object value, String field) {
        if (value == null || (value instanceof String s && s.isBlank())) {
            throw MESSAGES.badRequest("field.required", field);
        }
    }

    static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    /** A window that ends after it starts and lasts at most {@code maxWindowHours}. */
    static void checkWindow(Instant from, Instant until, int maxWindowHours) {
        if (!until.isAfter(from)) {
            throw MESSAGES.badRequest("window.invalid");
        }
        if (Duration.between(from, until).compareTo(Duration.ofHours(maxWindowHours)) > 0) {
            throw MESSAGES.badRequest("window.tooLong", maxWindowHours);
        }
    }
}

package org.gatehouse.visitor.internal;

import java.time.Duration;
import java.time.Instant;

/** Checks of what a form sends (a registration, a pass request): 400 {@link Refusal}s. */
final class Inputs {
    private Inputs() {
    }

    static void require(Object value, String field) {
        if (value == null || (value instanceof String s && s.isBlank())) {
            throw Refusal.badRequest("field.required", field);
        }
    }

    static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    /** A window that ends after it starts and lasts at most {@code maxWindowHours}. */
    static void checkWindow(Instant from, Instant until, int maxWindowHours) {
        if (!until.isAfter(from)) {
            throw Refusal.badRequest("window.invalid");
        }
        if (Duration.between(from, until).compareTo(Duration.ofHours(maxWindowHours)) > 0) {
            throw Refusal.badRequest("window.tooLong", maxWindowHours);
        }
    }
}

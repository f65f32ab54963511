package org.gatehouse.api.model;

/** Argument checks shared by the records; messages name the field so an API can report it. */
public final class Validation {
    private Validation() {
    }

    public static <T> T require(T value, String field) {
        if (value == null) {
            throw new IllegalArgumentException(field + " is required");
        }
        return value;
    }

    public static String requireText(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " is required");
        }
        return value;
    }
}

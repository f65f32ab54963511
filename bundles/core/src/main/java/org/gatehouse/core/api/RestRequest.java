package org.gatehouse.core.api;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/** One API request as a handler sees it. */
public interface RestRequest {
    Caller caller();

    /** A {@code {name}} segment of the route's path. */
    String path(String name);

    Optional<String> query(String name);

    /** The JSON body read as {@code type}; a malformed body or field is a 400 naming the field. */
    <T> T body(Class<T> type);

    /** A part of a multipart/form-data request. */
    Optional<InputStream> part(String name) throws IOException;

    /** Integer query parameter with bounds; a bad value is a 400 naming the parameter. */
    default int queryInt(String name, int defaultValue, int min, int max) {
        String raw = query(name).orElse(null);
        if (raw == null || raw.isBlank()) {
            return defaultValue;
        }
        try {
            int value = Integer.parseInt(raw.trim());
            if (value < min || value > max) {
                throw new IllegalArgumentException(name + " must be between " + min + " and " + max);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be an integer");
        }
    }
}

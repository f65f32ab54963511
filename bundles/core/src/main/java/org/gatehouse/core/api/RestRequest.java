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

    /** The language the caller asked for (Accept-Language), for messages in Chinese or English. */
    java.util.Locale locale();

    /**
     * A part of a multipart/form-data request read into memory, refused with 413 above {@code maxBytes}
     * (the rest of an oversized upload is not buffered).
     */
    default byte[] partBytes(String name, int maxBytes) throws IOException {
        InputStream in = part(name).orElseThrow(() -> new IllegalArgumentException("part '" + name + "' is required"));
        try (in) {
            byte[] bytes = in.readNBytes(maxBytes + 1);
            if (bytes.length > maxBytes) {
                throw new RestException(413, "PAYLOAD_TOO_LARGE", "part '" + name + "' is larger than " + maxBytes + " bytes");
            }
            return bytes;
        }
    }

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

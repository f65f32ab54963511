package org.gatehouse.api.json;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The JSON form of the api records, the same wherever they are written: the REST API, the outbox's stream
 * events, the store's JSON columns, subject exports. {@code java.time} values as ISO-8601 text, never numbers.
 * Each user adds only its reading policy to {@link #builder()}: the REST API refuses unknown fields
 * ({@link #strict()}), stored JSON and events are read leniently ({@link #lenient()}: a record written by a newer
 * version stays readable).
 */
public final class ApiJson {
    private ApiJson() {
    }

    /** java.time support, ISO-8601 text for times; every other setting Jackson's default. */
    public static JsonMapper.Builder builder() {
        return JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    }

    /** For what clients send: unknown fields and null for a primitive are refused. */
    public static JsonMapper strict() {
        return builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .build();
    }

    /** For what the platform stored or published: unknown fields ignored, times kept in the offset written. */
    public static JsonMapper lenient() {
        return builder()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
                .build();
    }
}

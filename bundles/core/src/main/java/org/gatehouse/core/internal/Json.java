package org.gatehouse.core.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.gatehouse.api.json.ApiJson;

/** The JSON mapping of the platform: api records as they are, ISO-8601 times, unknown fields refused. */
public final class Json {
    private static final ObjectMapper MAPPER = ApiJson.strict();

    private Json() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("Cannot write JSON for " + value.getClass().getName(), e);
        }
    }
}

package org.gatehouse.core.internal.rest;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.gatehouse.core.api.Caller;
import org.gatehouse.core.api.RestRequest;
import org.gatehouse.core.internal.Json;

/** A {@link RestRequest} made in-process ({@link org.gatehouse.core.api.LocalApi}): body and parts already in memory. */
final class LocalRestRequest implements RestRequest {
    private final Caller caller;
    private final Locale locale;
    private final Map<String, String> pathParameters;
    private final Map<String, String> query;
    private final Object body;
    private final Map<String, byte[]> parts;

    LocalRestRequest(Caller caller, Locale locale, Map<String, String> pathParameters, Map<String, String> query,
                     Object body, Map<String, byte[]> parts) {
        this.caller = caller;
        this.locale = locale;
        this.pathParameters = pathParameters;
        this.query = query == null ? Map.of() : query;
        this.body = body;
        this.parts = parts == null ? Map.of() : parts;
    }

    @Override
    public Caller caller() {
        return caller;
    }

    @Override
    public String path(String name) {
        String value = pathParameters.get(name);
        if (value == null) {
            throw new IllegalStateException("Route has no path parameter '" + name + "'");
        }
        return value;
    }

    @Override
    public Optional<String> query(String name) {
        return Optional.ofNullable(query.get(name));
    }

    @Override
    public Locale locale() {
        return locale;
    }

    /** The body read as {@code type} the way a JSON body over HTTP is: a wrong field is a 400 naming it. */
    @Override
    public <T> T body(Class<T> type) {
        if (body == null) {
            throw new ApiException(400, "BAD_REQUEST", "A JSON body is required");
        }
        try {
            return Json.mapper().readValue(Json.mapper().writeValueAsBytes(body), type);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ApiException(400, "BAD_REQUEST", ErrorMapping.describe(e));
        } catch (java.io.IOException e) {
            throw new ApiException(400, "BAD_REQUEST", "Cannot read the request body: " + e.getMessage());
        }
    }

    @Override
    public Optional<InputStream> part(String name) {
        byte[] bytes = parts.get(name);
        return bytes == null ? Optional.empty() : Optional.of(new ByteArrayInputStream(bytes));
    }
}

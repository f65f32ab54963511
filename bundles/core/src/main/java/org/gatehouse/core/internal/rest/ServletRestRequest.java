package org.gatehouse.core.internal.rest;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;

import javax.servlet.ServletException;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.Part;

import org.gatehouse.core.api.Caller;
import org.gatehouse.core.api.RestRequest;
import org.gatehouse.core.internal.Json;

/** A {@link RestRequest} over a servlet request. */
final class ServletRestRequest implements RestRequest {
    private final HttpServletRequest request;
    private final Caller caller;
    private final Map<String, String> pathParameters;

    ServletRestRequest(HttpServletRequest request, Caller caller, Map<String, String> pathParameters) {
        this.request = request;
        this.caller = caller;
        this.pathParameters = pathParameters;
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
        try {
            return Optional.ofNullable(request.getParameter(name));
        } catch (RuntimeException e) {
            // Jetty parses the query on first use and throws BadMessageException for a broken %-escape (?limit=%ZZ)
            throw new ApiException(400, "BAD_REQUEST", "The query string cannot be decoded: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
    }

    @Override
    public java.util.Locale locale() {
        return request.getLocale();
    }

    @Override
    public <T> T body(Class<T> type) {
        String contentType = request.getContentType();
        // no Content-Type is not JSON: a browser form can send a body without one (or as text/plain) across sites
        if (contentType == null || !contentType.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            throw new ApiException(415, "UNSUPPORTED_MEDIA_TYPE",
                    "Send the body as application/json (with the header Content-Type: application/json)");
        }
        try (InputStream in = request.getInputStream()) {
            byte[] bytes = in.readNBytes(MAX_JSON_BYTES + 1);
            if (bytes.length > MAX_JSON_BYTES) {
                throw new ApiException(413, "PAYLOAD_TOO_LARGE", "JSON bodies are limited to " + MAX_JSON_BYTES + " bytes");
            }
            if (bytes.length == 0) {
                throw new ApiException(400, "BAD_REQUEST", "A JSON body is required");
            }
            if (nesting(bytes) > MAX_JSON_NESTING) {
                // Jackson 2.14 has no depth limit: thousands of [[[[ would overflow the parser's stack
                throw new ApiException(400, "BAD_REQUEST", "JSON nested deeper than " + MAX_JSON_NESTING + " levels");
            }
            T value = Json.mapper().readValue(bytes, type);
            if (value == null) {
                throw new ApiException(400, "BAD_REQUEST", "A JSON object is required");
            }
            return value;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ApiException(400, "BAD_REQUEST", ErrorMapping.describe(e));
        } catch (IOException e) {
            throw new ApiException(400, "BAD_REQUEST", "Cannot read the request body: " + e.getMessage());
        }
    }

    @Override
    public Optional<InputStream> part(String name) throws IOException {
        try {
            Part part = request.getPart(name);
            return part == null ? Optional.empty() : Optional.of(part.getInputStream());
        } catch (ServletException | IllegalStateException | IOException e) {
            // e.g. "Missing initial multi part boundary": the body is not the multipart form it says it is
            throw new ApiException(400, "BAD_REQUEST", "Expected multipart/form-data with a part '" + name + "': "
                    + e.getMessage());
        }
    }

    static final int MAX_JSON_BYTES = 1 << 20;
    static final int MAX_JSON_NESTING = 64;

    /** The deepest nesting of objects and arrays in {@code json} (brackets inside strings do not count). */
    static int nesting(byte[] json) {
        int depth = 0;
        int max = 0;
        boolean inString = false;
        for (int i = 0; i < json.length; i++) {
            byte b = json[i];
            if (inString) {
                if (b == '\\') {
                    i++;
                } else if (b == '"') {
                    inString = false;
                }
            } else if (b == '"') {
                inString = true;
            } else if (b == '{' || b == '[') {
                max = Math.max(max, ++depth);
            } else if (b == '}' || b == ']') {
                depth--;
            }
        }
        return max;
    }
}

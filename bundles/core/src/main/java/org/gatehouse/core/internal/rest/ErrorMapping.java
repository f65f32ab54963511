package org.gatehouse.core.internal.rest;

import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import org.gatehouse.api.service.ConflictException;
import org.gatehouse.api.service.GatehouseException;
import org.gatehouse.api.service.NotFoundException;
import org.gatehouse.api.service.OutOfScopeException;
import org.gatehouse.api.service.StoreUnavailableException;
import org.gatehouse.core.api.Refusal;
import org.gatehouse.core.api.RestException;

/** Turns what a handler threw into the status, code and message the client gets. */
final class ErrorMapping {
    private ErrorMapping() {
    }

    static ApiError toError(Throwable t) {
        return toError(t, java.util.Locale.ROOT);
    }

    /** As {@link #toError(Throwable)}, a module's {@link Refusal} in the caller's language. */
    static ApiError toError(Throwable t, java.util.Locale locale) {
        if (t instanceof Refusal refusal) {
            return new ApiError(refusal.status(), refusal.code(), refusal.message(locale));
        }
        if (t instanceof RestException rest) {
            return new ApiError(rest.status(), rest.code(), rest.getMessage());
        }
        if (t instanceof JsonProcessingException json) {
            return new ApiError(400, "BAD_REQUEST", describe(json));
        }
        if (t instanceof NotFoundException e) {
            return new ApiError(404, e.code(), e.getMessage());
        }
        if (t instanceof ConflictException e) {
            return new ApiError(409, e.code(), e.getMessage());
        }
        if (t instanceof OutOfScopeException e) {
            return new ApiError(403, e.code(), e.getMessage());
        }
        if (t instanceof StoreUnavailableException e) {
            return new ApiError(503, e.code(), "The database is not reachable; try again later");
        }
        if (t instanceof GatehouseException e) {
            return new ApiError(400, e.code(), e.getMessage());
        }
        if (t instanceof IllegalArgumentException) {
            return new ApiError(400, "BAD_REQUEST", t.getMessage());
        }
        return new ApiError(500, "INTERNAL_ERROR", "Internal error; see the server log");
    }

    /** "field 'floor': ..." for a wrong field, the record's own check for a missing one. */
    static String describe(JsonProcessingException e) {
        if (e instanceof ValueInstantiationException vi && vi.getCause() != null) {
            return vi.getCause().getMessage();
        }
        if (e instanceof UnrecognizedPropertyException up) {
            return "unknown field '" + up.getPropertyName() + "'";
        }
        if (e instanceof JsonMappingException jm && !jm.getPath().isEmpty()) {
            String field = jm.getPath().stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining("."));
            return "field '" + field + "': " + jm.getOriginalMessage().split("\n")[0];
        }
        return "malformed JSON: " + e.getOriginalMessage();
    }
}

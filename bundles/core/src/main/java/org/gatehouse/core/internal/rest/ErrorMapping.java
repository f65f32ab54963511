package org.gatehouse.core.internal.rest;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.Collection;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import org.gatehouse.api.service.ConflictException;
import org.gatehouse.api.service.GatehouseException;
import org.gatehouse.api.service.NotFoundException;
import org.gatehouse.api.service.OutOfScopeException;
import org.gatehouse.api.service.StoreUnavailableException;
import org.gatehouse.core.api.Refusal;
import org.gatehouse.core.api.RestErrorMapper;
import org.gatehouse.core.api.RestException;

/** Turns what a handler threw into the status, code and message the client gets. */
final class ErrorMapping {
    private ErrorMapping() {
    }

    static ApiError toError(Throwable t) {
        return toError(t, java.util.Locale.ROOT);
    }

    /**
     * As {@link #toError(Throwable, java.util.Locale)}, asking the modules' registered mappers first (the first
     * that knows the exception answers).
     */
    static ApiError toError(Throwable t, java.util.Locale locale, Iterable<RestErrorMapper> mappers) {
        for (RestErrorMapper mapper : mappers) {
            RestException mapped = mapper.toRest(t, locale);
            if (mapped != null) {
                return toError(mapped, locale);
            }
        }
        return toError(t, locale);
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
        if ("BadMessageException".equals(t.getClass().getSimpleName())) {
            // Jetty refusing what the client sent (a URI or header it cannot parse): the client's error
            return new ApiError(400, "BAD_REQUEST", "The request cannot be read: " + t.getMessage());
        }
        return new ApiError(500, "INTERNAL_ERROR", "Internal error; see the server log");
    }

    /**
     * What was wrong with a JSON body, in words a client developer can act on: which field, what it held,
     * what it must hold (the allowed values of an enum, the form of a date) — never a Java class name.
     */
    static String describe(JsonProcessingException e) {
        if (e instanceof ValueInstantiationException vi && vi.getCause() != null) {
            return vi.getCause().getMessage();
        }
        if (e instanceof UnrecognizedPropertyException up) {
            String known = up.getKnownPropertyIds() == null ? "" : up.getKnownPropertyIds().stream()
                    .map(String::valueOf).sorted().collect(Collectors.joining(", "));
            return "unknown field '" + up.getPropertyName() + "'" + (known.isEmpty() ? "" : "; known fields: " + known);
        }
        if (e instanceof JsonMappingException jm && !jm.getPath().isEmpty()) {
            String field = "field '" + jm.getPath().stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining(".")) + "'";
            if (e instanceof InvalidFormatException bad && bad.getTargetType() != null) {
                Class<?> type = bad.getTargetType();
                if (type.isEnum()) {
                    return field + ": '" + bad.getValue() + "' is not allowed; use one of "
                            + Arrays.stream(type.getEnumConstants()).map(String::valueOf)
                                    .collect(Collectors.joining(", "));
                }
                return field + ": '" + bad.getValue() + "' is not " + expected(type);
            }
            if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
                return field + ": expected " + expected(mismatch.getTargetType());
            }
            return field + ": " + withoutClassNames(jm.getOriginalMessage());
        }
        return "malformed JSON: " + withoutClassNames(e.getOriginalMessage());
    }

    /** "a whole number", "a date (YYYY-MM-DD)", … for the Java type a field has. */
    static String expected(Class<?> type) {
        if (type.isEnum()) {
            return "one of " + Arrays.stream(type.getEnumConstants()).map(String::valueOf)
                    .collect(Collectors.joining(", "));
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class
                || type == short.class || type == Short.class) {
            return "a whole number";
        }
        if (type == double.class || type == Double.class || type == float.class || type == Float.class
                || Number.class.isAssignableFrom(type)) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == Instant.class || type == OffsetDateTime.class || type == ZonedDateTime.class) {
            return "a time (ISO 8601 with a zone, e.g. 2026-12-01T08:30:00Z)";
        }
        if (type == LocalDate.class) {
            return "a date (YYYY-MM-DD)";
        }
        if (type == String.class || CharSequence.class.isAssignableFrom(type)) {
            return "a string";
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "a list";
        }
        return "an object";
    }

    /** The first line of a Jackson message, Java class names in backticks reduced to their simple names. */
    static String withoutClassNames(String message) {
        String first = message == null ? "" : message.split("\n")[0];
        return CLASS_NAME.matcher(first).replaceAll(m -> {
            String name = m.group(1);
            return "'" + name.substring(name.lastIndexOf('.') + 1).replace('$', '.') + "'";
        });
    }

    private static final Pattern CLASS_NAME = Pattern.compile("`([a-zA-Z_$][\\w$]*(?:\\.[\\w$]+)+)`");
}

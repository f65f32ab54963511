package org.gatehouse.core.api;

import java.util.Locale;
import java.util.Map;

/**
 * The REST API called in-process, for a user logged in here (the portal): the same routes, roles, scope checks,
 * validation, audit entries and error messages as over HTTP, so a screen can allow nothing the API would refuse.
 * Bodies go in and come out as plain JSON values: {@code Map<String, Object>}, {@code List<Object>}, strings,
 * numbers, booleans and {@code null}.
 */
public interface LocalApi {
    /**
     * Logs a person in as the API does: the same realm and the same throttling (a user name or address locked after
     * repeated failures is refused without its password being checked, and the lockout is audited).
     *
     * @param address where the person connects from (throttled like an API client's address)
     * @throws RestException 401 for a wrong name or password, 429 while locked out, 503 when the realm cannot work
     */
    Caller login(String user, char[] password, String address);

    /**
     * Calls {@code method path} (as under /api, e.g. {@code GET /communities/SUNSHINE/residents}) as {@code caller}.
     *
     * @param query query parameters (may be empty)
     * @param body the JSON body as plain values, or {@code null}
     * @param parts multipart parts by name (uploads), or an empty map
     * @return the answer; errors are answers too ({@link Answer#ok()} false, body {@code {status, code, message}}
     *     in {@code locale})
     */
    Answer call(Caller caller, Locale locale, String method, String path, Map<String, String> query, Object body,
                Map<String, byte[]> parts);

    /** The answer to one call: its HTTP status and its JSON body as plain values. */
    record Answer(int status, Object body) {
        public boolean ok() {
            return status < 400;
        }

        /** The error's message, or {@code null} for a success. */
        @SuppressWarnings("unchecked")
        public String message() {
            return ok() || !(body instanceof Map<?, ?> m) ? null : String.valueOf(((Map<String, Object>) m).get("message"));
        }

        /** The error's code (e.g. {@code FORBIDDEN}), or {@code null} for a success. */
        public String code() {
            return ok() || !(body instanceof Map<?, ?> m) ? null : String.valueOf(m.get("code"));
        }
    }
}

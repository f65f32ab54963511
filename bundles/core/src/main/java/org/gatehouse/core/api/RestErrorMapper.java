package org.gatehouse.core.api;

import java.util.Locale;

/**
 * Turns a module's own exception into the answer a client gets. A module registers one as a service for the
 * exceptions it defines (the faces bundle maps {@code FaceException}); the API consults the registered mappers
 * before its own mapping of the platform's exceptions, so handlers return their result plainly and no handler
 * wraps its body to translate errors.
 */
@FunctionalInterface
public interface RestErrorMapper {
    /** The answer for {@code error} in {@code locale}, or {@code null} when this mapper does not know it. */
    RestException toRest(Throwable error, Locale locale);
}

package org.gatehouse.core.api;

/**
 * Thrown by a handler to answer with a given status, a stable code and a message, e.g. a module's own
 * validation error (413 for an image that is too large, 422 for a face that is not usable).
 */
public class RestException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String code;
    private final long retryAfterSeconds;

    public RestException(int status, String code, String message) {
        this(status, code, message, -1);
    }

    /** An answer that tells the client when to try again ({@code Retry-After}), e.g. 429 or 503. */
    public RestException(int status, String code, String message, long retryAfterSeconds) {
        super(message);
        this.status = status;
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** Seconds after which trying again makes sense, or -1 when the answer does not say. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}

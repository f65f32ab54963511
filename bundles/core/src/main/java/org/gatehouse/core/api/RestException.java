package org.gatehouse.core.api;

/**
 * Thrown by a handler to answer with a given status, a stable code and a message, e.g. a module's own
 * validation error (413 for an image that is too large, 422 for a face that is not usable).
 */
public class RestException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String code;

    public RestException(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}

package org.gatehouse.api.service;

/** Base of the exceptions that services throw on purpose; {@link #code()} is stable and reaches API clients. */
public class GatehouseException extends RuntimeException {
    private final String code;

    public GatehouseException(String code, String message) {
        super(message);
        this.code = code;
    }

    public GatehouseException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public String code() {
        return code;
    }
}

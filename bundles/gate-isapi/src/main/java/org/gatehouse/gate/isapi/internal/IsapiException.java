package org.gatehouse.gate.isapi.internal;

/**
 * A call to a terminal that did not do what was asked, with a stable {@code code}: {@code UNREACHABLE},
 * {@code TIMEOUT}, {@code AUTH_FAILED}, {@code HTTP_<status>}, {@code REFUSED} (the terminal answered with a failing
 * ISAPI status) or {@code MALFORMED} (an answer that cannot be read). The message never holds a password.
 */
public class IsapiException extends RuntimeException {
    private final String code;

    public IsapiException(String code, String message) {
        super(code + ": " + message);
        this.code = code;
    }

    public IsapiException(String code, String message, Throwable cause) {
        super(code + ": " + message, cause);
        this.code = code;
    }

    public String code() {
        return code;
    }
}

package org.gatehouse.core.internal.rest;

/** An error the API answers with as it is (status, code, message). */
public class ApiException extends RuntimeException {
    private final int status;
    private final String code;

    public ApiException(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    public ApiError toError() {
        return new ApiError(status, code, getMessage());
    }

    public int status() {
        return status;
    }
}

package org.gatehouse.core.internal.rest;

import org.gatehouse.core.api.RestException;

/** An error the API answers with as it is (status, code, message). */
public class ApiException extends RestException {
    private static final long serialVersionUID = 1L;

    public ApiException(int status, String code, String message) {
        super(status, code, message);
    }

    public ApiException(int status, String code, String message, long retryAfterSeconds) {
        super(status, code, message, retryAfterSeconds);
    }

    public ApiError toError() {
        return new ApiError(status(), code(), getMessage());
    }
}

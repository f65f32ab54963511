package org.gatehouse.core.api;

/** A handler's answer when 200 with a JSON body is not enough. */
public record RestResponse(int status, Object body) {
    public static RestResponse created(Object body) {
        return new RestResponse(201, body);
    }

    public static RestResponse accepted(Object body) {
        return new RestResponse(202, body);
    }

    public static RestResponse noContent() {
        return new RestResponse(204, null);
    }
}

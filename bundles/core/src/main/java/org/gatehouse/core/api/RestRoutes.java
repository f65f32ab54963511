package org.gatehouse.core.api;

import java.util.Set;

/**
 * Collects a resource's routes. Paths are relative to {@code /api} and may hold {@code {name}}
 * segments. {@code roles} is one of {@link Roles}' sets: empty = public, {@code *} = any authenticated
 * caller, otherwise any one of the roles. Summary and types feed the OpenAPI document.
 */
public interface RestRoutes {
    RestRoutes route(String method, String path, Set<String> roles, String summary, Class<?> requestType,
                     Class<?> responseType, RestHandler handler);

    default RestRoutes get(String path, Set<String> roles, String summary, Class<?> responseType, RestHandler handler) {
        return route("GET", path, roles, summary, null, responseType, handler);
    }

    default RestRoutes post(String path, Set<String> roles, String summary, Class<?> requestType,
                            Class<?> responseType, RestHandler handler) {
        return route("POST", path, roles, summary, requestType, responseType, handler);
    }

    default RestRoutes put(String path, Set<String> roles, String summary, Class<?> requestType,
                           Class<?> responseType, RestHandler handler) {
        return route("PUT", path, roles, summary, requestType, responseType, handler);
    }

    default RestRoutes delete(String path, Set<String> roles, String summary, RestHandler handler) {
        return route("DELETE", path, roles, summary, null, null, handler);
    }
}

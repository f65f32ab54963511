package org.gatehouse.core.api;

/**
 * Whiteboard service: a module registers one to serve part of {@code /api}. Its routes appear (and
 * disappear) with the service, and in {@code /api/openapi.json}. {@link #tag()} groups them there.
 */
public interface RestResource {
    String tag();

    void routes(RestRoutes routes);
}

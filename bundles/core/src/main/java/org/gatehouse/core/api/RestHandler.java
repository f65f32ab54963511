package org.gatehouse.core.api;

/** Handles one API route. Return a value to send as JSON (200), a {@link RestResponse}, or throw. */
@FunctionalInterface
public interface RestHandler {
    Object handle(RestRequest request) throws Exception;
}

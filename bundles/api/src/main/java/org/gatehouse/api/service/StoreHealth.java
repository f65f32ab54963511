package org.gatehouse.api.service;

/** Whether the database answers, for health checks and {@code gatehouse:status}. */
public interface StoreHealth {
    Status status();

    /**
     * @param up            the database answered a query just now
     * @param database      product name and version, e.g. "H2 2.3.232"
     * @param url           JDBC URL without credentials
     * @param schemaVersion the last migration applied
     * @param detail        the error when down, else empty
     */
    record Status(boolean up, String database, String url, int schemaVersion, long latencyMillis, String detail) {
    }
}

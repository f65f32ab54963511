package org.gatehouse.api.service;

/** The database cannot be reached; the request may be retried later and nothing was written. */
public class StoreUnavailableException extends GatehouseException {
    public StoreUnavailableException(String message, Throwable cause) {
        super("STORE_UNAVAILABLE", message, cause);
    }
}

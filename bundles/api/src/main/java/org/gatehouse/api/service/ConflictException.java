package org.gatehouse.api.service;

/** The request clashes with what is stored: a duplicate code, a row that others still refer to. */
public class ConflictException extends GatehouseException {
    public ConflictException(String message) {
        super("CONFLICT", message);
    }
}

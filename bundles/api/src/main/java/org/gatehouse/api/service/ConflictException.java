package org.gatehouse.api.service;

/** The request clashes with what is stored: a duplicate code, a row that others still refer to. */
public class ConflictException extends GatehouseException {
    public ConflictException(String message) {
        super("CONFLICT", message);
    }

    /** A conflict with its own stable code (subclasses). */
    protected ConflictException(String code, String message) {
        super(code, message);
    }
}

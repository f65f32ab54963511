package org.gatehouse.api.service;

/** An id that names nothing (in the caller's scope). */
public class NotFoundException extends GatehouseException {
    public NotFoundException(String entity, String id) {
        super("NOT_FOUND", entity + " '" + id + "' not found");
    }
}

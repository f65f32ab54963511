package org.gatehouse.api.service;

/** The caller may not act on this community. */
public class OutOfScopeException extends GatehouseException {
    public OutOfScopeException(String communityId) {
        super("FORBIDDEN", "not allowed for community '" + communityId + "'");
    }
}

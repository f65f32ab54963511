package org.gatehouse.api.service;

/**
 * Published by a device adapter whose terminals keep their own face list and match faces themselves (they need a
 * photo; a Gatehouse template means nothing to them). While a service says yes for a community, a face enrolled
 * there is kept with a small face photo, sealed with its template and deleted with it; otherwise no photo is kept.
 * Faces enrolled before the terminals were configured have none: they are enrolled again to reach the terminal.
 */
public interface TerminalFaceDemand {
    /** Whether a terminal of {@code communityId} needs face photos. */
    boolean keepsFacePhotos(String communityId);
}

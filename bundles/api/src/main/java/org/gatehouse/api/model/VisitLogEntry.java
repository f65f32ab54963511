package org.gatehouse.api.model;

import java.time.Instant;

/**
 * One line of the traceable visitor log: who registered, who approved, which gate, when.
 * {@code event} e.g. REGISTERED, APPROVED, REJECTED, PASS_ISSUED, PASS_USED, PASS_REFUSED,
 * PASS_REVOKED, REMOTE_OPEN, REMOTE_OPEN_REFUSED, CHECKS_LOCKED.
 */
public record VisitLogEntry(String id, String communityId, String visitorId, String passId, String event,
                            String actor, String gate, Instant at, String detail) {
    public VisitLogEntry {
        Validation.requireText(id, "id");
        Validation.requireText(communityId, "communityId");
        Validation.requireText(event, "event");
        Validation.requireText(actor, "actor");
        Validation.require(at, "at");
        detail = detail == null ? "" : detail;
    }
}

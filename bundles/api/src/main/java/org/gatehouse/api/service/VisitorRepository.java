package org.gatehouse.api.service;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.gatehouse.api.model.VisitLogEntry;
import org.gatehouse.api.model.Visitor;
import org.gatehouse.api.model.VisitorPass;
import org.gatehouse.api.model.VisitorStatus;

/**
 * Visitors, their temporary passes and the visitor log. A pass's {@code code} is stored as given by
 * the caller — the visitor module passes a keyed hash of the 6-digit code, never the code itself.
 */
public interface VisitorRepository {
    /** {@link #register(Scope, Visitor, String)} by no gate terminal. */
    default Visitor register(Scope scope, Visitor draft) {
        return register(scope, draft, null);
    }

    /**
     * Stores a new registration (the id in {@code draft} is ignored and assigned). A registration stored as
     * {@code WAITING_APPROVAL} appends, in the same transaction, a {@code VISITOR_WAITING} event to the {@code alerts}
     * outbox ({@link org.gatehouse.api.model.Alert#visit()}: the visitor, the flat, the residents to tell);
     * {@code deviceId} is the gate terminal that registered the visitor (null: none), which must be a device of the
     * household's community ({@link NotFoundException} otherwise).
     */
    Visitor register(Scope scope, Visitor draft, String deviceId);

    Optional<Visitor> visitor(Scope scope, String id);

    /** Newest first; {@code status} null = any. */
    List<Visitor> visitors(Scope scope, String communityId, VisitorStatus status, int limit);

    /**
     * Sets the decision once (WAITING_APPROVAL → APPROVED / REJECTED, or → CLOSED); {@link ConflictException} otherwise.
     * Leaving WAITING_APPROVAL appends, in the same transaction, a {@code VISITOR_WAITING_CLOSED} event to the
     * {@code alerts} outbox.
     */
    Visitor decide(Scope scope, String visitorId, VisitorStatus decision, String decidedBy);

    /**
     * Stores a pass (the id in {@code draft} is ignored and assigned). A {@code buildingId} in the draft must be a
     * building of the visitor's community ({@link NotFoundException} otherwise).
     */
    VisitorPass issuePass(Scope scope, String visitorId, VisitorPass draft);

    Optional<VisitorPass> pass(Scope scope, String passId);

    /** The pass of a community with this (hashed) code that is not revoked, if any. */
    Optional<VisitorPass> passByCode(Scope scope, String communityId, String code);

    List<VisitorPass> passesOf(Scope scope, String visitorId);

    /**
     * Counts one use atomically if the pass is usable at {@code at} for {@code gate}
     * ({@link VisitorPass#opens}); returns the updated pass, or empty if it was not usable (no use counted).
     */
    Optional<VisitorPass> usePass(Scope scope, String passId, String gate, Instant at);

    /**
     * Counts one use atomically if the pass is usable at {@code at} at the gate of the stored device
     * {@code deviceId} ({@link VisitorPass#opens(org.gatehouse.api.model.Device, Instant)}: the device's gate
     * name, and for a building-limited pass a compound gate or a door of that building); returns the updated
     * pass, or empty if it was not usable (no use counted). The device is read from the store, never taken from
     * the caller: a device that does not exist or is not in the pass's community is {@link NotFoundException}.
     */
    Optional<VisitorPass> usePassAtDevice(Scope scope, String passId, String deviceId, Instant at);

    VisitorPass revokePass(Scope scope, String passId);

    VisitLogEntry log(Scope scope, VisitLogEntry entry);

    /** Newest first. */
    List<VisitLogEntry> log(Scope scope, String communityId, Instant from, Instant to, int limit);
}

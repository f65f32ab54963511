package org.gatehouse.visitor.internal;

import org.gatehouse.core.api.Caller;

/**
 * One-click open (一键开门): a resident opens a gate of their own building (or a compound gate, null building, of
 * their community), only while they live there, as the gate would check them. Every use and every refusal is logged
 * ({@code REMOTE_OPEN} / {@code REMOTE_OPEN_REFUSED}) and audited ({@code gate.remote-open[.refused]}). An allowed
 * open sends the door command through the gate module ({@link org.gatehouse.api.service.DoorCommands}), which moves
 * the device's door and records the passage; without the gate module the answer says that no door was moved.
 */
public interface RemoteOpen {
    /** Roles {@code resident:<residentId>} name the resident records a login belongs to. */
    String RESIDENT_ID_PREFIX = "resident:";

    /**
     * The answer to a one-click open.
     *
     * @param command   always {@code OPEN}
     * @param door      what the door did: {@code OPENED}, {@code FAILED} (the gate's adapter did not open it, see
     *                  {@code reason}) or {@code NOT_SENT} (no gate module installed: no door was moved)
     * @param reason    why the door did not open (empty when it did)
     * @param passageId the passage the gate recorded (null when no command was sent)
     */
    record OpenCommand(String deviceId, String gate, String command, String door, String reason, String passageId) {
    }

    /**
     * Opens {@code deviceId} for the caller, acting for {@code householdId} (null or blank: any of its households).
     * The resident must not be removed (moved out) and their lease (validity window) must cover now. A login that
     * names its resident ({@code resident:<id>} roles) is checked as that person; a login with only
     * {@code household:<id>} needs a resident of the household who is not removed and whose lease covers now.
     * Otherwise 403 {@code FORBIDDEN}, {@code NOT_REGISTERED}, {@code NOT_YET_VALID} or {@code LEASE_ENDED}.
     */
    OpenCommand open(Caller c, String deviceId, String householdId);
}

package org.gatehouse.gate.api;

import java.util.Objects;

/**
 * What became of a door command.
 *
 * @param state   opened, failed, or not sent (the passage was denied, or no adapter)
 * @param adapter the adapter's kind (null when none was found)
 * @param reason  a stable code when not opened, e.g. {@code NO_ADAPTER}, {@code TIMEOUT}, {@code DENIED}
 */
public record DoorOutcome(State state, String adapter, String reason) {
    public DoorOutcome {
        Objects.requireNonNull(state, "state");
        reason = reason == null ? "" : reason;
    }

    public enum State {
        OPENED, FAILED, NOT_SENT
    }

    public static DoorOutcome opened(String adapter) {
        return new DoorOutcome(State.OPENED, adapter, "");
    }

    public static DoorOutcome failed(String adapter, String reason) {
        return new DoorOutcome(State.FAILED, adapter, reason);
    }

    public static DoorOutcome notSent(String reason) {
        return new DoorOutcome(State.NOT_SENT, null, reason);
    }

    public boolean opened() {
        return state == State.OPENED;
    }
}

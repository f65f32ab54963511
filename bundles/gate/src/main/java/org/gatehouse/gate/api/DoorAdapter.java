package org.gatehouse.gate.api;

import org.gatehouse.api.model.Device;

/**
 * Moves a door for one kind of terminal (one bundle per vendor). The gate picks the adapter whose {@link #kind()} the
 * device is configured with ({@code doorAdapters} in {@code etc/org.gatehouse.gate.cfg}, else
 * {@code defaultDoorAdapter}); the built-in {@code http-terminal} adapter only records the command, for terminals that
 * open their own door on the decision answer. Called only for an allowed passage, once per passage (a replayed
 * request does not open again); must not block for long (the answer waits for it).
 */
public interface DoorAdapter {
    /** The adapter's kind, e.g. {@code http-terminal}, {@code isapi}, {@code simulator}. */
    String kind();

    /** Opens the device's door for the passage {@code passageId}. An exception counts as failed. */
    DoorOutcome open(Device device, String passageId);
}

package org.gatehouse.api.service;

import org.gatehouse.api.model.SubjectType;

/**
 * Moves a door on someone's behalf, outside a terminal's own decision: a one-click open (一键开门) of the visitor
 * module. The caller has already decided that the person may open this door (the gate does not repeat the caller's
 * rules); the implementation (the gate module) sends the command through the device's door adapter and records a
 * passage with the reason given. Absent when the gate module is not installed: then no door moves.
 */
public interface DoorCommands {
    /**
     * Opens the door of {@code deviceId}, which must be visible in {@code scope} (else
     * {@link NotFoundException}), and records the passage. Never throws for a door that did not move: the outcome
     * says so.
     */
    Outcome open(Scope scope, String deviceId, Order order);

    /**
     * Who asked, for whom and why.
     *
     * @param actor       the login that pressed the button
     * @param subjectType who the passage is about (RESIDENT for a resident's one-click open)
     * @param subjectId   that person's id, or null when the login names a household but not a person
     * @param reasonCode  the reason recorded in the decision, e.g. {@code REMOTE_OPEN}
     * @param detail      {@code key=value;…} added to the reason, e.g. {@code household=…}
     */
    record Order(String actor, SubjectType subjectType, String subjectId, String reasonCode, String detail) {
    }

    /**
     * @param passageId the recorded passage
     * @param opened    whether the adapter says the door opened
     * @param adapter   the door adapter's kind
     * @param reason    why it did not open (empty when it did)
     * @param recorded  STORED, JOURNALLED, DUPLICATE or NOT_RECORDED
     */
    record Outcome(String passageId, boolean opened, String adapter, String reason, String recorded) {
    }
}

package org.gatehouse.api.model;

/** Where a visitor registration (访客登记) stands. */
public enum VisitorStatus {
    /** Registered at the gate or by the office; the host resident has not answered yet. */
    WAITING_APPROVAL,
    APPROVED,
    REJECTED,
    /** The expected window passed, or the host withdrew the invitation. */
    CLOSED
}

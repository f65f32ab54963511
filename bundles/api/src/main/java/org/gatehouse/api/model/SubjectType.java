package org.gatehouse.api.model;

/** Who passed: a registered resident, a visitor with a pass, a stranger, or nobody identified. */
public enum SubjectType {
    RESIDENT, VISITOR, STRANGER, UNKNOWN
}

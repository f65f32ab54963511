package org.gatehouse.api.model;

import java.util.Objects;

/** One reason behind an access decision: a stable code (e.g. {@code LEASE_EXPIRED}) and a detail. */
public record DecisionReason(String code, String detail) {
    public DecisionReason {
        Validation.requireText(code, "code");
        detail = Objects.requireNonNullElse(detail, "");
    }
}

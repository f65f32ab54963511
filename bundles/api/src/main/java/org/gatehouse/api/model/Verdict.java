package org.gatehouse.api.model;

public enum Verdict {
    ALLOW, DENY
}

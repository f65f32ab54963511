package org.gatehouse.api.model;

public enum AlertSeverity {
    INFO, WARNING, CRITICAL
}

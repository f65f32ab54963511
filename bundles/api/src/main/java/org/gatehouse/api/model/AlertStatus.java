package org.gatehouse.api.model;

public enum AlertStatus {
    OPEN, ACKNOWLEDGED, CLOSED
}

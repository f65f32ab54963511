package org.gatehouse.api.model;

/** Which way a device lets people through. */
public enum Direction {
    IN, OUT, BOTH
}

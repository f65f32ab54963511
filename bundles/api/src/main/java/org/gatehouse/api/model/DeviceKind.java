package org.gatehouse.api.model;

/** What a device is. */
public enum DeviceKind {
    FACE_TERMINAL, TURNSTILE, DOOR_LOCK, CAMERA, ID_READER, THERMAL_SENSOR
}

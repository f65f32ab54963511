package org.gatehouse.api.model;


/** A device at a gate: a face terminal, a turnstile, a camera. {@code buildingId} is null for a compound gate. */
public record Device(String id, String communityId, String buildingId, String gate, String name, DeviceKind kind,
                     Direction direction) {
    public Device {
        Validation.require(id, "id");
        Validation.require(communityId, "communityId");
        Validation.requireText(gate, "gate");
        Validation.requireText(name, "name");
        Validation.require(kind, "kind");
        Validation.require(direction, "direction");
    }
}

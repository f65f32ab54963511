package org.gatehouse.api.service;

import java.util.List;
import java.util.Optional;

import org.gatehouse.api.model.Device;
import org.gatehouse.api.model.DeviceKind;
import org.gatehouse.api.model.Direction;

/** Gate devices and the tokens they authenticate with. Tokens are stored as hashes only. */
public interface DeviceRepository {
    /** Registers a device and returns it with a fresh token, shown once. */
    RegisteredDevice register(Scope scope, String communityId, String buildingId, String gate, String name,
                              DeviceKind kind, Direction direction);

    List<Device> devices(Scope scope, String communityId);

    Optional<Device> device(Scope scope, String id);

    /** The device whose token this is, if any. */
    Optional<Device> authenticate(String token);

    void remove(Scope scope, String id);

    record RegisteredDevice(Device device, String token) {
    }
}

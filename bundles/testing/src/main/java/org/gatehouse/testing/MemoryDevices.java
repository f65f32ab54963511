package org.gatehouse.testing;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.gatehouse.api.model.Device;
import org.gatehouse.api.model.DeviceKind;
import org.gatehouse.api.model.Direction;
import org.gatehouse.api.service.DeviceRepository;
import org.gatehouse.api.service.NotFoundException;
import org.gatehouse.api.service.Scope;

/** Gate devices of communities; tokens are the device id prefixed with {@code token-}. */
public class MemoryDevices implements DeviceRepository {
    public final Map<String, Device> devices = new ConcurrentHashMap<>();
    private final MemoryCommunities communities;

    public MemoryDevices(MemoryCommunities communities) {
        this.communities = communities;
    }

    @Override
    public RegisteredDevice register(Scope scope, String communityId, String buildingId, String gate, String name,
                                     DeviceKind kind, Direction direction) {
        communities.community(scope, communityId).orElseThrow(() -> new NotFoundException("community", communityId));
        if (buildingId != null) {
            communities.building(scope, buildingId).filter(b -> b.communityId().equals(communityId))
                    .orElseThrow(() -> new NotFoundException("building", buildingId));
        }
        Device d = new Device(MemoryServices.id(), communityId, buildingId, gate, name, kind, direction);
        devices.put(d.id(), d);
        return new RegisteredDevice(d, "token-" + d.id());
    }

    @Override
    public List<Device> devices(Scope scope, String communityId) {
        scope.check(communityId);
        return devices.values().stream().filter(d -> d.communityId().equals(communityId)).toList();
    }

    @Override
    public Optional<Device> device(Scope scope, String id) {
        return Optional.ofNullable(id == null ? null : devices.get(id)).filter(d -> scope.allows(d.communityId()));
    }

    @Override
    public Optional<Device> authenticate(String token) {
        return token != null && token.startsWith("token-") ? Optional.ofNullable(devices.get(token.substring(6)))
                : Optional.empty();
    }

    @Override
    public void remove(Scope scope, String id) {
        device(scope, id).orElseThrow(() -> new NotFoundException("device", id));
        devices.remove(id);
    }
}

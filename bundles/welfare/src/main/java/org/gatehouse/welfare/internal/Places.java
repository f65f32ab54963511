package org.gatehouse.welfare.internal;

import java.util.Optional;

import org.gatehouse.api.model.Building;
import org.gatehouse.api.model.Device;
import org.gatehouse.api.model.Unit;
import org.gatehouse.api.service.CommunityRepository;
import org.gatehouse.api.service.DeviceRepository;
import org.gatehouse.api.service.Scope;

/** Names of doors and flats as people read them: {@code gate (device name)}, {@code B1-2-301}. */
final class Places {
    private final CommunityRepository communities;
    private final DeviceRepository devices;

    Places(CommunityRepository communities, DeviceRepository devices) {
        this.communities = communities;
        this.devices = devices;
    }

    String door(String deviceId) {
        return devices.device(Scope.all(), deviceId).map(d -> d.gate() + " (" + d.name() + ")")
                .orElse("device " + deviceId);
    }

    Optional<Device> device(String deviceId) {
        return devices.device(Scope.all(), deviceId);
    }

    Optional<Unit> unit(String unitId) {
        return communities.unit(Scope.all(), unitId);
    }

    String flat(String unitId) {
        Optional<Unit> unit = unit(unitId);
        if (unit.isEmpty()) {
            return unitId;
        }
        Unit u = unit.get();
        String building = communities.building(Scope.all(), u.buildingId()).map(Building::code).orElse(u.buildingId());
        return building + "-" + (u.stairway() == null || u.stairway().isBlank() ? "" : u.stairway() + "-") + u.number();
    }
}

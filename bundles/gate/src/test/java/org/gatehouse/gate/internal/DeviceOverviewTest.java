package org.gatehouse.gate.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.gatehouse.api.model.Community;
import org.gatehouse.api.model.Device;
import org.gatehouse.api.model.DeviceKind;
import org.gatehouse.api.model.Direction;
import org.gatehouse.api.service.OutOfScopeException;
import org.gatehouse.api.service.Scope;
import org.gatehouse.gate.api.DoorAdapter;
import org.gatehouse.gate.api.DoorOutcome;
import org.gatehouse.gate.api.WhitelistSyncs;
import org.gatehouse.testing.Configs;
import org.gatehouse.testing.MemoryCommunities;
import org.gatehouse.testing.MemoryDevices;
import org.junit.jupiter.api.Test;

/** The device list: adapter per device (and whether it is installed), online state, whitelist sync, scope. */
class DeviceOverviewTest {
    static final Instant NOW = Instant.parse("2026-12-02T02:00:00Z");

    @Test
    void eachDeviceWithItsAdapterOnlineStateAndSync() {
        MemoryCommunities communities = new MemoryCommunities();
        MemoryDevices devices = new MemoryDevices(communities);
        Community c = communities.createCommunity("SUN", "Sunshine", "1 Road");
        Community other = communities.createCommunity("MOON", "Moon", "2 Road");
        String b1 = communities.createBuilding(Scope.all(), c.id(), "1", "Building 1").id();
        Device gate = devices.register(Scope.all(), c.id(), null, "G1", "Main gate", DeviceKind.FACE_TERMINAL,
                Direction.IN).device();
        Device unit = devices.register(Scope.all(), c.id(), b1, "1-1", "Unit door 1", DeviceKind.FACE_TERMINAL,
                Direction.BOTH).device();
        devices.register(Scope.all(), other.id(), null, "M1", "Moon gate", DeviceKind.FACE_TERMINAL, Direction.IN);

        World.Alerts alerts = new World.Alerts();
        GateConfig config = Configs.of(GateConfig.class, Map.of("doorAdapters", new String[] {unit.id() + "=isapi"}));
        DeviceLiveness liveness = new DeviceLiveness(alerts, Clock.fixed(NOW, ZoneOffset.UTC), config);
        liveness.heard(gate, NOW.minusSeconds(5));
        DeviceOverview overview = new DeviceOverview(devices, communities, liveness, config);
        overview.adapters = List.of(adapter("http-terminal"));
        WhitelistSyncs.SyncState behind = new WhitelistSyncs.SyncState(40, 3, 1, NOW.minusSeconds(60), "UNREACHABLE",
                NOW.minusSeconds(30), null);
        overview.syncs = List.of(id -> id.equals(unit.id()) ? Optional.of(behind) : Optional.empty());

        List<DeviceOverview.Line> lines = overview.lines(Scope.of(c.id()), c.id());
        assertEquals(2, lines.size());
        DeviceOverview.Line g = lines.stream().filter(l -> l.deviceId().equals(gate.id())).findFirst().orElseThrow();
        assertEquals("http-terminal", g.adapter(), "the default adapter");
        assertTrue(g.adapterInstalled());
        assertEquals(Boolean.TRUE, g.online());
        assertEquals(NOW.minusSeconds(5), g.lastHeard());
        assertNull(g.sync(), "a terminal that asks Gatehouse keeps no list");
        DeviceOverview.Line u = lines.stream().filter(l -> l.deviceId().equals(unit.id())).findFirst().orElseThrow();
        assertEquals("isapi", u.adapter());
        assertFalse(u.adapterInstalled(), "named in doorAdapters, but its feature is not installed");
        assertNull(u.online(), "not heard since this node started");
        assertEquals(3, u.sync().lag());
        assertEquals(b1, u.buildingId());

        // every community in the scope when none is named; another community's devices stay out of reach
        assertEquals(3, overview.lines(Scope.all(), null).size());
        assertEquals(2, overview.lines(Scope.of(c.id()), null).size());
        assertThrows(OutOfScopeException.class, () -> overview.lines(Scope.of(c.id()), other.id()));
    }

    private static DoorAdapter adapter(String kind) {
        return new DoorAdapter() {
            @Override
            public String kind() {
                return kind;
            }

            @Override
            public DoorOutcome open(Device device, String passageId) {
                return DoorOutcome.opened(kind);
            }
        };
    }
}

package org.gatehouse.visitor.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import org.gatehouse.api.model.Device;
import org.gatehouse.api.model.SubjectType;
import org.gatehouse.api.service.DoorCommands;
import org.gatehouse.api.service.NotFoundException;
import org.gatehouse.api.service.Scope;
import org.gatehouse.core.api.Caller;
import org.gatehouse.core.api.Refusal;
import org.gatehouse.core.api.Roles;
import org.junit.jupiter.api.Test;

/** A one-click open sends the door command through the gate module's {@link DoorCommands}; a refused one never. */
class RemoteOpenDoorTest {
    final World w = new World();

    /** The gate module as the visitor module sees it: every command is remembered and "opens". */
    static final class Gate implements DoorCommands {
        record Sent(Scope scope, String deviceId, Order order) {
        }

        final List<Sent> sent = new CopyOnWriteArrayList<>();

        @Override
        public Outcome open(Scope scope, String deviceId, Order order) {
            sent.add(new Sent(scope, deviceId, order));
            return new Outcome("p-" + sent.size(), true, "simulator", "", "STORED");
        }
    }

    final Gate gate = new Gate();
    final Device b1Door = w.devices.add(w.sunshine.id(), w.b1.id(), "1号楼门");
    final Device b2Door = w.devices.add(w.sunshine.id(), w.b2.id(), "2号楼门");

    private Caller login(String name, String householdId, String... residentIds) {
        Set<String> roles = new java.util.HashSet<>(Set.of(Roles.RESIDENT, "household:" + householdId));
        for (String id : residentIds) {
            roles.add(RemoteOpen.RESIDENT_ID_PREFIX + id);
        }
        return new Caller(name, roles, w.gateScope);
    }

    @Test
    void aOneClickOpenMovesTheDoorThroughTheGateAndNamesTheResident() {
        w.remoteOpen.setDoors(gate);
        RemoteOpen.OpenCommand cmd = w.remoteOpen.open(login("wangwei", w.wang.id(), w.wangWei.id()), b1Door.id(),
                null);
        assertEquals("OPENED", cmd.door());
        assertEquals("p-1", cmd.passageId());
        Gate.Sent s = gate.sent.get(0);
        assertEquals(b1Door.id(), s.deviceId());
        assertEquals(w.gateScope, s.scope(), "the caller's scope, not everything");
        assertEquals("wangwei", s.order().actor());
        assertEquals(SubjectType.RESIDENT, s.order().subjectType());
        assertEquals(w.wangWei.id(), s.order().subjectId());
        assertEquals("REMOTE_OPEN", s.order().reasonCode());
        assertEquals("household=" + w.wang.id(), s.order().detail());
        assertTrue(w.visitors.log.stream().anyMatch(e -> e.event().equals("REMOTE_OPEN")
                && e.detail().contains("door OPENED, passage p-1")));
        // a household-only login: the household, no person
        assertEquals("OPENED", w.remoteOpen.open(w.wangResident, w.north.id(), null).door());
        assertNull(gate.sent.get(1).order().subjectId());
    }

    @Test
    void withoutTheGateModuleTheAnswerSaysNoDoorMoved() {
        RemoteOpen.OpenCommand cmd = w.remoteOpen.open(w.wangResident, b1Door.id(), null);
        assertEquals("NOT_SENT", cmd.door());
        assertEquals("NO_GATE_MODULE", cmd.reason());
        assertNull(cmd.passageId());
        w.remoteOpen.setDoors(gate);
        w.remoteOpen.unsetDoors(gate);
        assertEquals("NOT_SENT", w.remoteOpen.open(w.wangResident, b1Door.id(), null).door());
        assertTrue(gate.sent.isEmpty());
    }

    @Test
    void aGateThatFailsIsAFailedDoorNotAnError() {
        w.remoteOpen.setDoors((scope, deviceId, order) -> {
            throw new IllegalStateException("boom");
        });
        RemoteOpen.OpenCommand cmd = w.remoteOpen.open(w.wangResident, b1Door.id(), null);
        assertEquals("FAILED", cmd.door());
        assertEquals("GATE_ERROR", cmd.reason());
    }

    @Test
    void attemptsToGetAroundTheRulesAreRefusedAndMoveNoDoor() {
        w.remoteOpen.setDoors(gate);
        // another building's door
        assertEquals(403, assertThrows(Refusal.class, () -> w.remoteOpen.open(w.wangResident, b2Door.id(), null))
                .status());
        // naming another household in ?householdId
        assertEquals(403, assertThrows(Refusal.class, () -> w.remoteOpen.open(w.wangResident, b2Door.id(),
                w.li.id())).status());
        // a household role of 王家 held by 李娜's login: not the host
        assertEquals("NOT_REGISTERED", assertThrows(Refusal.class, () -> w.remoteOpen.open(
                login("li", w.wang.id(), w.liNa.id()), b1Door.id(), null)).code());
        // both households' roles: still only the building of the household that qualifies
        Caller both = new Caller("both", Set.of(Roles.RESIDENT, "household:" + w.wang.id(),
                RemoteOpen.RESIDENT_ID_PREFIX + w.wangWei.id()), w.gateScope);
        assertEquals(403, assertThrows(Refusal.class, () -> w.remoteOpen.open(both, b2Door.id(), w.li.id()))
                .status());
        // a device of another community, outside the caller's scope
        var river = w.communities.createCommunity("RIVER", "河畔小区", "");
        Device riverGate = w.devices.add(river.id(), null, "river-gate");
        assertThrows(RuntimeException.class, () -> w.remoteOpen.open(w.wangResident, riverGate.id(), null));
        // an unknown device
        assertThrows(NotFoundException.class, () -> w.remoteOpen.open(w.wangResident, "no-such-device", null));
        // a login without any household role (staff)
        assertEquals(403, assertThrows(Refusal.class, () -> w.remoteOpen.open(w.office, b1Door.id(), null))
                .status());
        assertTrue(gate.sent.isEmpty(), "no door command for a refused open: " + gate.sent);
    }
}

package org.gatehouse.gate.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.gatehouse.api.model.Device;
import org.gatehouse.api.model.PassageEvent;
import org.gatehouse.api.model.SubjectType;
import org.gatehouse.api.model.Verdict;
import org.gatehouse.api.service.DoorCommands;
import org.gatehouse.api.service.NotFoundException;
import org.gatehouse.api.service.Scope;
import org.gatehouse.gate.api.DoorAdapter;
import org.gatehouse.gate.api.DoorOutcome;
import org.junit.jupiter.api.Test;

/** A door opened on someone's behalf (one-click open): through the device's adapter, recorded as a passage. */
class DoorCommandsTest {
    private final World w = new World();

    /** A door like the simulator's: opens at once and remembers what it was told. */
    static final class RecordingDoor implements DoorAdapter {
        final List<String> moves = new CopyOnWriteArrayList<>();

        @Override
        public String kind() {
            return "simulator";
        }

        @Override
        public DoorOutcome open(Device device, String passageId) {
            moves.add(device.id() + " " + passageId);
            return DoorOutcome.opened(kind());
        }
    }

    private final RecordingDoor door = new RecordingDoor();
    private final GateDecisionsImpl gate = gate();

    private GateDecisionsImpl gate() {
        GateDecisionsImpl g = w.gate(Map.of("doorAdapters", new String[] {w.door1.id() + "=simulator"}));
        g.addAdapter(door);
        return g;
    }

    private static DoorCommands.Order order(String subjectId) {
        return new DoorCommands.Order("wangfang", SubjectType.RESIDENT, subjectId, "REMOTE_OPEN", "household=h-1");
    }

    @Test
    void aOneClickOpenMovesTheConfiguredDoorAndIsRecorded() {
        DoorCommands.Outcome out = gate.open(Scope.of(w.community.id()), w.door1.id(), order(w.wang.id()));
        assertTrue(out.opened());
        assertEquals("simulator", out.adapter());
        assertEquals(List.of(w.door1.id() + " " + out.passageId()), door.moves);
        assertEquals("STORED", out.recorded());
        PassageEvent p = w.recorder.stored.get(out.passageId());
        assertEquals(Verdict.ALLOW, p.decision().verdict());
        assertEquals(SubjectType.RESIDENT, p.subjectType());
        assertEquals(w.wang.id(), p.subjectId());
        assertTrue(p.decision().reasons().stream().anyMatch(r -> r.code().equals("REMOTE_OPEN")
                && r.detail().contains("actor=wangfang") && r.detail().contains("household=h-1")));
        assertTrue(p.decision().reasons().stream().anyMatch(r -> r.code().equals("DOOR_OPENED")
                && r.detail().contains("adapter=simulator")));
    }

    @Test
    void aHouseholdLoginWithoutAPersonIsRecordedWithoutASubject() {
        DoorCommands.Outcome out = gate.open(Scope.all(), w.door1.id(), order(null));
        assertTrue(out.opened());
        assertEquals(null, w.recorder.stored.get(out.passageId()).subjectId());
    }

    @Test
    void aDeviceOutsideTheCallersScopeIsNotFoundAndNoDoorMoves() {
        assertThrows(NotFoundException.class, () -> gate.open(Scope.of("other-community"), w.door1.id(),
                order(w.wang.id())));
        assertThrows(NotFoundException.class, () -> gate.open(Scope.all(), "no-such-device", order(w.wang.id())));
        assertTrue(door.moves.isEmpty());
        assertTrue(w.recorder.stored.isEmpty());
    }

    @Test
    void aMissingAdapterIsAFailedDoorNeverOpened() {
        DoorCommands.Outcome out = gate.open(Scope.all(), w.door2.id(), order(w.li.id()));
        assertEquals("http-terminal", out.adapter(), "door2 is not configured: the default adapter");
        GateDecisionsImpl noAdapter = w.gate(Map.of("defaultDoorAdapter", "isapi"));
        DoorCommands.Outcome failed = noAdapter.open(Scope.all(), w.door2.id(), order(w.li.id()));
        assertFalse(failed.opened());
        assertEquals("NO_ADAPTER", failed.reason());
        assertTrue(w.recorder.stored.get(failed.passageId()).decision().reasons().stream()
                .anyMatch(r -> r.code().equals("DOOR_FAILED")));
    }

    @Test
    void theReasonAndItsDetailCannotInjectFields() {
        DoorCommands.Outcome out = gate.open(Scope.all(), w.door1.id(), new DoorCommands.Order("eve;subject=x",
                SubjectType.RESIDENT, w.wang.id(), "ALLOW all; drop", null));
        PassageEvent p = w.recorder.stored.get(out.passageId());
        assertTrue(p.decision().reasons().stream().anyMatch(r -> r.code().equals("REMOTE_OPEN")
                && r.detail().startsWith("actor=eve_subject_x;subject=" + w.wang.id())), p.decision().reasons()
                .toString());
    }
}

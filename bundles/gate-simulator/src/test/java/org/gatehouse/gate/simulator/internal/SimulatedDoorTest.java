package org.gatehouse.gate.simulator.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.gatehouse.gate.api.DoorOutcome;
import org.junit.jupiter.api.Test;

class SimulatedDoorTest {
    final SimulatedDoor door = new SimulatedDoor();

    @Test
    void anOpenMovesTheDoorAndIsRecorded() {
        assertEquals("simulator", door.kind());
        assertTrue(door.recent(10).isEmpty());
        DoorOutcome outcome = door.open(Fixtures.DOOR_1, "passage-1");
        assertEquals(DoorOutcome.State.OPENED, outcome.state());
        assertEquals("simulator", outcome.adapter());
        door.open(Fixtures.GATE, "passage-2");
        var moves = door.recent(10);
        assertEquals(2, moves.size());
        assertEquals("passage-2", moves.get(0).passageId(), "newest first");
        assertEquals("main-gate", moves.get(0).gate());
        assertEquals("d-b1", moves.get(1).deviceId());
        assertEquals("b1", moves.get(1).buildingId());
        assertEquals(1, door.recent(1).size());
    }

    @Test
    void onlyTheLastMovesAreKept() {
        for (int i = 0; i < SimulatedDoor.KEPT + 50; i++) {
            door.open(Fixtures.GATE, "p" + i);
        }
        assertEquals(SimulatedDoor.KEPT, door.recent(Integer.MAX_VALUE).size());
        assertEquals(SimulatedDoor.KEPT + 50L, door.total());
        assertEquals("p" + (SimulatedDoor.KEPT + 49), door.recent(1).get(0).passageId());
    }
}

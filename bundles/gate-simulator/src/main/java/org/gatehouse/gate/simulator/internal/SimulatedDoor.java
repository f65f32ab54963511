package org.gatehouse.gate.simulator.internal;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import org.gatehouse.api.model.Device;
import org.gatehouse.gate.api.DoorAdapter;
import org.gatehouse.gate.api.DoorOutcome;
import org.osgi.service.component.annotations.Component;

/**
 * The door of a simulated terminal (adapter kind {@value #KIND}): it opens at once and remembers the last
 * {@value #KEPT} door commands (which door, when, for which passage) in memory, so that tests and
 * {@code gatehouse:sim-doors} can see that a passage — or a one-click open — moved it. Nothing is stored.
 */
@Component(service = {DoorAdapter.class, SimulatedDoor.class})
public class SimulatedDoor implements DoorAdapter {
    public static final String KIND = "simulator";
    static final int KEPT = 200;

    private final Deque<DoorMove> moves = new ArrayDeque<>();
    private long total;

    /** One door command: the device, its gate and building, the passage, when. */
    public record DoorMove(Instant at, String deviceId, String gate, String buildingId, String passageId) {
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public synchronized DoorOutcome open(Device device, String passageId) {
        moves.addFirst(new DoorMove(Instant.now(), device.id(), device.gate(), device.buildingId(), passageId));
        while (moves.size() > KEPT) {
            moves.removeLast();
        }
        total++;
        return DoorOutcome.opened(KIND);
    }

    /** The newest {@code limit} door moves, newest first. */
    public synchronized List<DoorMove> recent(int limit) {
        List<DoorMove> list = new ArrayList<>(Math.min(limit, moves.size()));
        for (DoorMove move : moves) {
            if (list.size() >= limit) {
                break;
            }
            list.add(move);
        }
        return list;
    }

    /** Door moves since the adapter started (also those no longer kept). */
    public synchronized long total() {
        return total;
    }
}

package org.gatehouse.gate.simulator.internal.shell;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.gatehouse.gate.simulator.internal.SimulatedDoor;

@Command(scope = "gatehouse", name = "sim-doors", description = "Lists the latest moves of simulated doors (adapter "
        + "kind simulator): which door opened, when, for which passage")
@Service
public class SimDoorsCommand implements Action {
    @Reference
    SimulatedDoor doors;

    @Option(name = "--limit", description = "How many, newest first (default 20)")
    int limit = 20;

    @Override
    public Object execute() {
        var moves = doors.recent(Math.max(1, limit));
        System.out.println(doors.total() + " simulated door move(s) since start" + (moves.isEmpty() ? "." : ":"));
        for (var m : moves) {
            System.out.printf("  %s  %-12s device %s  passage %s%n", m.at(), m.gate(), m.deviceId(), m.passageId());
        }
        return null;
    }
}

package org.gatehouse.core.internal.shell;

import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.gatehouse.core.internal.camel.StreamAdmin;
import org.gatehouse.core.shell.TextTable;

/** {@code gatehouse:consumers} — each consumer of the streams: where it is, how it fails, its open dead letters. */
@Command(scope = "gatehouse", name = "consumers", description = "Lists the consumers of the gatehouse: streams "
        + "(position, lag, failures, open dead letters)")
@Service
public class ConsumersCommand implements Action {
    @Reference
    StreamAdmin admin;

    @Override
    public Object execute() {
        System.out.print(render(admin.consumers()));
        return null;
    }

    static String render(List<StreamAdmin.ConsumerReport> consumers) {
        if (consumers.isEmpty()) {
            return "No stream consumer yet\n";
        }
        TextTable table = new TextTable().column("consumer").column("state").numberColumn("position")
                .numberColumn("lag").numberColumn("attempts").column("next attempt").column("last success")
                .numberColumn("dead letters").column("last error / note");
        StringBuilder notes = new StringBuilder();
        for (StreamAdmin.ConsumerReport c : consumers) {
            String state = !c.live() ? "stopped" : c.failingSince() == null ? "live" : "failing since "
                    + c.failingSince();
            table.row(c.id(), state, c.position(), c.lag(), c.attempts(), c.nextAttemptAt(),
                    c.lastSuccessAt() == null ? "never" : c.lastSuccessAt(), c.openDeadLetters(),
                    c.failingSince() == null ? "" : c.lastError());
            if (c.startNote() != null) {
                notes.append(c.id()).append(": ").append(c.startNote()).append('\n');
            }
        }
        return table.render() + notes;
    }
}

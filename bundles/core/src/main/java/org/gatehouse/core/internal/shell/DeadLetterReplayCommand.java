package org.gatehouse.core.internal.shell;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.gatehouse.api.service.StreamConsumers.DeadLetter;
import org.gatehouse.core.internal.camel.StreamAdmin;
import org.gatehouse.core.shell.ShellCaller;

/** {@code gatehouse:dead-letter-replay ID} — hands a dead letter's event to its consumer again, now. */
@Command(scope = "gatehouse", name = "dead-letter-replay", description = "Hands a dead letter's event to its "
        + "consumer again now; the letter is REPLAYED when the route takes it, else it stays open")
@Service
public class DeadLetterReplayCommand implements Action {
    @Reference
    StreamAdmin admin;

    @Argument(index = 0, name = "id", required = true, description = "Dead letter id (gatehouse:dead-letters)")
    @Completion(DeadLetterCompleter.class)
    long id;

    @Override
    public Object execute() {
        DeadLetter d = admin.replay(ShellCaller.get(), id);
        System.out.println("Dead letter " + d.id() + " replayed: " + d.consumerId() + " took event " + d.eventId());
        return null;
    }
}

package org.gatehouse.core.internal.shell;

import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.gatehouse.api.service.StreamConsumers.DeadLetter;
import org.gatehouse.core.internal.camel.StreamAdmin;
import org.gatehouse.core.shell.ShellCaller;

/** {@code gatehouse:dead-letter-skip ID [REASON...]} — gives up on a dead letter, saying why. */
@Command(scope = "gatehouse", name = "dead-letter-skip", description = "Gives up on a dead letter (SKIPPED, audited "
        + "with who and why); its consumer never gets that event")
@Service
public class DeadLetterSkipCommand implements Action {
    @Reference
    StreamAdmin admin;

    @Argument(index = 0, name = "id", required = true, description = "Dead letter id (gatehouse:dead-letters)")
    @Completion(DeadLetterCompleter.class)
    long id;

    @Argument(index = 1, name = "reason", multiValued = true, description = "Why (the rest of the line)")
    List<String> reason;

    @Override
    public Object execute() {
        DeadLetter d = admin.skip(ShellCaller.get(), id, reason == null ? null : String.join(" ", reason));
        System.out.println("Dead letter " + d.id() + " skipped: " + d.consumerId() + " will not get event "
                + d.eventId() + " (" + d.resolution() + ")");
        return null;
    }
}

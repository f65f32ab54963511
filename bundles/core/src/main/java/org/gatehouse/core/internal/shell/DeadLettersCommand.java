package org.gatehouse.core.internal.shell;

import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.gatehouse.api.service.StreamConsumers.DeadLetter;
import org.gatehouse.core.internal.camel.StreamAdmin;
import org.gatehouse.core.shell.TextTable;

/** {@code gatehouse:dead-letters [--consumer X] [--all]} — the events consumers gave up on, newest first. */
@Command(scope = "gatehouse", name = "dead-letters", description = "Lists dead letters (events a stream consumer "
        + "gave up on), newest first: the open ones, or all with --all")
@Service
public class DeadLettersCommand implements Action {
    @Reference
    StreamAdmin admin;

    @Option(name = "--consumer", description = "Only this consumer's (<stream>/<route id>)")
    @Completion(ConsumerCompleter.class)
    String consumer;

    @Option(name = "--all", description = "Replayed and skipped ones too")
    boolean all;

    @Option(name = "--limit", description = "At most this many (default 100)")
    int limit = 100;

    @Override
    public Object execute() {
        System.out.print(render(admin.deadLetters(consumer, all, Math.max(1, Math.min(limit, 1000))), all));
        return null;
    }

    static String render(List<DeadLetter> letters, boolean all) {
        if (letters.isEmpty()) {
            return all ? "No dead letter\n" : "No open dead letter\n";
        }
        TextTable table = new TextTable().numberColumn("id").column("consumer").column("event")
                .numberColumn("attempts").column("failed at").column("status").column("error / resolution");
        for (DeadLetter d : letters) {
            String status = d.open() ? d.status() : d.status() + " by " + d.resolvedBy() + " at " + d.resolvedAt();
            table.row(d.id(), d.consumerId(), d.eventId(), d.attempts(), d.failedAt(), status,
                    d.open() || d.resolution() == null ? d.error() : d.resolution());
        }
        return table.render();
    }
}

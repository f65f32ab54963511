package org.gatehouse.core.internal.shell;

import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Candidate;
import org.gatehouse.api.service.StreamConsumers;
import org.gatehouse.core.shell.IdCompleter;

/** Open dead letters' ids on TAB, each described by its consumer and event. */
@Service
public class DeadLetterCompleter extends IdCompleter {
    @Reference
    StreamConsumers consumers;

    @Override
    protected List<Candidate> candidates() {
        return consumers.deadLetters(null, true, 200).stream().map(d -> new Candidate(String.valueOf(d.id()),
                String.valueOf(d.id()), null, d.consumerId() + " " + d.eventId(), null, null, true)).toList();
    }
}

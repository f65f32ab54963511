package org.gatehouse.core.internal.shell;

import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Candidate;
import org.gatehouse.api.service.StreamConsumers;
import org.gatehouse.core.shell.IdCompleter;

/** Stream consumer ids ({@code <stream>/<route id>}) on TAB. */
@Service
public class ConsumerCompleter extends IdCompleter {
    @Reference
    StreamConsumers consumers;

    @Override
    protected List<Candidate> candidates() {
        return consumers.consumers().stream().map(c -> new Candidate(c.consumerId(), c.consumerId(), null,
                "gatehouse:" + c.stream(), null, null, true)).toList();
    }
}

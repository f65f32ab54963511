package org.gatehouse.core.shell;

import java.util.List;

import org.apache.karaf.shell.api.console.Candidate;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

/**
 * Completes an id argument with what the store holds, each candidate described by the name it stands for (see
 * {@link IdCandidates}). Karaf finds completers per bundle, so a module declares its own small
 * {@code @Service} subclass in its shell package, with the repositories it reads as {@code @Reference} fields.
 * A store that does not answer offers nothing rather than failing the console.
 */
public abstract class IdCompleter implements Completer {
    /** The ids to offer now. */
    protected abstract List<Candidate> candidates();

    @Override
    public int complete(Session session, CommandLine line, List<String> out) {
        StringsCompleter strings = new StringsCompleter();
        safeCandidates().forEach(c -> strings.getStrings().add(c.value()));
        return strings.complete(session, line, out);
    }

    @Override
    public void completeCandidates(Session session, CommandLine line, List<Candidate> out) {
        out.addAll(safeCandidates());
    }

    private List<Candidate> safeCandidates() {
        try {
            return candidates();
        } catch (RuntimeException storeDown) {
            return List.of();
        }
    }
}

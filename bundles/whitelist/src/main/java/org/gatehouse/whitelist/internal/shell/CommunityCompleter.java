package org.gatehouse.whitelist.internal.shell;

import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Candidate;
import org.gatehouse.api.service.CommunityRepository;
import org.gatehouse.core.shell.IdCandidates;
import org.gatehouse.core.shell.IdCompleter;

/** Community codes on TAB. */
@Service
public class CommunityCompleter extends IdCompleter {
    @Reference
    CommunityRepository communities;

    @Override
    protected List<Candidate> candidates() {
        return IdCandidates.communities(communities);
    }
}

package org.gatehouse.whitelist.internal.shell;

import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Candidate;
import org.gatehouse.api.service.CommunityRepository;
import org.gatehouse.api.service.HouseholdRepository;
import org.gatehouse.core.shell.IdCandidates;
import org.gatehouse.core.shell.IdCompleter;

/** Household ids on TAB, each described as "community code / household name". */
@Service
public class HouseholdCompleter extends IdCompleter {
    @Reference
    CommunityRepository communities;

    @Reference
    HouseholdRepository households;

    @Override
    protected List<Candidate> candidates() {
        return IdCandidates.households(communities, households);
    }
}

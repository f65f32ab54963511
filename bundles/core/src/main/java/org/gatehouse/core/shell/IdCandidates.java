package org.gatehouse.core.shell;

import java.util.ArrayList;
import java.util.List;

import org.apache.karaf.shell.api.console.Candidate;
import org.gatehouse.api.model.Building;
import org.gatehouse.api.model.Community;
import org.gatehouse.api.model.Household;
import org.gatehouse.api.service.CommunityRepository;
import org.gatehouse.api.service.HouseholdRepository;
import org.gatehouse.api.service.Scope;

/**
 * The ids the shell offers on TAB (see {@link IdCompleter}), over every community (the console acts as the
 * platform operator): community codes, building ids and household ids, each described by what it names.
 */
public final class IdCandidates {
    private IdCandidates() {
    }

    /** Community codes (every command that takes a community accepts its code or its id). */
    public static List<Candidate> communities(CommunityRepository repository) {
        List<Candidate> out = new ArrayList<>();
        for (Community c : repository.communities(Scope.all())) {
            out.add(candidate(c.code(), c.name()));
        }
        return out;
    }

    /** Building ids, described as "community code / building code name". */
    public static List<Candidate> buildings(CommunityRepository repository) {
        List<Candidate> out = new ArrayList<>();
        for (Community c : repository.communities(Scope.all())) {
            for (Building b : repository.buildings(Scope.all(), c.id())) {
                out.add(candidate(b.id(), c.code() + " / " + b.code() + " " + b.name()));
            }
        }
        return out;
    }

    /** Household ids, described as "community code / household name". */
    public static List<Candidate> households(CommunityRepository communities, HouseholdRepository households) {
        List<Candidate> out = new ArrayList<>();
        for (Community c : communities.communities(Scope.all())) {
            for (Household h : households.households(Scope.all(), c.id())) {
                out.add(candidate(h.id(), c.code() + " / " + h.name()));
            }
        }
        return out;
    }

    static Candidate candidate(String value, String description) {
        return new Candidate(value, value, null, description, null, null, true);
    }
}

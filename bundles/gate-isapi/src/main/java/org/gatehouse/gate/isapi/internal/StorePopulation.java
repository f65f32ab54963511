package org.gatehouse.gate.isapi.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.gatehouse.api.model.Household;
import org.gatehouse.api.model.Resident;
import org.gatehouse.api.service.CommunityRepository;
import org.gatehouse.api.service.FaceTemplateRepository;
import org.gatehouse.api.service.HouseholdRepository;
import org.gatehouse.api.service.Scope;

/** {@link Population} read from the store's repositories (a removed resident is not listed by its household). */
final class StorePopulation implements Population {
    private final HouseholdRepository households;
    private final CommunityRepository communities;
    private final FaceTemplateRepository templates;

    StorePopulation(HouseholdRepository households, CommunityRepository communities, FaceTemplateRepository templates) {
        this.households = households;
        this.communities = communities;
        this.templates = templates;
    }

    @Override
    public Optional<byte[]> facePhoto(String residentId) {
        return templates.terminalPhoto(residentId).map(FaceTemplateRepository.TerminalPhoto::jpeg);
    }

    @Override
    public Optional<Member> member(String residentId) {
        return households.resident(Scope.all(), residentId)
                .filter(r -> households.residents(Scope.all(), r.householdId()).stream()
                        .anyMatch(x -> x.id().equals(residentId)))
                .map(r -> member(r, building(r.householdId())));
    }

    @Override
    public List<Member> members(String communityId) {
        List<Member> out = new ArrayList<>();
        for (Household household : households.households(Scope.all(), communityId)) {
            String building = building(household.id());
            for (Resident r : households.residents(Scope.all(), household.id())) {
                out.add(member(r, building));
            }
        }
        return out;
    }

    private String building(String householdId) {
        return households.household(Scope.all(), householdId)
                .map(Household::unitId)
                .flatMap(unit -> unit == null ? Optional.empty() : communities.unit(Scope.all(), unit))
                .map(u -> u.buildingId()).orElse(null);
    }

    private static Member member(Resident r, String building) {
        return new Member(r.id(), r.communityId(), r.name(), building, r.validFrom(), r.validUntil());
    }
}

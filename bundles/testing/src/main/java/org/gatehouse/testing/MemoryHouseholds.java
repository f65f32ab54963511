package org.gatehouse.testing;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.gatehouse.api.model.CareFlag;
import org.gatehouse.api.model.Household;
import org.gatehouse.api.model.Resident;
import org.gatehouse.api.model.ResidentRole;
import org.gatehouse.api.model.Unit;
import org.gatehouse.api.service.HouseholdRepository;
import org.gatehouse.api.service.NotFoundException;
import org.gatehouse.api.service.Scope;

/** Households and their residents; removed residents are kept apart in {@link #removed}. */
public class MemoryHouseholds implements HouseholdRepository {
    public final MemoryCommunities communities;
    public final Map<String, Household> households = new ConcurrentHashMap<>();
    public final Map<String, Resident> residents = new ConcurrentHashMap<>();
    /** Removed (moved-out) residents: invisible to reads, kept like the store keeps their rows. */
    public final Map<String, Resident> removed = new ConcurrentHashMap<>();
    /** Set by {@link MemoryCredentials}: removal revokes the credentials, as the store does in its transaction. */
    volatile MemoryCredentials credentials;

    public MemoryHouseholds(MemoryCommunities communities) {
        this.communities = communities;
    }

    @Override
    public Household createHousehold(Scope scope, String unitId, String name) {
        communities.checkUp();
        Unit u = communities.unit(scope, unitId).orElseThrow(() -> new NotFoundException("unit", unitId));
        Household h = new Household(MemoryServices.id(), u.communityId(), u.id(), name, Instant.now());
        households.put(h.id(), h);
        return h;
    }

    @Override
    public List<Household> households(Scope scope, String communityId) {
        communities.checkUp();
        scope.check(communityId);
        return households.values().stream().filter(h -> h.communityId().equals(communityId)).toList();
    }

    @Override
    public Optional<Household> household(Scope scope, String id) {
        communities.checkUp();
        return Optional.ofNullable(households.get(id)).filter(h -> scope.allows(h.communityId()));
    }

    @Override
    public Resident addResident(Scope scope, String householdId, String name, ResidentRole role,
                                LocalDate birthDate, String phone, Instant validFrom, Instant validUntil,
                                Set<CareFlag> careFlags) {
        communities.checkUp();
        Household h = household(scope, householdId).orElseThrow(() -> new NotFoundException("household", householdId));
        Resident r = new Resident(MemoryServices.id(), h.communityId(), h.id(), name, role, birthDate, phone, validFrom,
                validUntil, careFlags);
        residents.put(r.id(), r);
        return r;
    }

    @Override
    public List<Resident> residents(Scope scope, String householdId) {
        communities.checkUp();
        household(scope, householdId).orElseThrow(() -> new NotFoundException("household", householdId));
        return residents.values().stream().filter(r -> r.householdId().equals(householdId)).toList();
    }

    @Override
    public Optional<Resident> resident(Scope scope, String id) {
        communities.checkUp();
        return Optional.ofNullable(residents.get(id)).filter(r -> scope.allows(r.communityId()));
    }

    /** A resident also if removed (what the store's row lock finds), in scope. */
    public Optional<Resident> anyResident(Scope scope, String id) {
        return Optional.ofNullable(id == null ? null : residents.getOrDefault(id, removed.get(id)))
                .filter(r -> scope.allows(r.communityId()));
    }

    @Override
    public Resident updateResident(Scope scope, Resident resident) {
        communities.checkUp();
        resident(scope, resident.id()).orElseThrow(() -> new NotFoundException("resident", resident.id()));
        residents.put(resident.id(), resident);
        return resident;
    }

    @Override
    public synchronized void removeResident(Scope scope, String id) {
        communities.checkUp();
        Resident r = resident(scope, id).orElseThrow(() -> new NotFoundException("resident", id));
        MemoryCredentials c = credentials;
        if (c != null) {
            c.endFaces(scope, id, false);
            c.revokeAll(id);
        }
        residents.remove(id);
        removed.put(id, r);
    }
}

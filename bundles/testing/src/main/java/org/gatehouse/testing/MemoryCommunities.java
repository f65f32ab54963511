package org.gatehouse.testing;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.gatehouse.api.model.Building;
import org.gatehouse.api.model.Community;
import org.gatehouse.api.model.Unit;
import org.gatehouse.api.service.CommunityRepository;
import org.gatehouse.api.service.NotFoundException;
import org.gatehouse.api.service.Scope;
import org.gatehouse.api.service.StoreUnavailableException;

/**
 * Communities, buildings and units, scoped like the store. {@link #down} is the database's switch for this fake and
 * the {@link MemoryHouseholds} and {@link MemoryCredentials} over it.
 */
public class MemoryCommunities implements CommunityRepository {
    public final Map<String, Community> communities = new ConcurrentHashMap<>();
    public final Map<String, Building> buildings = new ConcurrentHashMap<>();
    public final Map<String, Unit> units = new ConcurrentHashMap<>();
    /**
     * While true every call of this fake, of the households over it and of their credentials throws
     * {@link StoreUnavailableException}, as the store does while the database is down (nothing is read or written).
     */
    public volatile boolean down;

    /** Throws as a database that is down while {@link #down} is set. */
    public void checkUp() {
        if (down) {
            throw new StoreUnavailableException("database down (test)", null);
        }
    }

    @Override
    public Community createCommunity(String code, String name, String address) {
        checkUp();
        Community c = new Community(MemoryServices.id(), code, name, address, Instant.now());
        communities.put(c.id(), c);
        return c;
    }

    @Override
    public List<Community> communities(Scope scope) {
        checkUp();
        return communities.values().stream().filter(c -> scope.allows(c.id())).toList();
    }

    @Override
    public Optional<Community> community(Scope scope, String id) {
        checkUp();
        return Optional.ofNullable(communities.get(id)).filter(c -> scope.allows(c.id()));
    }

    @Override
    public Optional<Community> communityByCode(Scope scope, String code) {
        checkUp();
        return communities(scope).stream().filter(c -> c.code().equals(code)).findFirst();
    }

    @Override
    public void deleteCommunity(Scope scope, String id) {
        checkUp();
        throw new UnsupportedOperationException();
    }

    @Override
    public Building createBuilding(Scope scope, String communityId, String code, String name) {
        checkUp();
        scope.check(communityId);
        Building b = new Building(MemoryServices.id(), communityId, code, name);
        buildings.put(b.id(), b);
        return b;
    }

    @Override
    public List<Building> buildings(Scope scope, String communityId) {
        checkUp();
        scope.check(communityId);
        return buildings.values().stream().filter(b -> b.communityId().equals(communityId)).toList();
    }

    @Override
    public Optional<Building> building(Scope scope, String id) {
        checkUp();
        return Optional.ofNullable(buildings.get(id)).filter(b -> scope.allows(b.communityId()));
    }

    @Override
    public void deleteBuilding(Scope scope, String id) {
        checkUp();
        throw new UnsupportedOperationException();
    }

    @Override
    public Unit createUnit(Scope scope, String buildingId, String stairway, int floor, String number, Double area) {
        checkUp();
        Building b = building(scope, buildingId).orElseThrow(() -> new NotFoundException("building", buildingId));
        Unit u = new Unit(MemoryServices.id(), b.communityId(), b.id(), stairway, floor, number, area);
        units.put(u.id(), u);
        return u;
    }

    @Override
    public List<Unit> units(Scope scope, String buildingId) {
        checkUp();
        building(scope, buildingId).orElseThrow(() -> new NotFoundException("building", buildingId));
        return units.values().stream().filter(u -> u.buildingId().equals(buildingId)).toList();
    }

    @Override
    public Optional<Unit> unit(Scope scope, String id) {
        checkUp();
        return Optional.ofNullable(units.get(id)).filter(u -> scope.allows(u.communityId()));
    }

    @Override
    public void deleteUnit(Scope scope, String id) {
        checkUp();
        throw new UnsupportedOperationException();
    }

    @Override
    public Map<String, Long> counts(Scope scope) {
        checkUp();
        return Map.of();
    }
}

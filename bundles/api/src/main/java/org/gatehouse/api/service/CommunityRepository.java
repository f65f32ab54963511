package org.gatehouse.api.service;

import java.util.List;
import java.util.Optional;

import org.gatehouse.api.model.Building;
import org.gatehouse.api.model.Community;
import org.gatehouse.api.model.Unit;

/** Communities, their buildings and flats. */
public interface CommunityRepository {
    /** Creates a community; its code must be unique in the city. */
    Community createCommunity(String code, String name, String address);

    List<Community> communities(Scope scope);

    Optional<Community> community(Scope scope, String id);

    Optional<Community> communityByCode(Scope scope, String code);

    /** A community named by its code or its id, as people type them in the shell. */
    default Community find(Scope scope, String codeOrId) {
        return communityByCode(scope, codeOrId).or(() -> community(scope, codeOrId))
                .orElseThrow(() -> new NotFoundException("community", codeOrId));
    }

    /** Deletes a community that has no buildings left; {@link ConflictException} otherwise. */
    void deleteCommunity(Scope scope, String id);

    Building createBuilding(Scope scope, String communityId, String code, String name);

    List<Building> buildings(Scope scope, String communityId);

    Optional<Building> building(Scope scope, String id);

    void deleteBuilding(Scope scope, String id);

    Unit createUnit(Scope scope, String buildingId, String stairway, int floor, String number, Double areaSquareMetres);

    List<Unit> units(Scope scope, String buildingId);

    Optional<Unit> unit(Scope scope, String id);

    void deleteUnit(Scope scope, String id);

    /** Counts used by status pages: communities, buildings, units, households, residents. */
    java.util.Map<String, Long> counts(Scope scope);
}

package org.gatehouse.store.internal.repo;

import static org.gatehouse.store.internal.repo.RepositoryQueries.*;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.cayenne.ObjectContext;
import org.apache.cayenne.exp.Expression;
import org.apache.cayenne.query.Ordering;
import org.apache.cayenne.query.SortOrder;
import org.gatehouse.api.model.Building;
import org.gatehouse.api.model.Community;
import org.gatehouse.api.model.Unit;
import org.gatehouse.api.model.Validation;
import org.gatehouse.api.service.CommunityRepository;
import org.gatehouse.api.service.ConflictException;
import org.gatehouse.api.service.NotFoundException;
import org.gatehouse.api.service.Scope;
import org.gatehouse.store.internal.CayenneStore;
import org.gatehouse.store.internal.model.BuildingRow;
import org.gatehouse.store.internal.model.CommunityRow;
import org.gatehouse.store.internal.model.HouseholdRow;
import org.gatehouse.store.internal.model.ResidentRow;
import org.gatehouse.store.internal.model.UnitRow;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

@Component(service = CommunityRepository.class)
public class CommunityRepositoryImpl implements CommunityRepository {
    private final CayenneStore store;

    @Activate
    public CommunityRepositoryImpl(@Reference CayenneStore store) {
        this.store = store;
    }

    @Override
    public Community createCommunity(String code, String name, String address) {
        Community community = new Community(newId(), Validation.requireText(code, "code").strip(), name, address, now());
        return store.write(context -> {
            if (select(CommunityRow.class, eq("code", community.code())).selectFirst(context) != null) {
                throw new ConflictException("community code '" + community.code() + "' already exists");
            }
            CommunityRow row = context.newObject(CommunityRow.class);
            row.set("id", community.id()).set("code", community.code()).set("name", community.name())
                    .set("address", community.address()).set("createdAt", community.createdAt());
            context.commitChanges();
            return community;
        });
    }

    @Override
    public List<Community> communities(Scope scope) {
        Expression where = inScope(scope, "id");
        return store.read(context -> select(CommunityRow.class, where)
                .orderBy(new Ordering("code", SortOrder.ASCENDING)).select(context).stream()
                .map(CommunityRepositoryImpl::community).toList());
    }

    @Override
    public Optional<Community> community(Scope scope, String id) {
        return store.read(context -> RepositoryQueries.find(context, CommunityRow.class, id, scope, "id")
                .map(CommunityRepositoryImpl::community));
    }

    @Override
    public Optional<Community> communityByCode(Scope scope, String code) {
        Expression where = and(inScope(scope, "id"), eq("code", code));
        return store.read(context -> Optional.ofNullable(select(CommunityRow.class, where).selectFirst(context))
                .map(CommunityRepositoryImpl::community));
    }

    @Override
    public void deleteCommunity(Scope scope, String id) {
        store.write(context -> {
            CommunityRow row = RepositoryQueries.find(context, CommunityRow.class, id, scope, "id")
                    .orElseThrow(() -> new NotFoundException("community", id));
            if (select(BuildingRow.class, eq("communityId", id)).selectCount(context) > 0) {
                throw new ConflictException("community '" + id + "' still has buildings");
            }
            context.deleteObject(row);
            context.commitChanges();
            return null;
        });
    }

    @Override
    public Building createBuilding(Scope scope, String communityId, String code, String name) {
        Validation.requireText(communityId, "communityId");
        scope(scope).check(communityId);
        Building building = new Building(newId(), communityId, Validation.requireText(code, "code").strip(), name);
        return store.write(context -> {
            requireCommunity(context, scope, communityId);
            if (select(BuildingRow.class, and(eq("communityId", communityId), eq("code", building.code())))
                    .selectFirst(context) != null) {
                throw new ConflictException("building code '" + building.code() + "' already exists in the community");
            }
            BuildingRow row = context.newObject(BuildingRow.class);
            row.set("id", building.id()).set("communityId", communityId).set("code", building.code())
                    .set("name", building.name());
            context.commitChanges();
            return building;
        });
    }

    @Override
    public List<Building> buildings(Scope scope, String communityId) {
        return store.read(context -> {
            Expression where = inCommunity(context, scope, communityId);
            return select(BuildingRow.class, where).orderBy(new Ordering("code", SortOrder.ASCENDING))
                    .select(context).stream().map(CommunityRepositoryImpl::building).toList();
        });
    }

    @Override
    public Optional<Building> building(Scope scope, String id) {
        return store.read(context -> RepositoryQueries.find(context, BuildingRow.class, id, scope)
                .map(CommunityRepositoryImpl::building));
    }

    @Override
    public void deleteBuilding(Scope scope, String id) {
        store.write(context -> {
            BuildingRow row = require(context, BuildingRow.class, id, scope, "building");
            if (select(UnitRow.class, eq("buildingId", id)).selectCount(context) > 0) {
                throw new ConflictException("building '" + id + "' still has units");
            }
            context.deleteObject(row);
            context.commitChanges();
            return null;
        });
    }

    @Override
    public Unit createUnit(Scope scope, String buildingId, String stairway, int floor, String number,
                           Double areaSquareMetres) {
        Validation.requireText(buildingId, "buildingId");
        Validation.requireText(number, "number");
        if (areaSquareMetres != null && (areaSquareMetres <= 0 || areaSquareMetres.isNaN())) {
            throw new IllegalArgumentException("areaSquareMetres must be positive");
        }
        String stair = stairway == null || stairway.isBlank() ? null : stairway.strip();
        return store.write(context -> {
            BuildingRow building = require(context, BuildingRow.class, buildingId, scope, "building");
            Unit unit = new Unit(newId(), building.str("communityId"), buildingId, stair, floor, number.strip(),
                    areaSquareMetres);
            if (select(UnitRow.class, and(eq("buildingId", buildingId), eq("stairway", stair == null ? "" : stair),
                    eq("floor", floor), eq("number", unit.number()))).selectFirst(context) != null) {
                throw new ConflictException("unit " + unit.number() + " on floor " + floor + " already exists");
            }
            UnitRow row = context.newObject(UnitRow.class);
            row.set("id", unit.id()).set("communityId", unit.communityId()).set("buildingId", buildingId)
                    .set("stairway", stair == null ? "" : stair).set("floor", floor).set("number", unit.number())
                    .set("areaSquareMetres", areaSquareMetres);
            context.commitChanges();
            return unit;
        });
    }

    @Override
    public List<Unit> units(Scope scope, String buildingId) {
        return store.read(context -> {
            Expression where = inScope(scope, "communityId");
            if (buildingId != null) {
                require(context, BuildingRow.class, buildingId, scope, "building");
                where = and(where, eq("buildingId", buildingId));
            }
            return select(UnitRow.class, where)
                    .orderBy(new Ordering("stairway", SortOrder.ASCENDING), new Ordering("floor", SortOrder.ASCENDING),
                            new Ordering("number", SortOrder.ASCENDING))
                    .select(context).stream().map(CommunityRepositoryImpl::unit).toList();
        });
    }

    @Override
    public Optional<Unit> unit(Scope scope, String id) {
        return store.read(context -> RepositoryQueries.find(context, UnitRow.class, id, scope)
                .map(CommunityRepositoryImpl::unit));
    }

    @Override
    public void deleteUnit(Scope scope, String id) {
        store.write(context -> {
            UnitRow row = require(context, UnitRow.class, id, scope, "unit");
            if (select(HouseholdRow.class, eq("unitId", id)).selectCount(context) > 0) {
                throw new ConflictException("unit '" + id + "' still has households");
            }
            context.deleteObject(row);
            context.commitChanges();
            return null;
        });
    }

    @Override
    public Map<String, Long> counts(Scope scope) {
        return store.read(context -> {
            Map<String, Long> counts = new LinkedHashMap<>();
            counts.put("communities", select(CommunityRow.class, inScope(scope, "id")).selectCount(context));
            counts.put("buildings", count(context, BuildingRow.class, scope));
            counts.put("units", count(context, UnitRow.class, scope));
            counts.put("households", count(context, HouseholdRow.class, scope));
            counts.put("residents", select(ResidentRow.class, and(inScope(scope, "communityId"),
                    eq("removedAt", null))).selectCount(context));
            return counts;
        });
    }

    private static long count(ObjectContext context, Class<? extends org.gatehouse.store.internal.model.Row> type,
                              Scope scope) {
        return select(type, inScope(scope, "communityId")).selectCount(context);
    }

    static Community community(CommunityRow row) {
        return new Community(row.str("id"), row.str("code"), row.str("name"), row.str("address"),
                row.instant("createdAt"));
    }

    static Building building(BuildingRow row) {
        return new Building(row.str("id"), row.str("communityId"), row.str("code"), row.str("name"));
    }

    static Unit unit(UnitRow row) {
        String stairway = row.str("stairway");
        Number area = (Number) row.readProperty("areaSquareMetres");
        return new Unit(row.str("id"), row.str("communityId"), row.str("buildingId"),
                stairway == null || stairway.isEmpty() ? null : stairway, row.integer("floor"), row.str("number"),
                area == null ? null : area.doubleValue());
    }
}

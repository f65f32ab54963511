package org.gatehouse.store.internal.repo;

import static org.gatehouse.store.internal.repo.RepositoryQueries.*;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.cayenne.ObjectContext;
import org.apache.cayenne.exp.Expression;
import org.apache.cayenne.query.Ordering;
import org.apache.cayenne.query.SortOrder;
import org.gatehouse.api.model.CareFlag;
import org.gatehouse.api.model.Household;
import org.gatehouse.api.model.PopulationChange;
import org.gatehouse.api.model.PopulationChangeType;
import org.gatehouse.api.model.Resident;
import org.gatehouse.api.model.ResidentRole;
import org.gatehouse.api.model.Validation;
import org.gatehouse.api.service.HouseholdRepository;
import org.gatehouse.api.service.NotFoundException;
import org.gatehouse.api.service.Scope;
import org.gatehouse.api.stream.Streams;
import org.gatehouse.store.internal.CayenneStore;
import org.gatehouse.store.internal.Json;
import org.gatehouse.store.internal.model.BuildingRow;
import org.gatehouse.store.internal.model.HouseholdRow;
import org.gatehouse.store.internal.model.ResidentRow;
import org.gatehouse.store.internal.model.UnitRow;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

@Component(service = HouseholdRepository.class)
public class HouseholdRepositoryImpl implements HouseholdRepository {
    private final CayenneStore store;

    @Activate
    public HouseholdRepositoryImpl(@Reference CayenneStore store) {
        this.store = store;
    }

    @Override
    public Household createHousehold(Scope scope, String unitId, String name) {
        Validation.requireText(unitId, "unitId");
        return store.write(context -> {
            UnitRow unit = require(context, UnitRow.class, unitId, scope, "unit");
            Household household = new Household(newId(), unit.str("communityId"), unitId, name, now());
            HouseholdRow row = context.newObject(HouseholdRow.class);
            row.set("id", household.id()).set("communityId", household.communityId()).set("unitId", unitId)
                    .set("name", name).set("createdAt", household.createdAt());
            context.commitChanges();
            return household;
        });
    }

    @Override
    public List<Household> households(Scope scope, String communityId) {
        return store.read(context -> {
            Expression where = inCommunity(context, scope, communityId);
            return select(HouseholdRow.class, where).orderBy(new Ordering("createdAt", SortOrder.ASCENDING),
                    new Ordering("id", SortOrder.ASCENDING)).select(context).stream()
                    .map(HouseholdRepositoryImpl::household).toList();
        });
    }

    @Override
    public Optional<Household> household(Scope scope, String id) {
        return store.read(context -> find(context, HouseholdRow.class, id, scope).map(HouseholdRepositoryImpl::household));
    }

    @Override
    public Resident addResident(Scope scope, String householdId, String name, ResidentRole role, LocalDate birthDate,
                                String phone, Instant validFrom, Instant validUntil, Set<CareFlag> careFlags) {
        Validation.requireText(householdId, "householdId");
        return store.write(context -> {
            Resident resident = insertResident(store, context, scope, householdId, name, role, birthDate, phone,
                    validFrom, validUntil, careFlags);
            context.commitChanges();
            return resident;
        });
    }

    /**
     * A new resident and its {@code MOVE_IN} in the caller's transaction (the outbox row is written at once, the
     * resident row when the caller flushes the context): the household must be in scope.
     */
    static Resident insertResident(CayenneStore store, ObjectContext context, Scope scope, String householdId,
                                   String name, ResidentRole role, LocalDate birthDate, String phone,
                                   Instant validFrom, Instant validUntil, Set<CareFlag> careFlags) {
        HouseholdRow household = require(context, HouseholdRow.class, householdId, scope, "household");
        Resident resident = new Resident(newId(), household.str("communityId"), householdId, name, role,
                birthDate, phone, micros(validFrom), micros(validUntil), careFlags);
        // outbox row first: a failure while flushing the resident rolls both back (one transaction)
        population(store, context, PopulationChangeType.MOVE_IN, resident, household.str("unitId"),
                "role " + resident.role().name());
        ResidentRow row = context.newObject(ResidentRow.class);
        row.set("id", resident.id()).set("communityId", resident.communityId());
        write(row, resident);
        return resident;
    }

    @Override
    public List<Resident> residents(Scope scope, String householdId) {
        return store.read(context -> {
            Expression where = inScope(scope, "communityId");
            if (householdId != null) {
                require(context, HouseholdRow.class, householdId, scope, "household");
                where = and(where, eq("householdId", householdId));
            }
            where = and(where, eq("removedAt", null));
            return select(ResidentRow.class, where).orderBy(new Ordering("name", SortOrder.ASCENDING),
                    new Ordering("id", SortOrder.ASCENDING)).select(context).stream()
                    .map(HouseholdRepositoryImpl::resident).toList();
        });
    }

    @Override
    public Optional<Resident> resident(Scope scope, String id) {
        return store.read(context -> Residents.find(context, id, scope).map(HouseholdRepositoryImpl::resident));
    }

    @Override
    public Resident updateResident(Scope scope, Resident resident) {
        Validation.require(resident, "resident");
        return store.write(context -> {
            ResidentRow row = Residents.lock(store, context, resident.id(), scope);
            if (!row.str("communityId").equals(resident.communityId())) {
                throw new IllegalArgumentException("communityId cannot change");
            }
            HouseholdRow target = require(context, HouseholdRow.class, resident.householdId(), scope, "household");
            if (!target.str("communityId").equals(resident.communityId())) {
                throw new NotFoundException("household", resident.householdId());
            }
            Resident old = resident(row);
            Resident stored = new Resident(resident.id(), resident.communityId(), resident.householdId(),
                    resident.name(), resident.role(), resident.birthDate(), resident.phone(),
                    micros(resident.validFrom()), micros(resident.validUntil()), resident.careFlags());
            String unitId = target.str("unitId");
            List<String> changes = changes(old, stored);
            if (!changes.isEmpty()) {
                population(store, context, PopulationChangeType.OCCUPANCY_CHANGE, stored, unitId,
                        String.join("; ", changes));
            }
            if (movedOut(old, stored, now())) {
                population(store, context, PopulationChangeType.MOVE_OUT, stored, unitId,
                        "validUntil " + stored.validUntil());
            }
            write(row, stored);
            context.commitChanges();
            return stored;
        });
    }

    @Override
    public void removeResident(Scope scope, String id) {
        store.write(context -> remove(store, context, scope, id));
    }

    /**
     * Move-out in the caller's transaction (see {@link HouseholdRepository#removeResident}): locks the resident row,
     * ends its faces, revokes its credentials (events written), appends {@code MOVE_OUT}, marks it removed, flushes.
     */
    static Resident remove(CayenneStore store, ObjectContext context, Scope scope, String id) {
        // kept, marked removed: consents are the legal trail and credentials stay as revoked rows
        ResidentRow row = Residents.lock(store, context, id, scope);
        Resident resident = resident(row);
        HouseholdRow household = require(context, HouseholdRow.class, resident.householdId(), Scope.all(),
                "household");
        Instant at = now();
        // faces and credentials end with their credential-changes events, in this transaction
        int revoked = CredentialRepositoryImpl.endFaces(store, context, row, false).revoked().size();
        revoked += CredentialRepositoryImpl.revokeAll(store, context, id, at).size();
        population(store, context, PopulationChangeType.MOVE_OUT, resident, household.str("unitId"),
                removedDetail(revoked));
        row.set("removedAt", at);
        context.commitChanges();
        return resident;
    }

    /**
     * Appends a population change to the outbox in the caller's transaction, naming the person as registered now
     * (name, role, birth date, phone — each consumer gets only the fields configured for it) and the flat.
     */
    static void population(CayenneStore store, ObjectContext context, PopulationChangeType type, Resident resident,
                           String unitId, String detail) {
        population(store, context, type, resident, unitId, detail,
                new PopulationChange.Person(resident.name(), resident.role(), resident.birthDate(), resident.phone(),
                        null));
    }

    /** As above with the person given ({@code null}: an erased person is not named). */
    static void population(CayenneStore store, ObjectContext context, PopulationChangeType type, Resident resident,
                           String unitId, String detail, PopulationChange.Person person) {
        PopulationChange event = new PopulationChange(newId(), resident.communityId(), type, resident.id(),
                resident.householdId(), unitId, now(), detail, person, flat(context, unitId));
        OutboxWriter.append(store, Streams.POPULATION_CHANGES, event.id(), event.communityId(), Json.write(event));
    }

    /** The flat {@code unitId} with its building, or null when the household has no flat. */
    static PopulationChange.Flat flat(ObjectContext context, String unitId) {
        if (unitId == null) {
            return null;
        }
        return find(context, UnitRow.class, unitId, Scope.all()).map(CommunityRepositoryImpl::unit).map(unit -> {
            Optional<BuildingRow> building = find(context, BuildingRow.class, unit.buildingId(), Scope.all());
            return new PopulationChange.Flat(unit.buildingId(), building.map(b -> b.str("code")).orElse(null),
                    building.map(b -> b.str("name")).orElse(null), unit.stairway(), unit.floor(), unit.number());
        }).orElse(null);
    }

    /** The MOVE_OUT detail of a removal. */
    static String removedDetail(int revoked) {
        return "removed" + (revoked == 0 ? "" : ", " + revoked + " credential(s) revoked");
    }

    /** What changed in role, household and validity window, e.g. "role TENANT->CO_RESIDENT". */
    static List<String> changes(Resident old, Resident updated) {
        List<String> changes = new ArrayList<>();
        if (old.role() != updated.role()) {
            changes.add("role " + old.role() + "->" + updated.role());
        }
        if (!old.householdId().equals(updated.householdId())) {
            changes.add("household " + old.householdId() + "->" + updated.householdId());
        }
        if (!Objects.equals(old.validFrom(), updated.validFrom())) {
            changes.add("validFrom " + old.validFrom() + "->" + updated.validFrom());
        }
        if (!Objects.equals(old.validUntil(), updated.validUntil())) {
            changes.add("validUntil " + old.validUntil() + "->" + updated.validUntil());
        }
        return changes;
    }

    /** The new validUntil ends access now or earlier, and the old one had not already ended it. */
    static boolean movedOut(Resident old, Resident updated, Instant now) {
        Instant until = updated.validUntil();
        if (until == null || until.isAfter(now) || Objects.equals(until, old.validUntil())) {
            return false;
        }
        return old.validUntil() == null || old.validUntil().isAfter(now);
    }

    private static void write(ResidentRow row, Resident resident) {
        row.set("householdId", resident.householdId()).set("name", resident.name())
                .set("role", resident.role().name()).set("birthDate", resident.birthDate())
                .set("phone", resident.phone()).set("validFrom", resident.validFrom())
                .set("validUntil", resident.validUntil()).set("careFlags", careFlags(resident.careFlags()));
    }

    static String careFlags(Set<CareFlag> flags) {
        return flags.stream().map(Enum::name).sorted().collect(Collectors.joining(","));
    }

    static Set<CareFlag> careFlags(String text) {
        if (text == null || text.isBlank()) {
            return Set.of();
        }
        EnumSet<CareFlag> flags = EnumSet.noneOf(CareFlag.class);
        Arrays.stream(text.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .forEach(s -> flags.add(CareFlag.valueOf(s)));
        return flags;
    }

    static Household household(HouseholdRow row) {
        return new Household(row.str("id"), row.str("communityId"), row.str("unitId"), row.str("name"),
                row.instant("createdAt"));
    }

    static Resident resident(ResidentRow row) {
        return new Resident(row.str("id"), row.str("communityId"), row.str("householdId"), row.str("name"),
                enumValue(ResidentRole.class, row.str("role")), (LocalDate) row.readProperty("birthDate"),
                row.str("phone"), row.instant("validFrom"), row.instant("validUntil"), careFlags(row.str("careFlags")));
    }

}

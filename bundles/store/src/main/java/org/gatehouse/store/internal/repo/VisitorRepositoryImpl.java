package org.gatehouse.store.internal.repo;

import static org.gatehouse.store.internal.repo.RepositoryQueries.*;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.core.type.TypeReference;

import org.apache.cayenne.ObjectContext;
import org.apache.cayenne.exp.Expression;
import org.apache.cayenne.exp.ExpressionFactory;
import org.apache.cayenne.query.Ordering;
import org.apache.cayenne.query.SortOrder;
import org.gatehouse.api.model.Alert;
import org.gatehouse.api.model.AlertSeverity;
import org.gatehouse.api.model.AlertStatus;
import org.gatehouse.api.model.AlertType;
import org.gatehouse.api.model.Device;
import org.gatehouse.api.model.PopulationChange;
import org.gatehouse.api.model.Resident;
import org.gatehouse.api.model.Validation;
import org.gatehouse.api.model.VisitLogEntry;
import org.gatehouse.api.model.Visitor;
import org.gatehouse.api.model.VisitorPass;
import org.gatehouse.api.model.VisitorStatus;
import org.gatehouse.api.service.ConflictException;
import org.gatehouse.api.service.NotFoundException;
import org.gatehouse.api.service.Scope;
import org.gatehouse.api.service.VisitorRepository;
import org.gatehouse.api.stream.Streams;
import org.gatehouse.store.internal.CayenneStore;
import org.gatehouse.store.internal.Errors;
import org.gatehouse.store.internal.Json;
import org.gatehouse.store.internal.model.BuildingRow;
import org.gatehouse.store.internal.model.CommunityRow;
import org.gatehouse.store.internal.model.DeviceRow;
import org.gatehouse.store.internal.model.HouseholdRow;
import org.gatehouse.store.internal.model.ResidentRow;
import org.gatehouse.store.internal.model.VisitLogRow;
import org.gatehouse.store.internal.model.VisitorPassRow;
import org.gatehouse.store.internal.model.VisitorRow;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Visitors, passes and the visitor log. At most one non-revoked pass per (community, code): the unique
 * constraint {@code uq_visitor_pass_active} on (community_id, active_code) enforces it (active_code = code
 * until revoked, then null; see V004). {@link #usePass} counts a use with one conditional UPDATE, so
 * concurrent uses never exceed {@code max_uses}. A pass with a {@code building_id} (V005) opens only through
 * {@link #usePassAtDevice}, at a door of that building or a compound gate.
 */
@Component(service = VisitorRepository.class)
public class VisitorRepositoryImpl implements VisitorRepository {
    private static final TypeReference<List<String>> GATES = new TypeReference<>() {
    };

    private final CayenneStore store;

    @Activate
    public VisitorRepositoryImpl(@Reference CayenneStore store) {
        this.store = store;
    }

    // ------------------------------------------------------------------ visitors

    @Override
    public Visitor register(Scope scope, Visitor draft, String deviceId) {
        scope(scope);
        Validation.require(draft, "draft");
        return store.write(context -> {
            HouseholdRow household = find(context, HouseholdRow.class, draft.hostHouseholdId(), scope)
                    .orElseThrow(() -> new NotFoundException("household", draft.hostHouseholdId()));
            String communityId = household.str("communityId");
            scope.check(communityId);
            DeviceRow device = deviceId == null ? null : find(context, DeviceRow.class, deviceId, Scope.all())
                    .filter(d -> communityId.equals(d.str("communityId")))
                    .orElseThrow(() -> new NotFoundException("device", deviceId));
            Visitor stored = new Visitor(newId(), communityId, draft.hostHouseholdId(), draft.name(), draft.phone(),
                    draft.idCardHash(), draft.purpose(), micros(draft.expectedFrom()), micros(draft.expectedUntil()),
                    draft.status(), draft.registeredBy(), draft.registeredVia(), draft.decidedBy(),
                    micros(draft.decidedAt()), now());
            VisitorRow row = context.newObject(VisitorRow.class);
            row.set("id", stored.id()).set("communityId", communityId).set("hostHouseholdId", stored.hostHouseholdId())
                    .set("name", stored.name()).set("phone", stored.phone()).set("idCardHash", stored.idCardHash())
                    .set("purpose", stored.purpose()).set("expectedFrom", stored.expectedFrom())
                    .set("expectedUntil", stored.expectedUntil()).set("status", stored.status().name())
                    .set("registeredBy", stored.registeredBy()).set("registeredVia", stored.registeredVia())
                    .set("decidedBy", stored.decidedBy()).set("decidedAt", stored.decidedAt())
                    .set("createdAt", stored.createdAt());
            context.commitChanges();
            if (stored.status() == VisitorStatus.WAITING_APPROVAL) {
                waitingEvent(context, stored, household.str("unitId"), device, AlertType.VISITOR_WAITING);
            }
            return stored;
        });
    }

    @Override
    public Optional<Visitor> visitor(Scope scope, String id) {
        scope(scope);
        return store.read(context -> find(context, VisitorRow.class, id, scope).map(VisitorRepositoryImpl::visitor));
    }

    @Override
    public List<Visitor> visitors(Scope scope, String communityId, VisitorStatus status, int limit) {
        int max = limit(limit);
        Expression where = and(inScope(scope, "communityId"),
                communityId == null ? null : eq("communityId", communityId),
                status == null ? null : eq("status", status.name()));
        return store.read(context -> select(VisitorRow.class, where)
                .orderBy(new Ordering("createdAt", SortOrder.DESCENDING), new Ordering("id", SortOrder.ASCENDING))
                .limit(max).select(context).stream().map(VisitorRepositoryImpl::visitor).toList());
    }

    @Override
    public Visitor decide(Scope scope, String visitorId, VisitorStatus decision, String decidedBy) {
        scope(scope);
        Validation.require(decision, "decision");
        Validation.requireText(decidedBy, "decidedBy");
        return store.write(context -> {
            VisitorRow row = lockVisitor(context, visitorId, scope);
            VisitorStatus current = enumValue(VisitorStatus.class, row.str("status"));
            if (!allowed(current, decision)) {
                throw new ConflictException("visitor '" + visitorId + "' is " + current + ": cannot become " + decision);
            }
            row.set("status", decision.name()).set("decidedBy", decidedBy).set("decidedAt", now());
            context.commitChanges();
            Visitor decided = visitor(row);
            if (current == VisitorStatus.WAITING_APPROVAL) {
                String unitId = find(context, HouseholdRow.class, decided.hostHouseholdId(), Scope.all())
                        .map(h -> h.str("unitId")).orElse(null);
                waitingEvent(context, decided, unitId, null, AlertType.VISITOR_WAITING_CLOSED);
            }
            return decided;
        });
    }

    /**
     * Appends {@code VISITOR_WAITING} (id {@code visitor-waiting:<visitor>}) or {@code VISITOR_WAITING_CLOSED} (id
     * {@code visitor-waiting-closed:<visitor>}) to the alerts outbox in the caller's transaction: the visit as stored
     * now, the flat in words and the household's residents who live there now (not removed, inside their lease).
     * Only the outbox: these are the residents' notifications, not alerts for the office's list.
     */
    private void waitingEvent(ObjectContext context, Visitor v, String unitId, DeviceRow device, AlertType type) {
        Instant at = now();
        List<String> residents = select(ResidentRow.class, and(eq("householdId", v.hostHouseholdId()),
                eq("removedAt", null))).orderBy(new Ordering("id", SortOrder.ASCENDING)).select(context).stream()
                .map(HouseholdRepositoryImpl::resident).filter(r -> r.isValidAt(at)).map(Resident::id).toList();
        PopulationChange.Flat flat = HouseholdRepositoryImpl.flat(context, unitId);
        Alert.Visit visit = new Alert.Visit(v.id(), v.hostHouseholdId(), unitId, flat, v.name(), v.purpose(),
                v.registeredVia(), device == null ? null : device.str("id"), device == null ? null : device.str("gate"),
                v.expectedFrom(), v.expectedUntil(), v.status(), residents);
        boolean waiting = type == AlertType.VISITOR_WAITING;
        String where = flatLabel(flat);
        String message = waiting
                ? "访客等待住户确认：" + where + " / a visitor waits for the approval of flat " + where
                : "访客等待已结束（" + v.status() + "）：" + where + " / the visitor of flat " + where
                        + " no longer waits (" + v.status() + ")";
        String id = (waiting ? "visitor-waiting:" : "visitor-waiting-closed:") + v.id();
        Alert event = new Alert(id, v.communityId(), type, AlertSeverity.INFO,
                waiting ? AlertStatus.OPEN : AlertStatus.CLOSED, v.id(), message, at, List.of(), visit);
        OutboxWriter.append(store, Streams.ALERTS, id, v.communityId(), Json.write(event));
    }

    /** {@code <building name or code> <flat number>}, e.g. {@code 3号楼 1203}; {@code ?} without a flat. */
    static String flatLabel(PopulationChange.Flat flat) {
        if (flat == null) {
            return "?";
        }
        String building = flat.buildingName() != null && !flat.buildingName().isBlank() ? flat.buildingName()
                : flat.buildingCode();
        return (building == null ? "" : building + " ") + flat.number();
    }

    static boolean allowed(VisitorStatus from, VisitorStatus to) {
        return switch (to) {
            case APPROVED, REJECTED -> from == VisitorStatus.WAITING_APPROVAL;
            case CLOSED -> from == VisitorStatus.WAITING_APPROVAL || from == VisitorStatus.APPROVED;
            case WAITING_APPROVAL -> false;
        };
    }

    /** {@code select ... for update} on the visitor row, then loads it; missing or out of scope: NotFound. */
    private VisitorRow lockVisitor(ObjectContext context, String id, Scope scope) {
        if (id == null || id.isBlank()) {
            throw new NotFoundException("visitor", String.valueOf(id));
        }
        Connection connection = store.transactionConnection();
        try (PreparedStatement select = connection.prepareStatement("select id from visitor where id = ? for update")) {
            select.setString(1, id);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    throw new NotFoundException("visitor", id);
                }
            }
        } catch (SQLException e) {
            throw Errors.translate(e);
        }
        return require(context, VisitorRow.class, id, scope, "visitor");
    }

    // ------------------------------------------------------------------ passes

    @Override
    public VisitorPass issuePass(Scope scope, String visitorId, VisitorPass draft) {
        scope(scope);
        Validation.require(draft, "draft");
        try {
            return store.write(context -> {
                VisitorRow visitor = lockVisitor(context, visitorId, scope);
                VisitorStatus status = enumValue(VisitorStatus.class, visitor.str("status"));
                if (status == VisitorStatus.REJECTED || status == VisitorStatus.CLOSED) {
                    throw new ConflictException("visitor '" + visitorId + "' is " + status + ": no pass can be issued");
                }
                String communityId = visitor.str("communityId");
                scope.check(communityId);
                if (draft.buildingId() != null && find(context, BuildingRow.class, draft.buildingId(), Scope.all())
                        .filter(b -> communityId.equals(b.str("communityId"))).isEmpty()) {
                    throw new NotFoundException("building", draft.buildingId());
                }
                if (activeByCode(context, communityId, draft.code()).isPresent()) {
                    throw duplicateCode(communityId);
                }
                VisitorPass pass = new VisitorPass(newId(), communityId, visitor.str("name"),
                        visitor.str("hostHouseholdId"), draft.code(), micros(draft.validFrom()),
                        micros(draft.validUntil()), draft.maxUses(), 0, draft.gates(), null, draft.buildingId());
                VisitorPassRow row = context.newObject(VisitorPassRow.class);
                row.set("id", pass.id()).set("communityId", communityId).set("visitorId", visitorId)
                        .set("visitorName", pass.visitorName()).set("hostHouseholdId", pass.hostHouseholdId())
                        .set("code", pass.code()).set("activeCode", pass.code()).set("validFrom", pass.validFrom())
                        .set("validUntil", pass.validUntil()).set("maxUses", pass.maxUses()).set("uses", 0)
                        .set("gates", gates(pass.gates())).set("revokedAt", null)
                        .set("buildingId", pass.buildingId());
                context.commitChanges();
                return pass;
            });
        } catch (ConflictException e) {
            // uq_visitor_pass_active: a concurrent issue took the code between our check and our insert
            if (e.getMessage() != null && e.getMessage().toLowerCase().contains("uq_visitor_pass_active")) {
                throw duplicateCode(null);
            }
            throw e;
        }
    }

    private static ConflictException duplicateCode(String communityId) {
        return new ConflictException("an active visitor pass with this code already exists"
                + (communityId == null ? "" : " in community '" + communityId + "'"));
    }

    @Override
    public Optional<VisitorPass> pass(Scope scope, String passId) {
        scope(scope);
        return store.read(context -> find(context, VisitorPassRow.class, passId, scope).map(VisitorRepositoryImpl::pass));
    }

    @Override
    public Optional<VisitorPass> passByCode(Scope scope, String communityId, String code) {
        scope(scope);
        if (communityId == null || code == null || !scope.allows(communityId)) {
            return Optional.empty();
        }
        return store.read(context -> activeByCode(context, communityId, code).map(VisitorRepositoryImpl::pass));
    }

    private static Optional<VisitorPassRow> activeByCode(ObjectContext context, String communityId, String code) {
        return Optional.ofNullable(select(VisitorPassRow.class,
                and(eq("communityId", communityId), eq("activeCode", code))).selectFirst(context));
    }

    @Override
    public List<VisitorPass> passesOf(Scope scope, String visitorId) {
        scope(scope);
        return store.read(context -> {
            require(context, VisitorRow.class, visitorId, scope, "visitor");
            return select(VisitorPassRow.class, and(inScope(scope, "communityId"), eq("visitorId", visitorId)))
                    .orderBy(new Ordering("validFrom", SortOrder.ASCENDING), new Ordering("id", SortOrder.ASCENDING))
                    .select(context).stream().map(VisitorRepositoryImpl::pass).toList();
        });
    }

    /** By gate name: a building-limited pass never opens this way (see {@link VisitorPass#opens(String, Instant)}). */
    @Override
    public Optional<VisitorPass> usePass(Scope scope, String passId, String gate, Instant at) {
        scope(scope);
        Validation.requireText(gate, "gate");
        Validation.require(at, "at");
        return store.write(context -> {
            VisitorPass pass = pass(require(context, VisitorPassRow.class, passId, scope, "visitor pass"));
            if (pass.buildingId() != null || (!pass.gates().isEmpty() && !pass.gates().contains(gate))) {
                return Optional.<VisitorPass>empty();
            }
            return countUse(pass, at);
        });
    }

    /** At the stored device's gate: its gate name, and for a building-limited pass its building (or a compound gate). */
    @Override
    public Optional<VisitorPass> usePassAtDevice(Scope scope, String passId, String deviceId, Instant at) {
        scope(scope);
        Validation.require(at, "at");
        return store.write(context -> {
            VisitorPass pass = pass(require(context, VisitorPassRow.class, passId, scope, "visitor pass"));
            Device device = find(context, DeviceRow.class, deviceId, Scope.all())
                    .filter(d -> pass.communityId().equals(d.str("communityId")))
                    .map(DeviceRepositoryImpl::device)
                    .orElseThrow(() -> new NotFoundException("device", String.valueOf(deviceId)));
            if (!(pass.gates().isEmpty() || pass.gates().contains(device.gate())) || !pass.allowsBuildingOf(device)) {
                return Optional.<VisitorPass>empty();
            }
            return countUse(pass, at);
        });
    }

    /**
     * One conditional UPDATE in the caller's transaction: counts a use if uses are left, the pass is not revoked and
     * {@code at} is in its window; empty (nothing counted) otherwise.
     */
    private Optional<VisitorPass> countUse(VisitorPass pass, Instant at) {
        String passId = pass.id();
        Connection connection = store.transactionConnection();
        OffsetDateTime t = OffsetDateTime.ofInstant(micros(at), ZoneOffset.UTC);
        try (PreparedStatement update = connection.prepareStatement("update visitor_pass set uses = uses + 1 "
                + "where id = ? and uses < max_uses and revoked_at is null and valid_from <= ? and valid_until > ?")) {
            update.setString(1, passId);
            update.setObject(2, t);
            update.setObject(3, t);
            if (update.executeUpdate() != 1) {
                return Optional.empty();
            }
        } catch (SQLException e) {
            throw Errors.translate(e);
        }
        // our update holds the row lock until commit: this reads the count we just wrote
        int uses;
        try (PreparedStatement select = connection.prepareStatement("select uses from visitor_pass where id = ?")) {
            select.setString(1, passId);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                uses = rs.getInt(1);
            }
        } catch (SQLException e) {
            throw Errors.translate(e);
        }
        return Optional.of(new VisitorPass(pass.id(), pass.communityId(), pass.visitorName(),
                pass.hostHouseholdId(), pass.code(), pass.validFrom(), pass.validUntil(), pass.maxUses(), uses,
                pass.gates(), pass.revokedAt(), pass.buildingId()));
    }

    @Override
    public VisitorPass revokePass(Scope scope, String passId) {
        scope(scope);
        return store.write(context -> {
            VisitorPassRow row = require(context, VisitorPassRow.class, passId, scope, "visitor pass");
            if (row.readProperty("revokedAt") == null) {
                row.set("revokedAt", now()).set("activeCode", null);
                context.commitChanges();
            }
            return pass(row);
        });
    }

    // ------------------------------------------------------------------ log

    @Override
    public VisitLogEntry log(Scope scope, VisitLogEntry entry) {
        scope(scope);
        Validation.require(entry, "entry");
        scope.check(entry.communityId());
        VisitLogEntry stored = new VisitLogEntry(newId(), entry.communityId(), entry.visitorId(), entry.passId(),
                entry.event(), entry.actor(), entry.gate(), micros(entry.at()), entry.detail());
        return store.write(context -> {
            if (find(context, CommunityRow.class, stored.communityId(), Scope.all(), "id").isEmpty()) {
                throw new NotFoundException("community", stored.communityId());
            }
            VisitLogRow row = context.newObject(VisitLogRow.class);
            row.set("id", stored.id()).set("communityId", stored.communityId()).set("visitorId", stored.visitorId())
                    .set("passId", stored.passId()).set("event", stored.event()).set("actor", stored.actor())
                    .set("gate", stored.gate()).set("at", stored.at()).set("detail", stored.detail());
            context.commitChanges();
            return stored;
        });
    }

    @Override
    public List<VisitLogEntry> log(Scope scope, String communityId, Instant from, Instant to, int limit) {
        int max = limit(limit);
        Expression where = and(inScope(scope, "communityId"),
                communityId == null ? null : eq("communityId", communityId),
                from == null ? null : ExpressionFactory.greaterOrEqualExp("at", micros(from)),
                to == null ? null : ExpressionFactory.lessExp("at", micros(to)));
        return store.read(context -> select(VisitLogRow.class, where)
                .orderBy(new Ordering("at", SortOrder.DESCENDING), new Ordering("id", SortOrder.ASCENDING))
                .limit(max).select(context).stream().map(VisitorRepositoryImpl::entry).toList());
    }

    // ------------------------------------------------------------------ conversions

    static String gates(Set<String> gates) {
        return gates.isEmpty() ? "" : Json.write(List.copyOf(new TreeSet<>(gates)));
    }

    static Set<String> gates(String stored) {
        return stored == null || stored.isBlank() ? Set.of() : Set.copyOf(Json.read(stored, GATES));
    }

    static Visitor visitor(VisitorRow row) {
        return new Visitor(row.str("id"), row.str("communityId"), row.str("hostHouseholdId"), row.str("name"),
                row.str("phone"), row.str("idCardHash"), row.str("purpose"), row.instant("expectedFrom"),
                row.instant("expectedUntil"), enumValue(VisitorStatus.class, row.str("status")),
                row.str("registeredBy"), row.str("registeredVia"), row.str("decidedBy"), row.instant("decidedAt"),
                row.instant("createdAt"));
    }

    static VisitorPass pass(VisitorPassRow row) {
        return new VisitorPass(row.str("id"), row.str("communityId"), row.str("visitorName"),
                row.str("hostHouseholdId"), row.str("code"), row.instant("validFrom"), row.instant("validUntil"),
                row.integer("maxUses"), row.integer("uses"), gates(row.str("gates")), row.instant("revokedAt"),
                row.str("buildingId"));
    }

    static VisitLogEntry entry(VisitLogRow row) {
        return new VisitLogEntry(row.str("id"), row.str("communityId"), row.str("visitorId"), row.str("passId"),
                row.str("event"), row.str("actor"), row.str("gate"), row.instant("at"), row.str("detail"));
    }
}

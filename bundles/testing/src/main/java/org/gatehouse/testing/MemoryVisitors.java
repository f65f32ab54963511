package org.gatehouse.testing;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.gatehouse.api.model.Alert;
import org.gatehouse.api.model.AlertSeverity;
import org.gatehouse.api.model.AlertStatus;
import org.gatehouse.api.model.AlertType;
import org.gatehouse.api.model.Building;
import org.gatehouse.api.model.Device;
import org.gatehouse.api.model.Household;
import org.gatehouse.api.model.PopulationChange;
import org.gatehouse.api.model.Resident;
import org.gatehouse.api.model.Unit;
import org.gatehouse.api.model.VisitLogEntry;
import org.gatehouse.api.model.Visitor;
import org.gatehouse.api.model.VisitorPass;
import org.gatehouse.api.model.VisitorStatus;
import org.gatehouse.api.service.ConflictException;
import org.gatehouse.api.service.NotFoundException;
import org.gatehouse.api.service.Scope;
import org.gatehouse.api.service.VisitorRepository;
import org.gatehouse.api.stream.Streams;

/**
 * Visitors, their passes and the visitor log, scoped like the store. Registration keeps the draft's
 * {@code createdAt} when it has one (tests seed history), else now. Like the store, a registration stored as
 * {@code WAITING_APPROVAL} appends {@code VISITOR_WAITING} to {@link #outbox}'s alerts, and a decision leaving it
 * {@code VISITOR_WAITING_CLOSED} ({@link #waitingEvent}).
 */
public class MemoryVisitors implements VisitorRepository {
    public final Map<String, Visitor> visitors = new ConcurrentHashMap<>();
    public final Map<String, VisitorPass> passes = new ConcurrentHashMap<>();
    public final Map<String, String> visitorOfPass = new ConcurrentHashMap<>();
    public final List<VisitLogEntry> log = new CopyOnWriteArrayList<>();
    public final MemoryOutbox outbox;
    /** The store's clock: whose lease covers "now" when an event names the residents to tell. */
    public volatile Clock clock = Clock.systemUTC();
    private final MemoryHouseholds households;
    private final MemoryDevices devices;

    public MemoryVisitors(MemoryHouseholds households, MemoryDevices devices) {
        this(households, devices, new MemoryOutbox());
    }

    public MemoryVisitors(MemoryHouseholds households, MemoryDevices devices, MemoryOutbox outbox) {
        this.households = households;
        this.devices = devices;
        this.outbox = outbox;
    }

    @Override
    public synchronized Visitor register(Scope scope, Visitor d, String deviceId) {
        households.household(scope, d.hostHouseholdId())
                .orElseThrow(() -> new NotFoundException("household", d.hostHouseholdId()));
        Device device = deviceId == null ? null : devices.device(Scope.all(), deviceId)
                .filter(x -> x.communityId().equals(d.communityId()))
                .orElseThrow(() -> new NotFoundException("device", deviceId));
        Visitor v = new Visitor(MemoryServices.id(), d.communityId(), d.hostHouseholdId(), d.name(), d.phone(),
                d.idCardHash(), d.purpose(), d.expectedFrom(), d.expectedUntil(), d.status(), d.registeredBy(),
                d.registeredVia(), d.decidedBy(), d.decidedAt(), d.createdAt() == null ? Instant.now() : d.createdAt());
        if (v.status() == VisitorStatus.WAITING_APPROVAL) {
            publish(outbox, waitingEvent(households, v, device, AlertType.VISITOR_WAITING, clock.instant()));
        }
        visitors.put(v.id(), v);
        return v;
    }

    /**
     * The event the store appends to the alerts outbox when a visit starts waiting ({@code VISITOR_WAITING}, id
     * {@code visitor-waiting:<visitor>}) or stops ({@code VISITOR_WAITING_CLOSED}, id
     * {@code visitor-waiting-closed:<visitor>}): the visit, its flat, the household's residents inside their lease at
     * {@code at}. For fakes of other modules that keep their own visitors.
     */
    public static Alert waitingEvent(MemoryHouseholds households, Visitor v, Device device, AlertType type,
                                     Instant at) {
        Household h = households.households.get(v.hostHouseholdId());
        Unit unit = h == null || h.unitId() == null ? null : households.communities.units.get(h.unitId());
        Building building = unit == null ? null : households.communities.buildings.get(unit.buildingId());
        PopulationChange.Flat flat = unit == null ? null : new PopulationChange.Flat(unit.buildingId(),
                building == null ? null : building.code(), building == null ? null : building.name(), unit.stairway(),
                unit.floor(), unit.number());
        List<String> residents = households.residents.values().stream()
                .filter(r -> r.householdId().equals(v.hostHouseholdId()) && r.isValidAt(at)).map(Resident::id)
                .sorted().toList();
        boolean waiting = type == AlertType.VISITOR_WAITING;
        String id = (waiting ? "visitor-waiting:" : "visitor-waiting-closed:") + v.id();
        return new Alert(id, v.communityId(), type, AlertSeverity.INFO, waiting ? AlertStatus.OPEN : AlertStatus.CLOSED,
                v.id(), waiting ? "a visitor waits" : "the visitor no longer waits", at, List.of(),
                new Alert.Visit(v.id(), v.hostHouseholdId(), h == null ? null : h.unitId(), flat, v.name(), v.purpose(),
                        v.registeredVia(), device == null ? null : device.id(), device == null ? null : device.gate(),
                        v.expectedFrom(), v.expectedUntil(), v.status(), residents));
    }

    /** Appends an alert event to the outbox as the store writes it. */
    public static void publish(MemoryOutbox outbox, Alert event) {
        outbox.append(Streams.ALERTS, event.id(), event.communityId(), MemoryServices.json(event));
    }

    @Override
    public Optional<Visitor> visitor(Scope scope, String id) {
        return Optional.ofNullable(id == null ? null : visitors.get(id)).filter(v -> scope.allows(v.communityId()));
    }

    @Override
    public List<Visitor> visitors(Scope scope, String communityId, VisitorStatus status, int limit) {
        scope.check(communityId);
        return visitors.values().stream().filter(v -> v.communityId().equals(communityId))
                .filter(v -> status == null || v.status() == status)
                .sorted(Comparator.comparing(Visitor::createdAt).reversed()).limit(limit).toList();
    }

    @Override
    public synchronized Visitor decide(Scope scope, String visitorId, VisitorStatus decision, String decidedBy) {
        Visitor v = visitor(scope, visitorId).orElseThrow(() -> new NotFoundException("visitor", visitorId));
        if (v.status() == VisitorStatus.CLOSED || v.status() == decision) {
            throw new ConflictException("visitor '" + visitorId + "' is " + v.status());
        }
        Visitor decided = new Visitor(v.id(), v.communityId(), v.hostHouseholdId(), v.name(), v.phone(),
                v.idCardHash(), v.purpose(), v.expectedFrom(), v.expectedUntil(), decision, v.registeredBy(),
                v.registeredVia(), decidedBy, Instant.now(), v.createdAt());
        if (v.status() == VisitorStatus.WAITING_APPROVAL) {
            publish(outbox, waitingEvent(households, decided, null, AlertType.VISITOR_WAITING_CLOSED,
                    clock.instant()));
        }
        visitors.put(v.id(), decided);
        return decided;
    }

    @Override
    public VisitorPass issuePass(Scope scope, String visitorId, VisitorPass d) {
        Visitor v = visitor(scope, visitorId).orElseThrow(() -> new NotFoundException("visitor", visitorId));
        VisitorPass p = new VisitorPass(MemoryServices.id(), v.communityId(), v.name(), v.hostHouseholdId(), d.code(),
                d.validFrom(), d.validUntil(), d.maxUses(), 0, d.gates(), null, d.buildingId());
        passes.put(p.id(), p);
        visitorOfPass.put(p.id(), v.id());
        return p;
    }

    @Override
    public Optional<VisitorPass> pass(Scope scope, String passId) {
        return Optional.ofNullable(passId == null ? null : passes.get(passId))
                .filter(p -> scope.allows(p.communityId()));
    }

    @Override
    public Optional<VisitorPass> passByCode(Scope scope, String communityId, String code) {
        return passes.values().stream().filter(p -> scope.allows(p.communityId()))
                .filter(p -> p.communityId().equals(communityId) && p.code().equals(code) && p.revokedAt() == null)
                .findFirst();
    }

    @Override
    public List<VisitorPass> passesOf(Scope scope, String visitorId) {
        List<VisitorPass> out = new ArrayList<>();
        visitorOfPass.forEach((pass, visitor) -> {
            if (visitor.equals(visitorId)) {
                pass(scope, pass).ifPresent(out::add);
            }
        });
        out.sort(Comparator.comparing(VisitorPass::validFrom));
        return out;
    }

    @Override
    public synchronized Optional<VisitorPass> usePass(Scope scope, String passId, String gate, Instant at) {
        return pass(scope, passId).filter(p -> p.opens(gate, at)).map(this::used);
    }

    @Override
    public synchronized Optional<VisitorPass> usePassAtDevice(Scope scope, String passId, String deviceId,
                                                             Instant at) {
        VisitorPass p = pass(scope, passId).orElseThrow(() -> new NotFoundException("pass", passId));
        Device device = devices.device(Scope.all(), deviceId).filter(d -> d.communityId().equals(p.communityId()))
                .orElseThrow(() -> new NotFoundException("device", deviceId));
        return p.opens(device, at) ? Optional.of(used(p)) : Optional.empty();
    }

    private VisitorPass used(VisitorPass p) {
        VisitorPass u = new VisitorPass(p.id(), p.communityId(), p.visitorName(), p.hostHouseholdId(), p.code(),
                p.validFrom(), p.validUntil(), p.maxUses(), p.uses() + 1, p.gates(), p.revokedAt(), p.buildingId());
        passes.put(u.id(), u);
        return u;
    }

    @Override
    public synchronized VisitorPass revokePass(Scope scope, String passId) {
        VisitorPass p = pass(scope, passId).orElseThrow(() -> new NotFoundException("pass", passId));
        VisitorPass r = new VisitorPass(p.id(), p.communityId(), p.visitorName(), p.hostHouseholdId(), p.code(),
                p.validFrom(), p.validUntil(), p.maxUses(), p.uses(), p.gates(), Instant.now(), p.buildingId());
        passes.put(r.id(), r);
        return r;
    }

    @Override
    public VisitLogEntry log(Scope scope, VisitLogEntry entry) {
        scope.check(entry.communityId());
        log.add(entry);
        return entry;
    }

    @Override
    public List<VisitLogEntry> log(Scope scope, String communityId, Instant from, Instant to, int limit) {
        scope.check(communityId);
        return log.stream().filter(e -> e.communityId().equals(communityId))
                .filter(e -> from == null || !e.at().isBefore(from)).filter(e -> to == null || e.at().isBefore(to))
                .sorted(Comparator.comparing(VisitLogEntry::at).reversed()).limit(limit).toList();
    }
}

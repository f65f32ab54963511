package org.gatehouse.testing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.gatehouse.api.model.Device;
import org.gatehouse.api.model.VisitLogEntry;
import org.gatehouse.api.model.Visitor;
import org.gatehouse.api.model.VisitorPass;
import org.gatehouse.api.model.VisitorStatus;
import org.gatehouse.api.service.ConflictException;
import org.gatehouse.api.service.NotFoundException;
import org.gatehouse.api.service.Scope;
import org.gatehouse.api.service.VisitorRepository;

/**
 * Visitors, their passes and the visitor log, scoped like the store. Registration keeps the draft's
 * {@code createdAt} when it has one (tests seed history), else now.
 */
public class MemoryVisitors implements VisitorRepository {
    public final Map<String, Visitor> visitors = new ConcurrentHashMap<>();
    public final Map<String, VisitorPass> passes = new ConcurrentHashMap<>();
    public final Map<String, String> visitorOfPass = new ConcurrentHashMap<>();
    public final List<VisitLogEntry> log = new CopyOnWriteArrayList<>();
    private final MemoryHouseholds households;
    private final MemoryDevices devices;

    public MemoryVisitors(MemoryHouseholds households, MemoryDevices devices) {
        this.households = households;
        this.devices = devices;
    }

    @Override
    public Visitor register(Scope scope, Visitor d) {
        households.household(scope, d.hostHouseholdId())
                .orElseThrow(() -> new NotFoundException("household", d.hostHouseholdId()));
        Visitor v = new Visitor(MemoryServices.id(), d.communityId(), d.hostHouseholdId(), d.name(), d.phone(),
                d.idCardHash(), d.purpose(), d.expectedFrom(), d.expectedUntil(), d.status(), d.registeredBy(),
                d.registeredVia(), d.decidedBy(), d.decidedAt(), d.createdAt() == null ? Instant.now() : d.createdAt());
        visitors.put(v.id(), v);
        return v;
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

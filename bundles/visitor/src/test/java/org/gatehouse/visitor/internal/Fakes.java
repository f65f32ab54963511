package org.gatehouse.visitor.internal;

import org.gatehouse.testing.Configs;
import org.gatehouse.testing.MemoryServices;
import org.gatehouse.testing.MemoryVisitors;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import org.gatehouse.api.model.Acknowledgement;
import org.gatehouse.api.model.Alert;
import org.gatehouse.api.model.AlertStatus;
import org.gatehouse.api.model.AlertType;
import org.gatehouse.api.model.Building;
import org.gatehouse.api.model.CareFlag;
import org.gatehouse.api.model.Community;
import org.gatehouse.api.model.Consent;
import org.gatehouse.api.model.Credential;
import org.gatehouse.api.model.CredentialKind;
import org.gatehouse.api.model.Household;
import org.gatehouse.api.model.Resident;
import org.gatehouse.api.model.ResidentRole;
import org.gatehouse.api.model.Unit;
import org.gatehouse.api.model.Device;
import org.gatehouse.api.model.DeviceKind;
import org.gatehouse.api.model.Direction;
import org.gatehouse.api.model.VisitLogEntry;
import org.gatehouse.api.model.Visitor;
import org.gatehouse.api.model.VisitorPass;
import org.gatehouse.api.model.VisitorStatus;
import org.gatehouse.api.service.DeviceRepository;
import org.gatehouse.api.service.VisitorRepository;
import org.gatehouse.api.service.AlertRepository;
import org.gatehouse.api.service.AuditLog;
import org.gatehouse.api.service.CommunityRepository;
import org.gatehouse.api.service.ConflictException;
import org.gatehouse.api.service.ConsentRepository;
import org.gatehouse.api.service.CredentialRepository;
import org.gatehouse.api.service.HouseholdRepository;
import org.gatehouse.api.service.NotFoundException;
import org.gatehouse.api.service.OutboxRepository;
import org.gatehouse.api.service.Scope;
import org.gatehouse.api.stream.Streams;
import org.gatehouse.faces.api.FaceRegistry;
import org.gatehouse.recognition.api.FaceException;

/** Honest in-memory implementations of the api services (scoped like the store's), for tests only. */
public final class Fakes extends MemoryServices {
    private Fakes() {
    }


    /**
     * The configuration as Declarative Services builds it: every value is {@link VisitorConfig}'s default (the one
     * place defaults live); {@code overrides} set what a test changes.
     */
    public static VisitorConfig config(Map<String, ?> overrides) {
        return Configs.of(VisitorConfig.class, overrides);
    }

    public static VisitorConfig config() {
        return config(Map.of());
    }

    /** Raised alerts, in order; {@link #raise} of a known id returns the stored one, like the store. */
    public static class Alerts implements AlertRepository {
        final List<Alert> raised = new CopyOnWriteArrayList<>();

        @Override
        public synchronized Alert raise(Alert alert) {
            Optional<Alert> known = raised.stream().filter(a -> a.id().equals(alert.id())).findFirst();
            if (known.isPresent()) {
                return known.get();
            }
            raised.add(alert);
            return alert;
        }

        @Override
        public List<Alert> alerts(Scope scope, String communityId, AlertStatus status, int limit) {
            return raised.stream().filter(a -> scope.allows(a.communityId())
                    && (communityId == null || a.communityId().equals(communityId))
                    && (status == null || a.status() == status)).limit(limit).toList();
        }

        @Override
        public Optional<Alert> alert(Scope scope, String id) {
            return raised.stream().filter(a -> a.id().equals(id) && scope.allows(a.communityId())).findFirst();
        }

        @Override
        public Alert acknowledge(Scope scope, String id, Acknowledgement acknowledgement, AlertStatus newStatus) {
            throw new UnsupportedOperationException();
        }
    }

    public static class Devices implements DeviceRepository {
        final Map<String, Device> rows = new ConcurrentHashMap<>();

        Device add(String communityId, String buildingId, String gate) {
            Device d = new Device(id(), communityId, buildingId, gate, gate, DeviceKind.FACE_TERMINAL, Direction.IN);
            rows.put(d.id(), d);
            return d;
        }

        @Override
        public RegisteredDevice register(Scope scope, String communityId, String buildingId, String gate, String name,
                                         DeviceKind kind, Direction direction) {
            scope.check(communityId);
            return new RegisteredDevice(add(communityId, buildingId, gate), id());
        }

        @Override
        public List<Device> devices(Scope scope, String communityId) {
            scope.check(communityId);
            return rows.values().stream().filter(d -> d.communityId().equals(communityId)).toList();
        }

        @Override
        public Optional<Device> device(Scope scope, String id) {
            return Optional.ofNullable(rows.get(id)).filter(d -> scope.allows(d.communityId()));
        }

        @Override
        public Optional<Device> authenticate(String token) {
            return Optional.empty();
        }

        @Override
        public void remove(Scope scope, String id) {
            rows.remove(id);
        }
    }

    /**
     * Visitors, passes and the log, scoped; {@link #usePass} atomic like the store's. Like the store, a registration
     * stored as waiting, and a decision ending the wait, append their alerts event to {@link #outbox}
     * ({@link MemoryVisitors#waitingEvent}), residents' leases read at {@link #clock}.
     */
    public static class Visitors implements VisitorRepository {
        final Households households;
        final Devices devices;
        final Clock clock;
        final Outbox outbox = new Outbox();
        final Map<String, Visitor> visitors = new ConcurrentHashMap<>();
        final Map<String, VisitorPass> passes = new ConcurrentHashMap<>();
        final Map<String, String> passVisitor = new ConcurrentHashMap<>();
        final List<VisitLogEntry> log = new CopyOnWriteArrayList<>();

        Visitors(Households households, Devices devices, Clock clock) {
            this.households = households;
            this.devices = devices;
            this.clock = clock;
        }

        @Override
        public synchronized Visitor register(Scope scope, Visitor d, String deviceId) {
            Household h = households.household(scope, d.hostHouseholdId())
                    .orElseThrow(() -> new NotFoundException("household", d.hostHouseholdId()));
            Device device = deviceId == null ? null : devices.device(Scope.all(), deviceId)
                    .filter(x -> x.communityId().equals(h.communityId()))
                    .orElseThrow(() -> new NotFoundException("device", deviceId));
            Visitor v = new Visitor(id(), h.communityId(), h.id(), d.name(), d.phone(), d.idCardHash(), d.purpose(),
                    d.expectedFrom(), d.expectedUntil(), d.status(), d.registeredBy(), d.registeredVia(),
                    d.decidedBy(), d.decidedAt(), Instant.now());
            if (v.status() == VisitorStatus.WAITING_APPROVAL) {
                MemoryVisitors.publish(outbox, MemoryVisitors.waitingEvent(households, v, device,
                        AlertType.VISITOR_WAITING, clock.instant()));
            }
            visitors.put(v.id(), v);
            return v;
        }

        /** The alerts events written, in order. */
        List<Alert> alertEvents() {
            return outbox.entries.stream().filter(e -> e.stream().equals(Streams.ALERTS))
                    .map(e -> read(e.payloadJson())).toList();
        }

        private static Alert read(String json) {
            try {
                return JSON.readValue(json, Alert.class);
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public Optional<Visitor> visitor(Scope scope, String id) {
            return Optional.ofNullable(visitors.get(id)).filter(v -> scope.allows(v.communityId()));
        }

        @Override
        public List<Visitor> visitors(Scope scope, String communityId, VisitorStatus status, int limit) {
            scope.check(communityId);
            return visitors.values().stream().filter(v -> v.communityId().equals(communityId)
                    && (status == null || v.status() == status))
                    .sorted((a, b) -> b.createdAt().compareTo(a.createdAt())).limit(limit).toList();
        }

        @Override
        public synchronized Visitor decide(Scope scope, String visitorId, VisitorStatus decision, String decidedBy) {
            Visitor v = visitor(scope, visitorId).orElseThrow(() -> new NotFoundException("visitor", visitorId));
            boolean ok = decision == VisitorStatus.CLOSED ? v.status() != VisitorStatus.CLOSED
                    : v.status() == VisitorStatus.WAITING_APPROVAL && decision != VisitorStatus.WAITING_APPROVAL;
            if (!ok) {
                throw new ConflictException("visitor " + visitorId + " is " + v.status());
            }
            Visitor d = new Visitor(v.id(), v.communityId(), v.hostHouseholdId(), v.name(), v.phone(), v.idCardHash(),
                    v.purpose(), v.expectedFrom(), v.expectedUntil(), decision, v.registeredBy(), v.registeredVia(),
                    decidedBy, Instant.now(), v.createdAt());
            if (v.status() == VisitorStatus.WAITING_APPROVAL) {
                MemoryVisitors.publish(outbox, MemoryVisitors.waitingEvent(households, d, null,
                        AlertType.VISITOR_WAITING_CLOSED, clock.instant()));
            }
            visitors.put(d.id(), d);
            return d;
        }

        @Override
        public VisitorPass issuePass(Scope scope, String visitorId, VisitorPass d) {
            Visitor v = visitor(scope, visitorId).orElseThrow(() -> new NotFoundException("visitor", visitorId));
            VisitorPass p = new VisitorPass(id(), v.communityId(), d.visitorName(), d.hostHouseholdId(), d.code(),
                    d.validFrom(), d.validUntil(), d.maxUses(), 0, d.gates(), null, d.buildingId());
            passes.put(p.id(), p);
            passVisitor.put(p.id(), visitorId);
            return p;
        }

        @Override
        public Optional<VisitorPass> pass(Scope scope, String passId) {
            return Optional.ofNullable(passes.get(passId)).filter(p -> scope.allows(p.communityId()));
        }

        @Override
        public Optional<VisitorPass> passByCode(Scope scope, String communityId, String code) {
            scope.check(communityId);
            return passes.values().stream().filter(p -> p.communityId().equals(communityId) && p.code().equals(code)
                    && p.revokedAt() == null).findFirst();
        }

        @Override
        public List<VisitorPass> passesOf(Scope scope, String visitorId) {
            return passes.values().stream().filter(p -> visitorId.equals(passVisitor.get(p.id()))
                    && scope.allows(p.communityId())).toList();
        }

        @Override
        public synchronized Optional<VisitorPass> usePass(Scope scope, String passId, String gate, Instant at) {
            VisitorPass found = pass(scope, passId).orElseThrow(() -> new NotFoundException("visitor pass", passId));
            return count(Optional.of(found).filter(x -> x.opens(gate, at)));
        }

        @Override
        public synchronized Optional<VisitorPass> usePassAtDevice(Scope scope, String passId, String deviceId,
                                                                  Instant at) {
            VisitorPass found = pass(scope, passId).orElseThrow(() -> new NotFoundException("visitor pass", passId));
            Device device = devices.device(Scope.all(), deviceId).filter(d -> d.communityId().equals(found.communityId()))
                    .orElseThrow(() -> new NotFoundException("device", deviceId));
            return count(Optional.of(found).filter(x -> x.opens(device, at)));
        }

        private Optional<VisitorPass> count(Optional<VisitorPass> p) {
            p.ifPresent(x -> passes.put(x.id(), new VisitorPass(x.id(), x.communityId(), x.visitorName(),
                    x.hostHouseholdId(), x.code(), x.validFrom(), x.validUntil(), x.maxUses(), x.uses() + 1, x.gates(),
                    null, x.buildingId())));
            return p.map(x -> passes.get(x.id()));
        }

        @Override
        public synchronized VisitorPass revokePass(Scope scope, String passId) {
            VisitorPass x = pass(scope, passId).orElseThrow(() -> new NotFoundException("pass", passId));
            VisitorPass r = new VisitorPass(x.id(), x.communityId(), x.visitorName(), x.hostHouseholdId(), x.code(),
                    x.validFrom(), x.validUntil(), x.maxUses(), x.uses(), x.gates(),
                    x.revokedAt() == null ? Instant.now() : x.revokedAt(), x.buildingId());
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
            List<VisitLogEntry> out = new ArrayList<>(log.stream().filter(e -> e.communityId().equals(communityId)
                    && !e.at().isBefore(from) && e.at().isBefore(to)).toList());
            Collections.reverse(out);
            return out.stream().limit(limit).toList();
        }

        List<String> events() {
            return log.stream().map(VisitLogEntry::event).toList();
        }
    }
}

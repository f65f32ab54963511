package org.gatehouse.gate.internal;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.gatehouse.api.model.Acknowledgement;
import org.gatehouse.api.model.Alert;
import org.gatehouse.api.model.AlertStatus;
import org.gatehouse.api.model.Building;
import org.gatehouse.api.model.Community;
import org.gatehouse.api.model.CredentialKind;
import org.gatehouse.api.model.Device;
import org.gatehouse.api.model.DeviceKind;
import org.gatehouse.api.model.Direction;
import org.gatehouse.api.model.Household;
import org.gatehouse.api.model.PassageEvent;
import org.gatehouse.api.model.Resident;
import org.gatehouse.api.model.ResidentRole;
import org.gatehouse.api.model.Unit;
import org.gatehouse.api.service.AlertRepository;
import org.gatehouse.api.service.DeviceRepository;
import org.gatehouse.api.service.PassageRecorder;
import org.gatehouse.api.service.Scope;
import org.gatehouse.api.service.VisitorRepository;
import org.gatehouse.faces.api.FaceRegistry;
import org.gatehouse.recognition.api.Candidate;
import org.gatehouse.recognition.api.FaceException;
import org.gatehouse.recognition.api.OperatingBands;
import org.gatehouse.testing.Configs;
import org.gatehouse.testing.MemoryServices;
import org.gatehouse.visitor.api.PassCheck;
import org.gatehouse.visitor.api.VisitorPasses;
import org.gatehouse.whitelist.api.AccessCheck;
import org.gatehouse.whitelist.api.Whitelist;

/**
 * A community with two buildings, a compound gate and a unit door per building, residents, and fakes of what the gate
 * asks: faces (scripted per frame), the whitelist (cards and PINs by value, lease from the resident), visitor passes,
 * the passage recorder (which can be "down") and alerts. Communities and households are the shared memory fakes of
 * {@code bundles/testing}.
 */
class World extends MemoryServices {
    static final float ACCEPT = 0.52f;
    static final float VERIFY = 0.40f;
    static final int GALLERY = 2914;

    final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T08:00:00Z"));
    /** While true, every store read of the fakes below throws as a database that is down. */
    volatile boolean storeDown;
    final Communities communities = new Communities() {
        @Override
        public Optional<Unit> unit(Scope scope, String id) {
            up();
            return super.unit(scope, id);
        }
    };
    final Households households = new Households(communities) {
        @Override
        public Optional<Resident> resident(Scope scope, String id) {
            up();
            return super.resident(scope, id);
        }

        @Override
        public Optional<Household> household(Scope scope, String id) {
            up();
            return super.household(scope, id);
        }
    };
    final Devices devices = new Devices();
    final Faces faces = new Faces();
    final FakeWhitelist whitelist = new FakeWhitelist();
    final Passes passes = new Passes();
    final Recorder recorder = new Recorder();
    final Alerts alerts = new Alerts();

    final Community community;
    final Building b1;
    final Building b2;
    final Device gate;
    final Device door1;
    final Device door2;
    final Resident wang;   // building 1
    final Resident li;     // building 2
    final Resident former; // lease ended

    World() {
        community = communities.createCommunity("SUNSHINE", "阳光公租房小区", "");
        Scope all = Scope.all();
        b1 = communities.createBuilding(all, community.id(), "1", "1号楼");
        b2 = communities.createBuilding(all, community.id(), "2", "2号楼");
        Unit u1 = communities.createUnit(all, b1.id(), "1", 3, "301", null);
        Unit u2 = communities.createUnit(all, b2.id(), "1", 1, "101", null);
        Household h1 = households.createHousehold(all, u1.id(), "王家");
        Household h2 = households.createHousehold(all, u2.id(), "李家");
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        wang = households.addResident(all, h1.id(), "王芳", ResidentRole.TENANT, null, null, start,
                Instant.parse("2027-06-30T00:00:00Z"), Set.of());
        li = households.addResident(all, h2.id(), "李明", ResidentRole.TENANT, null, null, start, null, Set.of());
        former = households.addResident(all, h1.id(), "赵强", ResidentRole.CO_RESIDENT, null, null, start,
                Instant.parse("2026-11-01T00:00:00Z"), Set.of());
        gate = devices.add(new Device("dev-gate", community.id(), null, "东门", "east gate", DeviceKind.FACE_TERMINAL,
                Direction.IN));
        door1 = devices.add(new Device("dev-door1", community.id(), b1.id(), "1-1", "building 1 door",
                DeviceKind.FACE_TERMINAL, Direction.BOTH));
        door2 = devices.add(new Device("dev-door2", community.id(), b2.id(), "2-1", "building 2 door",
                DeviceKind.FACE_TERMINAL, Direction.IN));
        whitelist.cards.put("CARD:C-WANG", wang.id());
        whitelist.cards.put("CARD:C-LI", li.id());
        whitelist.cards.put("CARD:C-FORMER", former.id());
        whitelist.cards.put("PIN:246810", wang.id());
    }

    void up() {
        if (storeDown) {
            throw new org.gatehouse.api.service.StoreUnavailableException("database down (test)", null);
        }
    }

    GateDecisionsImpl gate(Map<String, ?> config) {
        return gate(config, new DeviceLiveness(alerts, clock, Configs.of(GateConfig.class, config)));
    }

    GateDecisionsImpl gate(Map<String, ?> config, DeviceLiveness liveness) {
        GateDecisionsImpl g = new GateDecisionsImpl(new GateDecisionsImpl.Services(devices, households, communities,
                unused(VisitorRepository.class, "visitor", Optional.empty()), faces, whitelist, passes, recorder,
                alerts, liveness), clock, Configs.of(GateConfig.class, config));
        g.addAdapter(new LogOnlyDoorAdapter());
        return g;
    }

    GateDecisionsImpl gate() {
        return gate(Map.of());
    }

    static byte[] frame(String name) {
        return name.getBytes(StandardCharsets.UTF_8);
    }

    static OperatingBands bands(String communityId) {
        return new OperatingBands(communityId, GALLERY, 0.001, ACCEPT, VERIFY, VERIFY, 0.001, 0.05, 0.0001, false,
                "test");
    }

    /** A proxy of {@code type} answering {@code method} with {@code answer} and refusing everything else. */
    @SuppressWarnings("unchecked")
    static <T> T unused(Class<T> type, String method, Object answer) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, m, args) -> {
            if (m.getName().equals(method)) {
                return answer;
            }
            throw new UnsupportedOperationException(m.getName());
        });
    }

    static final class MutableClock extends Clock {
        Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    final class Devices implements DeviceRepository {
        final Map<String, Device> byId = new ConcurrentHashMap<>();
        final Map<String, String> tokens = new ConcurrentHashMap<>();

        Device add(Device d) {
            byId.put(d.id(), d);
            tokens.put("token-" + d.id(), d.id());
            return d;
        }

        @Override
        public RegisteredDevice register(Scope scope, String communityId, String buildingId, String gate, String name,
                                         DeviceKind kind, Direction direction) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<Device> devices(Scope scope, String communityId) {
            return byId.values().stream().filter(d -> d.communityId().equals(communityId))
                    .filter(d -> scope.allows(d.communityId())).toList();
        }

        @Override
        public Optional<Device> device(Scope scope, String id) {
            up();
            return Optional.ofNullable(byId.get(id)).filter(d -> scope.allows(d.communityId()));
        }

        @Override
        public Optional<Device> authenticate(String token) {
            return Optional.ofNullable(tokens.get(token)).map(byId::get);
        }

        @Override
        public void remove(Scope scope, String id) {
            byId.remove(id);
        }
    }

    /** Frames are names; each name is scripted to an identification (or a face failure). */
    final class Faces implements FaceRegistry {
        final Map<String, Object> script = new HashMap<>();
        int calls;

        void accept(String frame, Resident r, float score) {
            script.put(frame, new Identification(r.id(), score, List.of(new Candidate(r.id(), score)), null,
                    OperatingBands.Band.ACCEPT, World.bands(community.id())));
        }

        void verify(String frame, float best, Candidate... candidates) {
            script.put(frame, new Identification(null, best, List.of(candidates), null, OperatingBands.Band.VERIFY,
                    World.bands(community.id())));
        }

        void reject(String frame, float best) {
            script.put(frame, new Identification(null, best, List.of(), null, OperatingBands.Band.REJECT,
                    World.bands(community.id())));
        }

        void fail(String frame, FaceException.Code code) {
            script.put(frame, new FaceException(code));
        }

        @Override
        public Identification identify(Scope scope, String communityId, byte[] image, int k) {
            calls++;
            if (!scope.allows(communityId)) {
                throw new IllegalStateException("scope");
            }
            Object o = script.get(new String(image, StandardCharsets.UTF_8));
            if (o instanceof FaceException e) {
                throw e;
            }
            if (o == null) {
                throw new FaceException(FaceException.Code.NO_FACE);
            }
            return (Identification) o;
        }

        @Override
        public Enrollment enroll(Scope scope, String communityId, String subjectId, byte[] image) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ResidentEnrollment enrollResident(Scope scope, String communityId, String residentId, byte[] image,
                                                 String consentPurpose) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int forget(Scope scope, String communityId, String subjectId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void refresh(Scope scope, String communityId, String subjectId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public OperatingBands bands(Scope scope, String communityId) {
            return World.bands(communityId);
        }
    }

    /**
     * Cards and PINs by "KIND:value"; lease from the stored resident; three wrong ones per device lock it. Like the
     * whitelist, while the store is down it answers from its in-memory copy once {@link #loadCopy} took one (lease
     * and building of every resident), saying so ({@link AccessCheck#offline()}); without a copy it throws.
     */
    final class FakeWhitelist implements Whitelist {
        final Map<String, String> cards = new HashMap<>();
        final Map<String, String> appCodes = new HashMap<>();
        final Map<String, Integer> failuresPerDevice = new HashMap<>();
        final List<String> devicesAsked = new ArrayList<>();
        final Map<String, OfflineResident> copy = new ConcurrentHashMap<>();

        /** The copy of the community's residents as the store says now (the store must be up). */
        void loadCopy() {
            for (Resident r : households.residents.values()) {
                Household h = households.household(Scope.all(), r.householdId()).orElseThrow();
                String building = communities.unit(Scope.all(), h.unitId()).map(Unit::buildingId).orElse(null);
                copy.put(r.id(), new OfflineResident(r.id(), r.communityId(), building, r.validFrom(), r.validUntil()));
            }
        }

        @Override
        public Optional<OfflineResident> offlineResident(Scope scope, String residentId) {
            return Optional.ofNullable(copy.get(residentId)).filter(r -> scope.allows(r.communityId()));
        }

        @Override
        public AccessCheck check(Scope scope, String residentId, Instant at) {
            if (storeDown && !copy.isEmpty()) {
                OfflineResident held = copy.get(residentId);
                if (held == null) {
                    throw new org.gatehouse.api.service.StoreUnavailableException("not in the copy (test)", null);
                }
                return lease(held.residentId(), held.communityId(), held.validFrom(), held.validUntil(), at)
                        .fromOfflineCopy();
            }
            up();
            Optional<Resident> r = households.resident(scope, residentId);
            if (r.isEmpty()) {
                return AccessCheck.refused(AccessCheck.Reason.NOT_REGISTERED, null, null, at);
            }
            Resident res = r.get();
            return lease(res.id(), res.communityId(), res.validFrom(), res.validUntil(), at);
        }

        private AccessCheck lease(String id, String communityId, Instant from, Instant until, Instant at) {
            if (from != null && at.isBefore(from)) {
                return AccessCheck.refused(AccessCheck.Reason.NOT_YET_VALID, id, communityId, at);
            }
            if (until != null && !at.isBefore(until)) {
                return AccessCheck.refused(AccessCheck.Reason.LEASE_ENDED, id, communityId, at);
            }
            return new AccessCheck(true, AccessCheck.Reason.VALID, id, communityId, at);
        }

        @Override
        public AccessCheck checkCredential(Scope scope, String communityId, CredentialKind kind, String presented,
                                           Instant at) {
            return checkCredential(scope, communityId, kind, presented, at, null);
        }

        @Override
        public AccessCheck checkCredential(Scope scope, String communityId, CredentialKind kind, String presented,
                                           Instant at, String deviceId) {
            devicesAsked.add(deviceId);
            boolean offline = storeDown && !copy.isEmpty();
            if (!offline) {
                up();
            }
            if (failuresPerDevice.getOrDefault(deviceId, 0) >= 3) {
                return AccessCheck.refused(AccessCheck.Reason.TOO_MANY_ATTEMPTS, null, null, at);
            }
            String resident = cards.get(kind + ":" + presented);
            if (resident == null) {
                failuresPerDevice.merge(deviceId, 1, Integer::sum);
                AccessCheck unknown = AccessCheck.refused(AccessCheck.Reason.CREDENTIAL_UNKNOWN, null, null, at);
                return offline ? unknown.fromOfflineCopy() : unknown;
            }
            return check(scope, resident, at);
        }

        @Override
        public AccessCheck checkAppCode(Scope scope, String residentId, String code, Instant at) {
            return checkAppCode(scope, residentId, code, at, null);
        }

        @Override
        public AccessCheck checkAppCode(Scope scope, String residentId, String code, Instant at, String deviceId) {
            devicesAsked.add(deviceId);
            if (!code.equals(appCodes.get(residentId))) {
                return AccessCheck.refused(AccessCheck.Reason.CREDENTIAL_UNKNOWN, null, null, at);
            }
            return check(scope, residentId, at);
        }
    }

    /** A visitor pass: its gate names, building (null = compound gates only when gates name them), window and uses. */
    record Pass(String id, Set<String> gates, String buildingId, Instant until, int[] uses) {
    }

    final class Passes implements VisitorPasses {
        final Map<String, Pass> byCode = new HashMap<>();

        @Override
        public PassCheck check(Scope scope, String communityId, String code, String gate, Instant at) {
            throw new UnsupportedOperationException("the gate must check at the device");
        }

        @Override
        public PassCheck checkAtDevice(Scope scope, String deviceId, String code, Instant at) {
            return check(scope, deviceId, code, at, true);
        }

        @Override
        public PassCheck peekAtDevice(Scope scope, String deviceId, String code, Instant at) {
            return check(scope, deviceId, code, at, false);
        }

        private PassCheck check(Scope scope, String deviceId, String code, Instant at, boolean use) {
            Device d = devices.device(scope, deviceId).orElseThrow();
            Pass p = byCode.get(code);
            if (p == null) {
                return PassCheck.refused(PassCheck.Reason.UNKNOWN_CODE);
            }
            if (!at.isBefore(p.until())) {
                return new PassCheck(false, PassCheck.Reason.EXPIRED, p.id(), "访客", null, p.uses()[0]);
            }
            if (!p.gates().contains(d.gate()) || d.buildingId() != null && !d.buildingId().equals(p.buildingId())) {
                return new PassCheck(false, PassCheck.Reason.WRONG_GATE, p.id(), "访客", null, p.uses()[0]);
            }
            if (p.uses()[0] <= 0) {
                return new PassCheck(false, PassCheck.Reason.NO_USES_LEFT, p.id(), "访客", null, 0);
            }
            if (!use) {
                return new PassCheck(true, null, p.id(), "访客", null, p.uses()[0]);
            }
            p.uses()[0]--;
            return new PassCheck(true, null, p.id(), "访客", null, p.uses()[0]);
        }
    }

    static final class Recorder implements PassageRecorder {
        final Map<String, PassageEvent> stored = new ConcurrentHashMap<>();
        final List<PassageEvent> journal = new CopyOnWriteArrayList<>();
        volatile boolean databaseDown;

        @Override
        public Outcome record(PassageEvent event) {
            if (databaseDown) {
                journal.add(event);
                return Outcome.JOURNALLED;
            }
            return stored.putIfAbsent(event.id(), event) == null ? Outcome.STORED : Outcome.DUPLICATE;
        }

        @Override
        public int journalled() {
            return journal.size();
        }
    }

    static class Alerts implements AlertRepository {
        final List<Alert> raised = new CopyOnWriteArrayList<>();
        final Map<String, AlertStatus> status = new ConcurrentHashMap<>();

        @Override
        public Alert raise(Alert alert) {
            raised.add(alert);
            status.put(alert.id(), alert.status());
            return alert;
        }

        @Override
        public List<Alert> alerts(Scope scope, String communityId, AlertStatus s, int limit) {
            return raised.stream().filter(a -> s == null || status.get(a.id()) == s).toList();
        }

        @Override
        public Optional<Alert> alert(Scope scope, String id) {
            return raised.stream().filter(a -> a.id().equals(id)).findFirst();
        }

        @Override
        public Alert acknowledge(Scope scope, String id, Acknowledgement ack, AlertStatus newStatus) {
            status.put(id, newStatus);
            return alert(scope, id).orElseThrow();
        }
    }
}

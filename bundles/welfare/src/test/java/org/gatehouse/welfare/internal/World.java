package org.gatehouse.welfare.internal;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.gatehouse.api.model.AccessDecision;
import org.gatehouse.api.model.Building;
import org.gatehouse.api.model.CareFlag;
import org.gatehouse.api.model.Community;
import org.gatehouse.api.model.CredentialKind;
import org.gatehouse.api.model.DecisionReason;
import org.gatehouse.api.model.Device;
import org.gatehouse.api.model.DeviceKind;
import org.gatehouse.api.model.Direction;
import org.gatehouse.api.model.Household;
import org.gatehouse.api.model.PassageEvent;
import org.gatehouse.api.model.Resident;
import org.gatehouse.api.model.ResidentRole;
import org.gatehouse.api.model.SubjectType;
import org.gatehouse.api.model.Unit;
import org.gatehouse.api.model.Verdict;
import org.gatehouse.api.model.Visitor;
import org.gatehouse.api.model.VisitorStatus;
import org.gatehouse.api.service.Scope;
import org.gatehouse.core.api.AuditTrails;
import org.gatehouse.core.api.Caller;
import org.gatehouse.core.api.Roles;
import org.gatehouse.testing.MovableClock;
import org.gatehouse.testing.Configs;
import org.gatehouse.testing.MemoryAuditLog;
import org.gatehouse.testing.MemoryCommunities;
import org.gatehouse.testing.MemoryDevices;
import org.gatehouse.testing.MemoryHouseholds;
import org.gatehouse.testing.MemoryPassages;
import org.gatehouse.testing.MemoryServices;
import org.gatehouse.testing.MemoryVisitors;
import org.gatehouse.testing.MemoryWelfareCases;

/**
 * A community (Sunshine, Asia/Shanghai) with building B1, flat 301 where an elderly resident lives alone (flag
 * LIVES_ALONE), flat 302 with an unflagged family, three contacts (police, property, police sergeant), and a clock
 * the test moves.
 */
class World {
    static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    final MemoryCommunities communities = new MemoryCommunities();
    final MemoryHouseholds households = new MemoryHouseholds(communities);
    final MemoryDevices devices = new MemoryDevices(communities);
    final MemoryPassages passages = new MemoryPassages();
    final MemoryVisitors visitors = new MemoryVisitors(households, devices);
    final MemoryWelfareCases cases = new MemoryWelfareCases(communities);
    final MemoryAuditLog audit = new MemoryAuditLog();
    final MovableClock clock = new MovableClock(Instant.parse("2026-12-01T00:00:00Z"));
    final Community sunshine;
    final Community other;
    final Building b1;
    final Unit flat301;
    final Unit flat302;
    final Household alone;
    final Household family;
    final Resident grandma;
    final Resident father;
    final Device door;
    final Device otherDoor;
    final WelfareChecksImpl checks;
    final WelfareDeskImpl desk;
    final PassageFollower follower;
    int passageSeq;

    World() {
        this(Map.of());
    }

    /** {@code defaults}: properties of {@link WelfareConfig} differing from the metatype defaults. */
    World(Map<String, Object> defaults) {
        sunshine = communities.createCommunity("SUNSHINE", "Sunshine", "1 Road");
        other = communities.createCommunity("OTHER", "Other", "2 Road");
        b1 = communities.createBuilding(Scope.all(), sunshine.id(), "B1", "Building 1");
        flat301 = communities.createUnit(Scope.all(), b1.id(), "2", 3, "301", 60.0);
        flat302 = communities.createUnit(Scope.all(), b1.id(), "2", 3, "302", 60.0);
        Instant start = Instant.parse("2026-11-01T00:00:00Z");
        alone = household(flat301, start);
        family = household(flat302, start);
        grandma = households.addResident(Scope.all(), alone.id(), "Wang Fang", ResidentRole.TENANT,
                LocalDate.of(1941, 3, 9), "13900000001", start, null, Set.of(CareFlag.LIVES_ALONE));
        father = households.addResident(Scope.all(), family.id(), "Li Ming", ResidentRole.TENANT,
                LocalDate.of(1980, 1, 1), "13900000002", start, null, Set.of());
        door = devices.register(Scope.all(), sunshine.id(), b1.id(), "B1-door", "B1 unit door", DeviceKind.FACE_TERMINAL,
                Direction.BOTH).device();
        Building o1 = communities.createBuilding(Scope.all(), other.id(), "O1", null);
        otherDoor = devices.register(Scope.all(), other.id(), o1.id(), "O1-door", "O1 door", DeviceKind.FACE_TERMINAL,
                Direction.BOTH).device();
        CommunityWelfareConfig own = Configs.of(CommunityWelfareConfig.class, Map.of(
                "communityId", sunshine.id(),
                "contacts", new String[] {"police|Officer Zhao|mqtt:officer/zhao", "property|Staff Qian|sms:13800000003",
                        "police|Sergeant Sun|mqtt:sergeant/sun"}));
        WelfareConfig config = Configs.of(WelfareConfig.class, defaults);
        WelfareSettings settings = new WelfareSettings() {
            @Override
            public WelfareConfig defaults() {
                return config;
            }

            @Override
            public CommunityRules rules(String communityId) {
                return CommunityRules.of(communityId, config, communityId.equals(sunshine.id()) ? own : null);
            }
        };
        checks = new WelfareChecksImpl(new WelfareChecksImpl.Services(communities, households, devices, passages,
                visitors, cases), settings, clock);
        desk = new WelfareDeskImpl(cases, households, passages, new Places(communities, devices),
                AuditTrails.writingTo(audit).of("welfare"), settings, clock);
        follower = new PassageFollower(checks);
    }

    private Household household(Unit unit, Instant createdAt) {
        Household h = households.createHousehold(Scope.all(), unit.id(), "flat " + unit.number());
        Household dated = new Household(h.id(), h.communityId(), h.unitId(), h.name(), createdAt);
        households.households.put(h.id(), dated);
        return dated;
    }

    static Instant local(String dateTime) {
        return java.time.LocalDateTime.parse(dateTime).atZone(SHANGHAI).toInstant();
    }

    PassageEvent pass(Resident r, Instant at) {
        return record(r.communityId(), door, at, SubjectType.RESIDENT, r.id(), Verdict.ALLOW, "FACE_MATCH");
    }

    PassageEvent remoteOpen(Resident r, Instant at) {
        return record(r.communityId(), door, at, SubjectType.RESIDENT, r.id(), Verdict.ALLOW, Presence.REMOTE_OPEN);
    }

    PassageEvent record(String communityId, Device device, Instant at, SubjectType type, String subjectId,
                        Verdict verdict, String reason) {
        PassageEvent p = new PassageEvent("p-" + (++passageSeq), communityId, device.id(), at, Direction.IN, type,
                subjectId, CredentialKind.FACE, new AccessDecision(verdict, List.of(new DecisionReason(reason, null)),
                null));
        passages.record(p);
        return p;
    }

    Visitor visitor(Household host, String name, String idCardHash, Instant at) {
        return visitors.register(Scope.all(), new Visitor("x", host.communityId(), host.id(), name, null, idCardHash,
                "visit", at, at.plusSeconds(7200), VisitorStatus.APPROVED, "resident:x", "resident", null, null, at));
    }

    Caller officer(String communityId) {
        return new Caller("officer-zhao", Set.of(Roles.POLICE), Scope.of(communityId));
    }

    static String id() {
        return MemoryServices.id();
    }
}

package org.gatehouse.visitor.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import org.gatehouse.api.model.Building;
import org.gatehouse.api.model.Community;
import org.gatehouse.api.model.Device;
import org.gatehouse.api.model.Household;
import org.gatehouse.api.model.Resident;
import org.gatehouse.api.model.ResidentRole;
import org.gatehouse.api.model.Unit;
import org.gatehouse.api.model.Visitor;
import org.gatehouse.api.service.Scope;
import org.gatehouse.core.api.AuditTrails;
import org.gatehouse.core.api.Caller;
import org.gatehouse.core.api.Roles;
import org.gatehouse.testing.MovableClock;
import org.gatehouse.visitor.api.PassCheck;

/**
 * SUNSHINE: buildings 1 (flat 101, household 王家: tenant 王伟) and 2 (flat 201, household 李家: tenant 李娜), leases
 * from 30 days ago for a year, a compound gate "north" (a device without a building), over the fakes; the visitor
 * services wired as DS wires them, on a clock the test moves.
 */
class World {
    final Fakes.Communities communities = new Fakes.Communities();
    final Fakes.Households households = new Fakes.Households(communities);
    final Fakes.Devices devices = new Fakes.Devices();
    final MovableClock clock = new MovableClock(Instant.parse("2026-05-01T08:00:00Z"));
    final Fakes.Visitors visitors = new Fakes.Visitors(households, devices, clock);
    final Fakes.Audits audit = new Fakes.Audits();
    final Fakes.Alerts alerts = new Fakes.Alerts();
    final Fakes.Faces faces = new Fakes.Faces();
    final SecretKeys keys = new SecretKeys(SecretKeys.random(32));
    final VisitorKey key = new VisitorKeyFile(keys);
    final VisitsImpl visits;
    final PassesImpl passes;
    final RemoteOpenImpl remoteOpen;
    final Community sunshine;
    final Building b1;
    final Building b2;
    final Unit flat101;
    final Unit flat201;
    final Household wang;
    final Household li;
    final Device north;
    final Resident wangWei;
    final Resident liNa;
    final Caller office;
    final Caller wangResident;
    final Caller liResident;
    /** The scope of a gate of SUNSHINE. */
    final Scope gateScope;

    World() {
        VisitorConfig config = Fakes.config();
        AuditTrails trails = AuditTrails.writingTo(audit);
        visits = new VisitsImpl(visitors, households, communities, faces, key, clock, config, trails);
        passes = new PassesImpl(visitors, households, communities, devices, alerts, visits, key, clock, config, trails);
        remoteOpen = new RemoteOpenImpl(visitors, households, communities, devices, clock, trails);
        sunshine = communities.createCommunity("SUNSHINE", "阳光公租房小区", "");
        b1 = communities.createBuilding(Scope.all(), sunshine.id(), "1", "1号楼");
        b2 = communities.createBuilding(Scope.all(), sunshine.id(), "2", "2号楼");
        flat101 = communities.createUnit(Scope.all(), b1.id(), "1", 1, "101", null);
        flat201 = communities.createUnit(Scope.all(), b2.id(), "1", 2, "201", null);
        wang = households.createHousehold(Scope.all(), flat101.id(), "王家");
        li = households.createHousehold(Scope.all(), flat201.id(), "李家");
        north = devices.add(sunshine.id(), null, "north");
        wangWei = households.addResident(Scope.all(), wang.id(), "王伟", ResidentRole.TENANT, null, null,
                clock.instant().minus(Duration.ofDays(30)), clock.instant().plus(Duration.ofDays(365)), null);
        liNa = households.addResident(Scope.all(), li.id(), "李娜", ResidentRole.TENANT, null, null,
                clock.instant().minus(Duration.ofDays(30)), clock.instant().plus(Duration.ofDays(365)), null);
        Scope s = Scope.of(sunshine.id());
        gateScope = s;
        office = new Caller("office", Set.of(Roles.COMMUNITY_OFFICE), s);
        wangResident = new Caller("wang", Set.of(Roles.RESIDENT, "household:" + wang.id()), s);
        liResident = new Caller("li", Set.of(Roles.RESIDENT, "household:" + li.id()), s);
    }

    Visits.VisitorInput input(Household host, boolean preApproved) {
        return new Visits.VisitorInput("张三", "13900000000", "11010519491231002x", host.id(), "探亲",
                clock.instant(), clock.instant().plus(Duration.ofHours(8)), preApproved);
    }

    /** A visitor of 王家 registered and pre-approved by the office. */
    Visitor approved() {
        return visits.register(office, input(wang, true));
    }

    /** An office pass. */
    Passes.IssuedPass pass(Visitor v, Integer maxUses, Set<String> gates) {
        return passes.issuePass(office, v.id(), new Passes.PassInput(null, null, maxUses, gates));
    }

    /** A check by gate name through the Java API. */
    PassCheck check(String code, String gate, Instant at) {
        return passes.check(gateScope, sunshine.id(), code, gate, at);
    }

    /** An app login of household {@code h} naming its resident records ({@code resident:<id>}); none: household-only. */
    Caller login(String name, Household h, String... residentIds) {
        Set<String> roles = new java.util.HashSet<>(Set.of(Roles.RESIDENT, "household:" + h.id()));
        for (String id : residentIds) {
            roles.add(RemoteOpen.RESIDENT_ID_PREFIX + id);
        }
        return new Caller(name, roles, gateScope);
    }

    /** Ends {@code r}'s lease a minute from now and moves the clock past it. */
    void endLease(Resident r) {
        households.updateResident(Scope.all(), new Resident(r.id(), r.communityId(), r.householdId(), r.name(),
                r.role(), r.birthDate(), r.phone(), r.validFrom(), clock.instant().plusSeconds(60), r.careFlags()));
        clock.advance(Duration.ofSeconds(60));
    }

    /** The gate terminal {@code d} as a REST caller. */
    Caller terminal(Device d) {
        return new Caller("device:" + d.id(), Set.of(Roles.DEVICE), Scope.of(d.communityId()));
    }
}

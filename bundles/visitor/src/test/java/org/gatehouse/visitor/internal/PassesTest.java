package org.gatehouse.visitor.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.gatehouse.api.model.Device;
import org.gatehouse.api.model.VisitLogEntry;
import org.gatehouse.api.model.Visitor;
import org.gatehouse.api.model.VisitorPass;
import org.gatehouse.api.service.Scope;
import org.gatehouse.core.api.Caller;
import org.gatehouse.core.api.Roles;
import org.gatehouse.visitor.api.PassCheck;
import org.gatehouse.visitor.api.PassCheck.Reason;
import org.gatehouse.visitor.internal.Passes.IssuedPass;
import org.gatehouse.visitor.internal.Passes.PassInput;
import org.junit.jupiter.api.Test;
import org.gatehouse.core.api.Refusal;

/** Temporary passes: issued to approved visitors, checked at gates, never stored in clear ({@link Passes}). */
class PassesTest {
    final World w = new World();

    @Test
    void aPassOpensInItsWindowAndNotAfter() {
        IssuedPass p = w.pass(w.approved(), 5, null);
        assertTrue(p.code().matches("\\d{6}"));
        assertEquals("GH1:" + p.pass().id() + ":" + p.code(), p.qr());
        assertEquals(Reason.NOT_YET_VALID, w.check(p.code(), "north", w.clock.instant().minusSeconds(60)).reason());
        PassCheck ok = w.check(p.code(), "north", w.clock.instant().plusSeconds(60));
        assertTrue(ok.opens());
        assertEquals(4, ok.usesLeft());
        assertTrue(w.check(p.qr(), "north", w.clock.instant().plusSeconds(120)).opens(), "the QR payload opens too");
        PassCheck late = w.check(p.code(), "north", w.clock.instant().plus(Duration.ofHours(9)));
        assertFalse(late.opens());
        assertEquals(Reason.EXPIRED, late.reason());
        List<VisitLogEntry> log = w.visitors.log;
        assertEquals(2, log.stream().filter(e -> e.event().equals("PASS_USED")).count());
        assertTrue(log.stream().anyMatch(e -> e.event().equals("PASS_REFUSED") && e.detail().equals("EXPIRED")
                && "north".equals(e.gate())));
    }

    @Test
    void maxUsesAndACodeReusedAfterItsLastUseIsRefused() {
        IssuedPass p = w.pass(w.approved(), 2, null);
        Instant at = w.clock.instant().plusSeconds(10);
        assertTrue(w.check(p.code(), "north", at).opens());
        PassCheck second = w.check(p.code(), "north", at);
        assertTrue(second.opens());
        assertEquals(0, second.usesLeft());
        PassCheck third = w.check(p.code(), "north", at);
        assertFalse(third.opens());
        assertEquals(Reason.NO_USES_LEFT, third.reason());
        assertEquals(2, w.visitors.pass(Scope.all(), p.pass().id()).orElseThrow().uses(), "no use counted");
    }

    @Test
    void wrongGateUnknownCodeAndRevokedAreRefusedWithTheirReason() {
        Visitor v = w.approved();
        IssuedPass p = w.pass(v, 3, Set.of("north"));
        Instant at = w.clock.instant().plusSeconds(10);
        assertEquals(Reason.WRONG_GATE, w.check(p.code(), "south", at).reason());
        assertTrue(w.check(p.code(), "north", at).opens());
        String other = p.code().equals("000000") ? "000001" : "000000";
        assertEquals(Reason.UNKNOWN_CODE, w.check(other, "north", at).reason());
        assertEquals(Reason.UNKNOWN_CODE, w.check("GH1:" + p.pass().id() + ":" + other, "north", at).reason(),
                "a QR payload with a wrong code");
        assertEquals(Reason.UNKNOWN_CODE, w.check("hello", "north", at).reason());
        w.passes.revokePass(w.office, v.id(), p.pass().id());
        assertEquals(Reason.REVOKED, w.check(p.qr(), "north", at).reason());
        assertFalse(w.check(p.code(), "north", at).opens());
    }

    // ---- rule: a resident's pass opens only the host's building and the community gates ------------------------

    @Test
    void aResidentsPassWithoutGatesOpensOnlyTheHostsBuildingAndTheCommunityGates() {
        Device b1Door = w.devices.add(w.sunshine.id(), w.b1.id(), "1号楼门");
        Device b2Door = w.devices.add(w.sunshine.id(), w.b2.id(), "2号楼门");
        // building 2's terminal carrying building 1's gate name must not help either
        Device b2SameName = w.devices.add(w.sunshine.id(), w.b2.id(), "1号楼门");
        Visitor v = w.visits.register(w.wangResident, w.input(w.wang, false));
        IssuedPass p = w.passes.issuePass(w.wangResident, v.id(), new PassInput(null, null, 10, null));
        assertEquals(w.b1.id(), p.pass().buildingId());
        assertEquals(w.b1.id(), w.visitors.pass(Scope.all(), p.pass().id()).orElseThrow().buildingId());
        Instant at = w.clock.instant().plusSeconds(10);

        PassCheck other = w.passes.checkAtDevice(w.gateScope, b2Door.id(), p.code(), at);
        assertFalse(other.opens(), "another building's unit door");
        assertEquals(Reason.WRONG_GATE, other.reason());
        assertEquals(Reason.WRONG_GATE, w.passes.checkAtDevice(w.gateScope, b2SameName.id(), p.code(), at).reason());
        assertEquals(Reason.WRONG_GATE, w.check(p.code(), "2号楼门", at).reason(), "by name, too");
        assertEquals(Reason.WRONG_GATE, w.check(p.qr(), "2号楼门", at).reason(), "the QR payload, too");
        assertEquals(Reason.WRONG_GATE, w.check(p.code(), "no-such-gate", at).reason(), "an unknown gate name");
        assertEquals(0, w.visitors.pass(Scope.all(), p.pass().id()).orElseThrow().uses(), "no use counted");

        assertTrue(w.passes.checkAtDevice(w.gateScope, b1Door.id(), p.code(), at).opens(), "the host's building");
        assertTrue(w.passes.checkAtDevice(w.gateScope, w.north.id(), p.code(), at).opens(), "a community gate");
        assertTrue(w.check(p.code(), "1号楼门", at).opens(), "by name: a door of the host's building has it");
        assertTrue(w.check(p.code(), "north", at).opens());
        assertEquals(4, w.visitors.pass(Scope.all(), p.pass().id()).orElseThrow().uses());
        assertTrue(w.visitors.log.stream().anyMatch(e -> e.event().equals("PASS_REFUSED")
                && "2号楼门".equals(e.gate()) && e.detail().equals("WRONG_GATE")));
    }

    @Test
    void aResidentCannotNameAGateOfAnotherBuilding() {
        Device b1Door = w.devices.add(w.sunshine.id(), w.b1.id(), "1号楼门");
        Device b2Door = w.devices.add(w.sunshine.id(), w.b2.id(), "2号楼门");
        Visitor v = w.visits.register(w.wangResident, w.input(w.wang, false));
        Refusal r = assertThrows(Refusal.class, () -> w.passes.issuePass(w.wangResident, v.id(),
                new PassInput(null, null, 2, Set.of("1号楼门", "2号楼门"))));
        assertEquals(403, r.status());
        assertEquals("GATE_NOT_ALLOWED", r.code());
        assertTrue(r.message(Locale.SIMPLIFIED_CHINESE).contains("2号楼门"), r.message(Locale.SIMPLIFIED_CHINESE));
        assertTrue(w.audit.actions().contains("pass.issue.refused"));
        assertTrue(w.visitors.passesOf(Scope.all(), v.id()).isEmpty(), "nothing issued");

        IssuedPass own = w.passes.issuePass(w.wangResident, v.id(), new PassInput(null, null, 2, Set.of("1号楼门")));
        Instant at = w.clock.instant().plusSeconds(10);
        assertEquals(Reason.WRONG_GATE, w.passes.checkAtDevice(w.gateScope, w.north.id(), own.code(), at).reason(),
                "narrowed to its own gates");
        assertEquals(Reason.WRONG_GATE, w.passes.checkAtDevice(w.gateScope, b2Door.id(), own.code(), at).reason());
        assertTrue(w.passes.checkAtDevice(w.gateScope, b1Door.id(), own.code(), at).opens());
    }

    @Test
    void anOfficePassKeepsEveryGateOrItsExplicitGates() {
        Device b1Door = w.devices.add(w.sunshine.id(), w.b1.id(), "1号楼门");
        Device b2Door = w.devices.add(w.sunshine.id(), w.b2.id(), "2号楼门");
        Instant at = w.clock.instant().plusSeconds(10);
        IssuedPass every = w.pass(w.approved(), 5, null);
        assertNull(every.pass().buildingId());
        assertTrue(w.passes.checkAtDevice(w.gateScope, b2Door.id(), every.code(), at).opens());
        assertTrue(w.passes.checkAtDevice(w.gateScope, b1Door.id(), every.code(), at).opens());
        assertTrue(w.check(every.code(), "anything", at).opens(), "by name, as before");
        IssuedPass b2Only = w.pass(w.approved(), 5, Set.of("2号楼门"));
        assertTrue(w.passes.checkAtDevice(w.gateScope, b2Door.id(), b2Only.code(), at).opens(),
                "the office may name a gate of any building");
        assertEquals(Reason.WRONG_GATE, w.passes.checkAtDevice(w.gateScope, b1Door.id(), b2Only.code(), at).reason());
    }

    @Test
    void aPeekAtTheDeviceSaysWhetherThePassWouldOpenWithoutUsingIt() {
        Device b1Door = w.devices.add(w.sunshine.id(), w.b1.id(), "1号楼门");
        Instant at = w.clock.instant().plusSeconds(10);
        IssuedPass p = w.pass(w.approved(), 1, null);
        PassCheck peek = w.passes.peekAtDevice(w.gateScope, b1Door.id(), p.code(), at);
        assertTrue(peek.opens(), peek.toString());
        assertEquals(1, peek.usesLeft());
        assertTrue(w.passes.peekAtDevice(w.gateScope, b1Door.id(), p.code(), at).opens(), "still unused");
        assertEquals(0, w.visitors.pass(Scope.all(), p.pass().id()).orElseThrow().uses(), "no use counted");
        assertTrue(w.visitors.log.stream().noneMatch(e -> e.event().equals("PASS_USED")), "nothing used, nothing logged");
        assertEquals(Reason.UNKNOWN_CODE, w.passes.peekAtDevice(w.gateScope, b1Door.id(), "000000", at).reason());

        assertTrue(w.passes.checkAtDevice(w.gateScope, b1Door.id(), p.code(), at).opens(), "the use itself");
        assertEquals(1, w.visitors.pass(Scope.all(), p.pass().id()).orElseThrow().uses());
        PassCheck spent = w.passes.peekAtDevice(w.gateScope, b1Door.id(), p.code(), at);
        assertFalse(spent.opens());
        assertEquals(Reason.NO_USES_LEFT, spent.reason());
    }

    // ---- rule: a terminal checks passes at its own door ---------------------------------------------------------

    @Test
    void aTerminalOfBuildingAClaimingBuildingBsDoorIsRefused() {
        Device aDoor = w.devices.add(w.sunshine.id(), w.b1.id(), "1号楼门");
        Device bDoor = w.devices.add(w.sunshine.id(), w.b2.id(), "2号楼门");
        // a resident of building 2 invites a visitor: the pass opens building 2's door and the community gates
        Visitor v = w.visits.register(w.liResident, w.input(w.li, false));
        IssuedPass p = w.passes.issuePass(w.liResident, v.id(), new PassInput(null, null, 5, null));
        w.clock.advance(Duration.ofSeconds(10));

        Refusal r = assertThrows(Refusal.class, () -> w.passes.check(w.terminal(aDoor), w.sunshine.id(), p.code(),
                "2号楼门"));
        assertEquals(403, r.status());
        assertEquals("GATE_MISMATCH", r.code());
        assertEquals("门禁终端只能核验本门禁（“1号楼门”）的通行码", r.message(Locale.SIMPLIFIED_CHINESE));
        assertTrue(w.audit.actions().contains("pass.check.refused"));
        assertTrue(w.visitors.log.stream().anyMatch(e -> e.event().equals("PASS_REFUSED")
                && e.actor().equals("device:" + aDoor.id()) && e.detail().startsWith("GATE_MISMATCH")));
        assertEquals(0, w.visitors.pass(Scope.all(), p.pass().id()).orElseThrow().uses(), "no use counted");

        // without a gate in the body the terminal's own door decides: building 1 is not the pass's building
        PassCheck own = w.passes.check(w.terminal(aDoor), w.sunshine.id(), p.code(), null);
        assertFalse(own.opens());
        assertEquals(Reason.WRONG_GATE, own.reason());
        assertEquals(Reason.WRONG_GATE, w.passes.check(w.terminal(aDoor), w.sunshine.id(), p.code(), "1号楼门").reason(),
                "naming its own gate is fine, and still its own door");
        // the compound gate claiming building 2's door is refused too
        assertThrows(Refusal.class, () -> w.passes.check(w.terminal(w.north), w.sunshine.id(), p.code(), "2号楼门"));
        assertEquals(0, w.visitors.pass(Scope.all(), p.pass().id()).orElseThrow().uses());

        assertTrue(w.passes.check(w.terminal(bDoor), w.sunshine.id(), p.code(), null).opens(), "its own building");
        assertTrue(w.passes.check(w.terminal(w.north), w.sunshine.id(), p.code(), "").opens(), "the community gate");
        // staff may still name the gate
        assertTrue(w.passes.check(w.office, w.sunshine.id(), p.code(), "2号楼门").opens());
        assertEquals(400, assertThrows(Refusal.class, () -> w.passes.check(w.office, w.sunshine.id(), p.code(), " "))
                .status(), "staff must name the gate");
    }

    @Test
    void aTerminalChecksOnlyInItsOwnCommunityAndAsItself() {
        Device aDoor = w.devices.add(w.sunshine.id(), w.b1.id(), "1号楼门");
        IssuedPass p = w.pass(w.approved(), 5, null);
        var river = w.communities.createCommunity("RIVER", "河畔小区", "");
        Device elsewhere = w.devices.add(river.id(), null, "north");
        assertThrows(org.gatehouse.api.service.OutOfScopeException.class,
                () -> w.passes.check(w.terminal(elsewhere), w.sunshine.id(), p.code(), null));
        Caller forged = new Caller("device:" + aDoor.id(), Set.of(Roles.DEVICE), Scope.of(river.id()));
        assertThrows(org.gatehouse.api.service.OutOfScopeException.class,
                () -> w.passes.check(forged, w.sunshine.id(), p.code(), null));
        Caller nameless = new Caller("someone", Set.of(Roles.DEVICE), w.gateScope);
        assertThrows(org.gatehouse.api.service.NotFoundException.class,
                () -> w.passes.check(nameless, w.sunshine.id(), p.code(), "1号楼门"));
        assertEquals(0, w.visitors.pass(Scope.all(), p.pass().id()).orElseThrow().uses());
    }

    @Test
    void theCodeAndTheIdCardAreNeverStoredInClear() {
        Visitor v = w.approved();
        IssuedPass p = w.pass(v, 2, null);
        VisitorPass stored = w.visitors.pass(Scope.all(), p.pass().id()).orElseThrow();
        assertTrue(SecretKeys.HASH.matcher(stored.code()).matches(), stored.code());
        assertFalse(stored.code().contains(p.code()));
        assertTrue(SecretKeys.HASH.matcher(v.idCardHash()).matches(), v.idCardHash());
        for (VisitLogEntry e : w.visitors.log) {
            assertFalse(e.detail().contains(p.code()), e.toString());
        }
        assertEquals(w.keys.hash("id-card", "11010519491231002X"), v.idCardHash(), "normalised before hashing");
    }

    // ---- rule: only a host who lives there issues a pass ---------------------------------------------------------

    @Test
    void aMovedOutResidentCannotIssueAPassToTheOldBuildingButMayRevokeOne() {
        Caller wangWei = w.login("wangwei", w.wang, w.wangWei.id());
        Visitor v = w.visits.register(wangWei, w.input(w.wang, false));
        IssuedPass earlier = w.passes.issuePass(wangWei, v.id(), new PassInput(null, null, 2, null));
        w.households.removeResident(Scope.all(), w.wangWei.id()); // moved out; the login keeps its household role

        Refusal r = assertThrows(Refusal.class, () -> w.passes.issuePass(wangWei, v.id(),
                new PassInput(null, null, 2, null)));
        assertEquals(403, r.status());
        assertEquals("NOT_REGISTERED", r.code());
        assertEquals("You are no longer a registered resident of this household: you cannot register, approve or let "
                + "in its visitors", r.message(Locale.ENGLISH));
        assertEquals("NOT_REGISTERED", assertThrows(Refusal.class, () -> w.passes.issuePass(w.wangResident, v.id(),
                null)).code(), "a household-only login: nobody of the household lives there");
        assertEquals(List.of(earlier.pass().id()), w.visitors.passesOf(Scope.all(), v.id()).stream()
                .map(VisitorPass::id).toList(), "no pass issued");
        assertEquals(1, w.visitors.events().stream().filter("PASS_ISSUED"::equals).count(), "only the earlier pass");
        assertTrue(w.audit.entries.stream().anyMatch(e -> e.action().equals("pass.issue.refused")
                && e.detail().startsWith("NOT_REGISTERED")), w.audit.entries.toString());

        // taking access away stays allowed
        assertTrue(w.passes.revokePass(wangWei, v.id(), earlier.pass().id()).revokedAt() != null);
        // the office still issues for the household
        assertTrue(w.pass(v, 1, null).code().matches("\\d{6}"));
    }

    @Test
    void aResidentWhoseLeaseEndedCannotIssueAPass() {
        Caller wangWei = w.login("wangwei", w.wang, w.wangWei.id());
        Visitor v = w.visits.register(wangWei, w.input(w.wang, false));
        w.endLease(w.wangWei);

        Refusal r = assertThrows(Refusal.class, () -> w.passes.issuePass(wangWei, v.id(), null));
        assertEquals(403, r.status());
        assertEquals("LEASE_ENDED", r.code());
        assertEquals("您的租约已到期，不能再登记、审批访客或发放通行码", r.message(Locale.SIMPLIFIED_CHINESE));
        assertEquals("LEASE_ENDED", assertThrows(Refusal.class, () -> w.passes.issuePass(w.wangResident, v.id(),
                null)).code(), "a household-only login");
        assertTrue(w.visitors.passesOf(Scope.all(), v.id()).isEmpty(), "no pass issued");
        assertTrue(w.audit.actions().contains("pass.issue.refused"));
    }
}

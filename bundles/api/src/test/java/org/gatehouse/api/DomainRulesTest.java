package org.gatehouse.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Set;

import org.gatehouse.api.model.Device;
import org.gatehouse.api.model.DeviceKind;
import org.gatehouse.api.model.Direction;
import org.gatehouse.api.model.Resident;
import org.gatehouse.api.model.ResidentRole;
import org.gatehouse.api.model.VisitorPass;
import org.gatehouse.api.service.OutOfScopeException;
import org.gatehouse.api.service.Scope;
import org.junit.jupiter.api.Test;

class DomainRulesTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant T1 = Instant.parse("2027-01-01T00:00:00Z");

    @Test
    void aLeaseEndClosesAccess() {
        Resident tenant = new Resident("r", "c", "h", "王建国", ResidentRole.TENANT, null, null, T0, T1, null);
        assertTrue(tenant.isValidAt(T0));
        assertTrue(tenant.isValidAt(T1.minusSeconds(1)));
        assertFalse(tenant.isValidAt(T1), "the end of the lease is exclusive");
        assertFalse(tenant.isValidAt(T0.minusSeconds(1)));
        assertTrue(tenant.careFlags().isEmpty());
    }

    @Test
    void aLeaseThatEndsBeforeItStartsIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Resident("r", "c", "h", "x", ResidentRole.TENANT, null, null, T1, T0, Set.of()));
        assertEquals("validUntil must be after validFrom", e.getMessage());
    }

    @Test
    void missingFieldsAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Resident("r", "c", "h", " ", ResidentRole.TENANT, null, null, null, null, null));
        assertEquals("name is required", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new Resident("r", "c", "h", "x", null, null, null, null, null, null));
        assertEquals("role is required", e.getMessage());
    }

    @Test
    void aPassOpensItsGatesInItsWindowWhileUsesAreLeft() {
        VisitorPass pass = new VisitorPass("p", "c", "访客", "h", "123456", T0, T1, 2, 1, Set.of("north"), null);
        assertTrue(pass.opens("north", T0));
        assertFalse(pass.opens("south", T0), "other gates");
        assertFalse(pass.opens("north", T1), "expired");
        VisitorPass used = new VisitorPass("p", "c", "访客", "h", "123456", T0, T1, 2, 2, Set.of(), null);
        assertFalse(used.opens("north", T0), "no uses left");
        VisitorPass revoked = new VisitorPass("p", "c", "访客", "h", "123456", T0, T1, 2, 0, Set.of(), T0);
        assertFalse(revoked.opens("north", T0));
    }

    @Test
    void aBuildingLimitedPassOpensOnlyItsBuildingsDoorsAndCompoundGatesNeverByNameAlone() {
        VisitorPass pass = new VisitorPass("p", "c", "访客", "h", "123456", T0, T1, 2, 0, Set.of(), null, "b1");
        Device ownDoor = new Device("d1", "c", "b1", "1号楼门", "1号楼门", DeviceKind.FACE_TERMINAL, Direction.IN);
        Device otherDoor = new Device("d2", "c", "b2", "2号楼门", "2号楼门", DeviceKind.FACE_TERMINAL, Direction.IN);
        Device compound = new Device("d3", "c", null, "north", "north", DeviceKind.TURNSTILE, Direction.IN);
        Device elsewhere = new Device("d4", "other", null, "north", "north", DeviceKind.TURNSTILE, Direction.IN);
        assertTrue(pass.opens(ownDoor, T0));
        assertTrue(pass.opens(compound, T0));
        assertFalse(pass.opens(otherDoor, T0), "a unit door of another building");
        assertFalse(pass.opens(elsewhere, T0), "a gate of another community");
        assertFalse(pass.opens("1号楼门", T0), "a gate name alone does not say which building");
        assertFalse(pass.opens(ownDoor, T1), "expired");
        VisitorPass unlimited = new VisitorPass("p", "c", "访客", "h", "123456", T0, T1, 2, 0, Set.of("2号楼门"), null);
        assertNull(unlimited.buildingId());
        assertTrue(unlimited.opens(otherDoor, T0));
        assertFalse(unlimited.opens(ownDoor, T0), "not in its gates");
        assertTrue(unlimited.opens("2号楼门", T0));
    }

    @Test
    void scopesLimitCommunities() {
        assertTrue(Scope.all().allows("any"));
        Scope office = Scope.of("c1");
        assertTrue(office.allows("c1"));
        assertFalse(office.allows("c2"));
        assertThrows(OutOfScopeException.class, () -> office.check("c2"));
    }
}

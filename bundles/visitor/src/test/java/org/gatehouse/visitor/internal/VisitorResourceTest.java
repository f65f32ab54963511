package org.gatehouse.visitor.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;

import org.gatehouse.api.model.Device;
import org.gatehouse.api.model.Visitor;
import org.gatehouse.api.service.Scope;
import org.gatehouse.core.api.Caller;
import org.gatehouse.core.api.Roles;
import org.gatehouse.testing.RestHarness;
import org.gatehouse.visitor.api.PassCheck;
import org.gatehouse.visitor.internal.Passes.IssuedPass;
import org.gatehouse.visitor.internal.Passes.PassInput;
import org.gatehouse.visitor.internal.rest.VisitorResource;
import org.gatehouse.visitor.internal.rest.VisitorResource.CheckRequest;
import org.junit.jupiter.api.Test;
import org.gatehouse.core.api.Refusal;

/** The REST routes as the core calls them: handler, caller, path and body. */
class VisitorResourceTest {
    final World w = new World();
    RestHarness rest;

    VisitorResourceTest() {
        rest = RestHarness.of(new VisitorResource(w.visits, w.passes, w.remoteOpen));
    }

    Object call(String route, Caller caller, Map<String, String> path, Map<String, String> query, Object body)
            throws Exception {
        return rest.call(route, caller, path, query, body);
    }

    @Test
    void aTerminalsPassCheckIsAtItsOwnDoorNotTheDoorInTheBody() throws Exception {
        Device aDoor = w.devices.add(w.sunshine.id(), w.b1.id(), "1号楼门");
        Device bDoor = w.devices.add(w.sunshine.id(), w.b2.id(), "2号楼门");
        Visitor v = w.visits.register(w.liResident, w.input(w.li, false));
        IssuedPass p = w.passes.issuePass(w.liResident, v.id(), new PassInput(null, null, 5, null));
        w.clock.advance(java.time.Duration.ofSeconds(10));
        Caller terminalA = new Caller("device:" + aDoor.id(), Set.of(Roles.DEVICE), Scope.of(w.sunshine.id()));
        Map<String, String> path = Map.of("id", w.sunshine.id());
        String route = "POST /communities/{id}/pass-check";

        Refusal claimed = assertThrows(Refusal.class, () -> call(route, terminalA, path, Map.of(),
                new CheckRequest(p.code(), bDoor.gate())));
        assertEquals("GATE_MISMATCH", claimed.code());
        PassCheck own = (PassCheck) call(route, terminalA, path, Map.of(), new CheckRequest(p.code(), null));
        assertFalse(own.opens());
        assertEquals(PassCheck.Reason.WRONG_GATE, own.reason());
        assertEquals(0, w.visitors.pass(Scope.all(), p.pass().id()).orElseThrow().uses());

        Caller terminalB = new Caller("device:" + bDoor.id(), Set.of(Roles.DEVICE), Scope.of(w.sunshine.id()));
        assertTrue(((PassCheck) call(route, terminalB, path, Map.of(), new CheckRequest(p.code(), null))).opens());
        assertTrue(((PassCheck) call(route, w.office, path, Map.of(), new CheckRequest(p.code(), "north"))).opens(),
                "staff name the gate");
    }
}

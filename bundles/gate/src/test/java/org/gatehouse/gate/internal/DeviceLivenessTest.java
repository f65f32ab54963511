package org.gatehouse.gate.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import org.gatehouse.api.model.AlertStatus;
import org.gatehouse.api.model.AlertType;
import org.gatehouse.testing.Configs;
import org.junit.jupiter.api.Test;

class DeviceLivenessTest {
    private final World w = new World();
    private final DeviceLiveness liveness = new DeviceLiveness(w.alerts, w.clock,
            Configs.of(GateConfig.class, Map.of("offlineAfterSeconds", 60)));

    @Test
    void offlineOnceAlertedAndClosedWhenHeardAgain() {
        liveness.heard(w.gate, w.clock.instant());
        liveness.heard(w.door1, w.clock.instant());
        w.clock.advance(Duration.ofSeconds(30));
        assertEquals(0, liveness.sweep(w.clock.instant()));
        liveness.heard(w.door1, w.clock.instant());
        w.clock.advance(Duration.ofSeconds(40));
        assertEquals(1, liveness.sweep(w.clock.instant()), "only the gate is 70 s quiet");
        assertEquals(0, liveness.sweep(w.clock.instant()), "one alert, not one per sweep");
        assertFalse(liveness.state(w.gate.id()).online());
        assertEquals(AlertType.DEVICE_OFFLINE, w.alerts.raised.get(0).type());
        assertEquals(w.gate.id(), w.alerts.raised.get(0).subjectId());

        liveness.heard(w.gate, w.clock.instant());
        assertTrue(liveness.state(w.gate.id()).online());
        assertEquals(AlertStatus.CLOSED, w.alerts.status.get(w.alerts.raised.get(0).id()));
    }

    @Test
    void aDeviceNeverHeardIsNotReportedAndDecisionsCountAsHeard() {
        w.clock.advance(Duration.ofHours(1));
        assertEquals(0, liveness.sweep(w.clock.instant()));
        GateDecisionsImpl gate = w.gate(Map.of(), liveness);
        gate.decideCredential(new org.gatehouse.gate.api.CredentialRequest(w.door2.id(),
                org.gatehouse.gate.api.PresentedKind.CARD, "C-LI", null, null, null));
        assertTrue(liveness.state(w.door2.id()).online());
        w.clock.advance(Duration.ofSeconds(61));
        assertEquals(1, liveness.sweep(w.clock.instant()));
    }

    @Test
    void anAlertThatCannotBeRaisedIsTriedAgain() {
        World.Alerts failing = new World.Alerts() {
            int calls;

            @Override
            public org.gatehouse.api.model.Alert raise(org.gatehouse.api.model.Alert alert) {
                if (calls++ == 0) {
                    throw new org.gatehouse.api.service.StoreUnavailableException("down", null);
                }
                return super.raise(alert);
            }
        };
        DeviceLiveness l = new DeviceLiveness(failing, w.clock, Configs.of(GateConfig.class,
                Map.of("offlineAfterSeconds", 60)));
        l.heard(w.gate, w.clock.instant());
        w.clock.advance(Duration.ofSeconds(61));
        assertEquals(0, l.sweep(w.clock.instant()));
        assertEquals(1, l.sweep(w.clock.instant()));
    }
}

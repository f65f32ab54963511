package org.gatehouse.gate.simulator.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.gatehouse.gate.api.CaptureRequest;
import org.gatehouse.gate.api.CredentialRequest;
import org.gatehouse.gate.api.PresentedKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulationRunTest {
    @TempDir
    Path dir;

    final FakeGate gate = new FakeGate();

    @Test
    void aCountedRunSendsExactlyItsCountAndStops() throws Exception {
        SimulationRun run = new SimulationRun(1, Fixtures.plan(200, 25, 0, Mix.DEFAULT, FaceFolder.NONE, 9), gate)
                .start();
        assertTrue(run.awaitEnd(Duration.ofSeconds(10)));
        assertEquals(SimulationRun.State.FINISHED, run.state());
        assertEquals(25, gate.calls());
        assertEquals(25, run.stats().sent());
        assertEquals(25, run.stats().allowed());
        Thread.sleep(50);
        assertEquals(25, gate.calls(), "nothing after the end");
    }

    @Test
    void aTimedRunStopsInTime() throws Exception {
        SimulationRun run = new SimulationRun(2, Fixtures.plan(20, 0, 1, Mix.DEFAULT, FaceFolder.NONE, 9), gate)
                .start();
        assertTrue(run.awaitEnd(Duration.ofSeconds(5)));
        assertEquals(SimulationRun.State.FINISHED, run.state());
        assertTrue(gate.calls() >= 15 && gate.calls() <= 20, gate.calls() + " in one second at 20/s");
    }

    @Test
    void stopEndsAnUnboundedRun() throws Exception {
        SimulationRun run = new SimulationRun(3, Fixtures.plan(100, 0, 0, Mix.DEFAULT, FaceFolder.NONE, 9), gate)
                .start();
        Thread.sleep(100);
        run.stop();
        assertTrue(run.awaitEnd(Duration.ofSeconds(5)));
        assertEquals(SimulationRun.State.STOPPED, run.state());
        int calls = gate.calls();
        assertTrue(calls > 0);
        Thread.sleep(100);
        assertEquals(calls, gate.calls(), "nothing after stop");
        assertTrue(run.endedAt() != null);
    }

    @Test
    void devicesTakeTurnsAndRequestsCarryReadings() throws Exception {
        SimulationRun run = new SimulationRun(4, Fixtures.plan(200, 10, 0, new Mix(0, 0.5, 0.5, 0.5, 0),
                FaceFolder.NONE, 11), gate).start();
        assertTrue(run.awaitEnd(Duration.ofSeconds(10)));
        long atGate = gate.credentials.stream().filter(r -> r.deviceId().equals(Fixtures.GATE.id())).count();
        assertEquals(5, atGate);
        for (CredentialRequest r : gate.credentials) {
            assertTrue(r.kind() == PresentedKind.CARD || r.kind() == PresentedKind.PASS_CODE);
            assertTrue(r.readings().temperatureCelsius() != null && r.readings().maskOn() != null);
            assertTrue(r.requestId().matches("sim-4-[0-9a-z]+-\\d+"), r.requestId());
        }
    }

    @Test
    void facesGoAsFramesCredentialsAsCredentials() throws Exception {
        FaceFolder faces = FaceFolder.load(Fixtures.faceFolder(dir));
        SimulationRun run = new SimulationRun(5, Fixtures.plan(200, 20, 0, new Mix(0.2, 0.2, 0, 0, 0), faces, 3),
                gate).start();
        assertTrue(run.awaitEnd(Duration.ofSeconds(20)));
        assertEquals(20, gate.calls());
        assertFalse(gate.captures.isEmpty());
        for (CaptureRequest r : gate.captures) {
            assertEquals((byte) 0xFF, r.frame()[0]);
            assertEquals((byte) 0xD8, r.frame()[1]);
        }
        assertTrue(gate.credentials.stream().allMatch(r -> r.kind() == PresentedKind.PASS_CODE),
                "with photos only visitors use codes");
        assertEquals(gate.captures.size(), run.stats().faces());
    }

    @Test
    void verdictsDenialReasonsSecondFactorsAndErrorsAreCounted() throws Exception {
        int[] n = {0};
        gate.rule = r -> switch (n[0]++ % 5) {
            case 0 -> FakeGate.allow();
            case 1 -> FakeGate.deny("CREDENTIAL_UNKNOWN");
            case 2 -> FakeGate.deny("CREDENTIAL_VALID", "SCREENING_FAILED:temperature");
            case 3 -> FakeGate.secondFactor();
            default -> throw new IllegalStateException("gate broke");
        };
        SimulationRun run = new SimulationRun(6, Fixtures.plan(200, 20, 0, Mix.DEFAULT, FaceFolder.NONE, 1), gate)
                .start();
        assertTrue(run.awaitEnd(Duration.ofSeconds(10)));
        assertEquals(SimulationRun.State.FINISHED, run.state(), "errors do not end the run");
        RunStats.Snapshot s = run.stats();
        assertEquals(20, s.sent());
        assertEquals(4, s.allowed());
        assertEquals(8, s.denied());
        assertEquals(4, s.secondFactor());
        assertEquals(4, s.errors());
        assertEquals(Map.of("CREDENTIAL_UNKNOWN", 4L, "SCREENING_FAILED:temperature", 4L), s.deniedBy());
        assertEquals(Map.of("IllegalStateException", 4L), s.errorsBy());
        assertFalse(Double.isNaN(s.p50Millis()));
        assertTrue(s.p95Millis() >= s.p50Millis());
    }

    @Test
    void percentilesAreNearestRank() {
        long[] sorted = new long[100];
        for (int i = 0; i < 100; i++) {
            sorted[i] = (i + 1) * 1_000_000L;
        }
        assertEquals(50.0, RunStats.percentileMillis(sorted, 0.50));
        assertEquals(95.0, RunStats.percentileMillis(sorted, 0.95));
        assertTrue(Double.isNaN(RunStats.percentileMillis(new long[0], 0.5)));
    }
}

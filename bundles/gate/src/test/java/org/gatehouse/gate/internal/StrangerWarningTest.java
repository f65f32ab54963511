package org.gatehouse.gate.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.gatehouse.api.model.Alert;
import org.gatehouse.api.model.AlertType;
import org.gatehouse.api.model.Device;
import org.gatehouse.api.model.Verdict;
import org.gatehouse.gate.api.CaptureRequest;
import org.gatehouse.gate.api.Readings;
import org.gatehouse.recognition.api.FaceEngine;
import org.gatehouse.recognition.api.FaceTemplate;
import org.gatehouse.testing.Configs;
import org.junit.jupiter.api.Test;

/**
 * Stranger warning: the same unknown face N times within T raises one STRANGER alert naming the doors and times;
 * "the same" is a cluster at the gallery's 1:1 threshold (0.40 in {@link World}); templates are forgotten after T.
 */
class StrangerWarningTest {
    private final World w = new World();
    /** Frame name → template the fake engine answers (4-d unit vectors are enough for cosine). */
    private final Map<String, float[]> templates = new HashMap<>();
    private final GateDecisionsImpl gate = gate(Map.of());

    private GateDecisionsImpl gate(Map<String, ?> config) {
        GateDecisionsImpl g = w.gate(config);
        g.setEngine((FaceEngine) Proxy.newProxyInstance(FaceEngine.class.getClassLoader(),
                new Class<?>[] {FaceEngine.class}, (p, m, args) -> {
                    if (!m.getName().equals("embed")) {
                        throw new UnsupportedOperationException(m.getName());
                    }
                    float[] v = templates.get(new String((byte[]) args[0], StandardCharsets.UTF_8));
                    return new FaceTemplate(v.clone(), "test", null);
                }));
        return g;
    }

    /** A stranger's frame: a unit vector near axis {@code axis} (each frame a little different). */
    private String stranger(int axis, int frame) {
        String name = "stranger-" + axis + "-" + frame;
        float[] v = new float[4];
        v[axis] = 1f;
        v[(axis + 1) % 4] = 0.05f * (frame % 5);
        double n = Math.sqrt(v[axis] * v[axis] + v[(axis + 1) % 4] * v[(axis + 1) % 4]);
        v[axis] /= n;
        v[(axis + 1) % 4] /= n;
        templates.put(name, v);
        w.faces.reject(name, 0.2f);
        return name;
    }

    private void seen(GateDecisionsImpl g, Device d, String frame) {
        assertEquals(Verdict.DENY, g.decideCapture(new CaptureRequest(d.id(), World.frame(frame), Readings.NONE, null))
                .verdict());
    }

    private List<Alert> strangerAlerts() {
        return w.alerts.raised.stream().filter(a -> a.type() == AlertType.STRANGER).toList();
    }

    @Test
    void nMinusOneSightingsNoAlertNSightingsOneAlertNamingDoorsAndTimes() {
        seen(gate, w.gate, stranger(0, 1));
        w.clock.advance(Duration.ofMinutes(2));
        seen(gate, w.door1, stranger(0, 2));
        assertEquals(0, strangerAlerts().size(), "N-1 sightings");
        w.clock.advance(Duration.ofMinutes(2));
        seen(gate, w.door2, stranger(0, 3));
        List<Alert> alerts = strangerAlerts();
        assertEquals(1, alerts.size(), "the N-th sighting");
        Alert a = alerts.get(0);
        assertEquals(w.community.id(), a.communityId());
        for (String door : List.of("东门", "1-1", "2-1", "08:00:00Z", "08:02:00Z", "08:04:00Z")) {
            assertTrue(a.message().contains(door), door + " in: " + a.message());
        }
        for (int i = 4; i < 4 + 5; i++) {
            w.clock.advance(Duration.ofSeconds(30));
            seen(gate, w.door1, stranger(0, i));
        }
        assertEquals(1, strangerAlerts().size(), "N+5 sightings: still one alert");
    }

    @Test
    void aDifferentStrangerCountsSeparately() {
        seen(gate, w.gate, stranger(0, 1));
        seen(gate, w.gate, stranger(1, 1));
        seen(gate, w.gate, stranger(0, 2));
        seen(gate, w.gate, stranger(1, 2));
        assertEquals(0, strangerAlerts().size(), "two strangers, two sightings each");
        seen(gate, w.gate, stranger(1, 3));
        assertEquals(1, strangerAlerts().size());
        seen(gate, w.gate, stranger(0, 3));
        assertEquals(2, strangerAlerts().size());
        assertTrue(!strangerAlerts().get(0).subjectId().equals(strangerAlerts().get(1).subjectId()));
    }

    @Test
    void sightingsOlderThanTAreForgottenAndTheirTemplatesDeleted() {
        seen(gate, w.gate, stranger(0, 1));
        seen(gate, w.gate, stranger(0, 2));
        assertEquals(2, gate.strangers().templates(w.community.id()));
        w.clock.advance(Duration.ofMinutes(10).plusSeconds(1));
        gate.strangers().purge(w.clock.instant());
        assertEquals(0, gate.strangers().templates(w.community.id()), "the scheduled purge deleted them");
        seen(gate, w.gate, stranger(0, 3));
        seen(gate, w.gate, stranger(0, 4));
        assertEquals(0, strangerAlerts().size(), "the first two are forgotten: 2 sightings within T");
        w.clock.advance(Duration.ofMinutes(9));
        seen(gate, w.gate, stranger(0, 5));
        assertEquals(1, strangerAlerts().size(), "3 within 10 minutes");
    }

    @Test
    void purgeOnAccessForgetsOldSightingsWithoutTheTimer() {
        seen(gate, w.gate, stranger(0, 1));
        seen(gate, w.gate, stranger(0, 2));
        w.clock.advance(Duration.ofMinutes(11));
        seen(gate, w.gate, stranger(1, 1));
        assertEquals(1, gate.strangers().templates(w.community.id()));
        seen(gate, w.gate, stranger(0, 3));
        assertEquals(0, strangerAlerts().size());
    }

    @Test
    void perCommunityRuleAndMemoryBound() {
        GateDecisionsImpl g = gate(Map.of("strangerRules", new String[] {w.community.id() + "=2/1"},
                "strangerMaxTemplates", 3));
        seen(g, w.gate, stranger(0, 1));
        w.clock.advance(Duration.ofSeconds(61));
        seen(g, w.gate, stranger(0, 2));
        assertEquals(0, strangerAlerts().size(), "T = 1 minute for this community");
        seen(g, w.gate, stranger(0, 3));
        assertEquals(1, strangerAlerts().size(), "N = 2");
        // full: 3 templates at most; the oldest goes first
        seen(g, w.gate, stranger(1, 1));
        seen(g, w.gate, stranger(2, 1));
        seen(g, w.gate, stranger(3, 1));
        assertEquals(3, g.strangers().templates(w.community.id()));
    }

    @Test
    void theBoundEvictsTheOldestSighting() {
        StrangerWatch watch = new StrangerWatch(Configs.of(GateConfig.class, Map.of("strangerMaxTemplates", 2)));
        float[] a = {1, 0};
        float[] b = {0, 1};
        var t0 = w.clock.instant();
        watch.seen("c", "d", "g", t0, a, 0.4f);
        watch.seen("c", "d", "g", t0.plusSeconds(1), b, 0.4f);
        watch.seen("c", "d", "g", t0.plusSeconds(2), b, 0.4f); // evicts a's sighting
        assertEquals(2, watch.templates("c"));
        assertTrue(watch.seen("c", "d", "g", t0.plusSeconds(3), a, 0.4f).isEmpty(), "a counts from 1 again");
        assertTrue(watch.seen("c", "d", "g", t0.plusSeconds(4), b, 0.4f).isEmpty(),
                "b lost its oldest sighting to make room for a: 2 kept");
    }

    @Test
    void withoutTheEngineNothingIsCountedAndTheDecisionStands() {
        GateDecisionsImpl g = w.gate(Map.of());
        for (int i = 0; i < 5; i++) {
            w.faces.reject("x" + i, 0.1f);
            seen(g, w.gate, "x" + i);
        }
        assertEquals(0, strangerAlerts().size());
    }
}

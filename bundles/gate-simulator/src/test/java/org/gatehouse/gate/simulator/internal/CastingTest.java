package org.gatehouse.gate.simulator.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.gatehouse.gate.simulator.internal.Presentation.Means;
import org.gatehouse.gate.simulator.internal.Presentation.Who;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CastingTest {
    @TempDir
    Path dir;

    @Test
    void theSameSeedBringsTheSamePeopleInTheSameOrder() throws Exception {
        FaceFolder faces = FaceFolder.load(Fixtures.faceFolder(dir));
        List<String> a = draw(new Casting(Mix.DEFAULT, faces, List.of("C1"), List.of(), new Random(42)), 200);
        List<String> b = draw(new Casting(Mix.DEFAULT, faces, List.of("C1"), List.of(), new Random(42)), 200);
        List<String> c = draw(new Casting(Mix.DEFAULT, faces, List.of("C1"), List.of(), new Random(43)), 200);
        assertEquals(a, b);
        assertNotEquals(a, c, "another seed, other people");
    }

    @Test
    void sharesComeOutAsConfigured() {
        Casting casting = new Casting(new Mix(0.2, 0.1, 0.05, 0.1, 0.0), FaceFolder.NONE, List.of(), List.of(),
                new Random(7));
        int n = 20_000;
        Map<Who, Integer> who = new EnumMap<>(Who.class);
        int fever = 0;
        int noMask = 0;
        for (int i = 0; i < n; i++) {
            Presentation p = casting.next();
            who.merge(p.who(), 1, Integer::sum);
            fever += p.fever() ? 1 : 0;
            noMask += p.maskOn() ? 0 : 1;
            assertTrue(p.temperature() >= 36.2 && p.temperature() <= 39.0, "plausible temperature");
        }
        assertEquals(0.2, who.get(Who.STRANGER) / (double) n, 0.01);
        assertEquals(0.1, who.get(Who.VISITOR) / (double) n, 0.01);
        assertEquals(0.7, who.get(Who.RESIDENT) / (double) n, 0.01);
        assertEquals(0.05, fever / (double) n, 0.005);
        assertEquals(0.1, noMask / (double) n, 0.01);
    }

    @Test
    void withoutPhotosResidentsShowCardsAndVisitorsPassCodes() {
        Casting casting = new Casting(new Mix(0.0, 0.5, 0, 0, 0), FaceFolder.NONE, List.of("CARD-1", "CARD-2"),
                List.of("123456"), new Random(1));
        for (int i = 0; i < 200; i++) {
            Presentation p = casting.next();
            if (p.who() == Who.RESIDENT) {
                assertEquals(Means.CARD, p.means());
                assertTrue(p.credential().startsWith("CARD-"));
            } else {
                assertEquals(Means.PASS_CODE, p.means());
                assertEquals("123456", p.credential());
            }
        }
    }

    @Test
    void withPhotosResidentsAndStrangersShowFacesFromTheirFolders() throws Exception {
        FaceFolder faces = FaceFolder.load(Fixtures.faceFolder(dir));
        Casting casting = new Casting(new Mix(0.5, 0.0, 0, 0, 0), faces, List.of(), List.of(), new Random(3));
        for (int i = 0; i < 200; i++) {
            Presentation p = casting.next();
            assertEquals(Means.FACE, p.means());
            assertEquals(p.who() == Who.STRANGER, p.faceName().startsWith("Tony_Blair"), p.faceName());
        }
    }

    @Test
    void badSharesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Mix(0.7, 0.4, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Mix(-0.1, 0, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Mix(0, 0, 1.5, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Mix(0, 0, 0, Double.NaN, 0));
    }

    private static List<String> draw(Casting casting, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Presentation p = casting.next();
            out.add(p.who() + "/" + p.means() + "/" + p.faceName() + "/" + p.credential() + "/" + p.temperature()
                    + "/" + p.maskOn());
        }
        return out;
    }
}

package org.gatehouse.faces.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.gatehouse.api.service.Scope;
import org.gatehouse.recognition.api.FaceException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Why the registry's default threshold is 0.45 and not the 0.36 of pairwise verification: a gate
 * compares a stranger with every template of the community and keeps the best, so strangers score
 * higher in 1:N than in 1:1. On lfw7, five people enrolled with three photos each, the other two as
 * strangers: every held-back photo of the residents scores at least 0.50 and is identified, every
 * stranger stays below 0.38 (0.371 at worst; 0.36 would let one in). Skipped without ../shared.
 */
class OpenSetThresholdTest {
    static final Path LFW7 = Paths.get("../../../shared/data/faces/lfw7");

    @ParameterizedTest
    @ValueSource(ints = {0, 3})
    void residentsPassAndStrangersStayOut(int rotation) throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(LFW7), "needs ../shared/data/faces/lfw7 (not at " + LFW7.toAbsolutePath().normalize()
                + "); backs the 1:N match threshold 0.45");
        StoredFaceRegistryTest.engine();
        StoredFaceRegistry registry = StoredFaceRegistryTest.registry(new MemoryTemplates(), 0.45f);
        List<String> names;
        try (Stream<Path> dirs = Files.list(LFW7)) {
            names = dirs.map(p -> p.getFileName().toString()).sorted().toList();
        }
        List<String> residents = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            residents.add(names.get((i + rotation) % names.size()));
        }
        int identified = 0;
        int genuine = 0;
        int strangersKeptOut = 0;
        int strangers = 0;
        for (String name : names) {
            List<Path> photos;
            try (Stream<Path> files = Files.list(LFW7.resolve(name))) {
                photos = files.sorted().toList();
            }
            int next = 0;
            if (residents.contains(name)) {
                for (int enrolled = 0; enrolled < 3; next++) {
                    try {
                        registry.enroll(Scope.all(), "c", name, Files.readAllBytes(photos.get(next)));
                        enrolled++;
                    } catch (FaceException belowEnrollmentQuality) {
                        // the office would take another photo
                    }
                }
            }
            for (Path photo : photos.subList(Math.max(next, 10), photos.size())) {
                var id = registry.identify(Scope.all(), "c", Files.readAllBytes(photo), 1);
                if (residents.contains(name)) {
                    genuine++;
                    identified += name.equals(id.subjectId()) ? 1 : 0;
                } else {
                    strangers++;
                    strangersKeptOut += id.known() ? 0 : 1;
                }
            }
        }
        assertEquals(genuine, identified, "residents identified");
        assertEquals(strangers, strangersKeptOut, "strangers kept out");
        assertTrue(genuine >= 150 && strangers >= 60);
    }
}

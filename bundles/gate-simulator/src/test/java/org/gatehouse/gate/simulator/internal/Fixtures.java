package org.gatehouse.gate.simulator.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

import org.gatehouse.api.model.Device;
import org.gatehouse.api.model.DeviceKind;
import org.gatehouse.api.model.Direction;

final class Fixtures {
    /** Three LFW crops (see NOTICE there). */
    static final Path FACES = Paths.get("src/test/resources/faces");
    static final Device GATE = new Device("d-gate", "c1", null, "main-gate", "South gate", DeviceKind.TURNSTILE,
            Direction.BOTH);
    static final Device DOOR_1 = new Device("d-b1", "c1", "b1", "building-1", "Building 1 door",
            DeviceKind.FACE_TERMINAL, Direction.BOTH);

    private Fixtures() {
    }

    /** A folder with two residents' photos and one stranger's (in strangers/). */
    static Path faceFolder(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("strangers"));
        Files.copy(FACES.resolve("George_W_Bush_0001.jpg"), dir.resolve("George_W_Bush_0001.jpg"));
        Files.copy(FACES.resolve("Colin_Powell_0001.jpg"), dir.resolve("Colin_Powell_0001.jpg"));
        Files.copy(FACES.resolve("Tony_Blair_0001.jpg"), dir.resolve("strangers/Tony_Blair_0001.jpg"));
        return dir;
    }

    static SimulationPlan plan(double rate, long count, long seconds, Mix mix, FaceFolder faces, long seed) {
        return new SimulationPlan("c1", List.of(GATE, DOOR_1), rate, count, seconds, mix, faces, List.of(),
                List.of(), seed);
    }
}

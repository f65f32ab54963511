package org.gatehouse.gate.simulator.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FaceFolderTest {
    @TempDir
    Path dir;

    @Test
    void residentsInTheFolderStrangersInTheirs() throws Exception {
        FaceFolder faces = FaceFolder.load(Fixtures.faceFolder(dir));
        assertEquals(2, faces.residents().size());
        assertEquals(1, faces.strangers().size());
        assertTrue(faces.skipped().isEmpty());
    }

    @Test
    void noFolderMeansCredentialsOnly() {
        assertSame(FaceFolder.NONE, FaceFolder.load(null));
    }

    @Test
    void aMissingFolderOrAFileIsNamed() throws Exception {
        var missing = assertThrows(SimulatorException.class, () -> FaceFolder.load(dir.resolve("nope")));
        assertTrue(missing.getMessage().contains("No such folder"), missing.getMessage());
        Path file = Files.writeString(dir.resolve("a.txt"), "x");
        var notDir = assertThrows(SimulatorException.class, () -> FaceFolder.load(file));
        assertTrue(notDir.getMessage().contains("is a file"), notDir.getMessage());
    }

    @Test
    void anEmptyFolderIsRefused() throws Exception {
        Files.writeString(dir.resolve("readme.txt"), "no photos here");
        var e = assertThrows(SimulatorException.class, () -> FaceFolder.load(dir));
        assertTrue(e.getMessage().contains("No JPEG photos"), e.getMessage());
    }

    @Test
    void aCorruptPhotoIsSkippedAndNamed() throws Exception {
        Fixtures.faceFolder(dir);
        Files.write(dir.resolve("broken.jpg"), new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 1, 2, 3, 4});
        Files.writeString(dir.resolve("text.jpg"), "not a photo at all");
        FaceFolder faces = FaceFolder.load(dir);
        assertEquals(2, faces.residents().size());
        assertEquals(2, faces.skipped().size(), faces.skipped().toString());
        assertTrue(faces.skipped().stream().anyMatch(s -> s.startsWith("broken.jpg: ")), faces.skipped().toString());
        assertTrue(faces.skipped().contains("text.jpg: not an image"), faces.skipped().toString());
    }

    @Test
    void onlyCorruptPhotosAreRefused() throws Exception {
        Files.writeString(dir.resolve("text.jpg"), "not a photo at all");
        var e = assertThrows(SimulatorException.class, () -> FaceFolder.load(dir));
        assertTrue(e.getMessage().contains("can be read") && e.getMessage().contains("text.jpg"), e.getMessage());
    }
}

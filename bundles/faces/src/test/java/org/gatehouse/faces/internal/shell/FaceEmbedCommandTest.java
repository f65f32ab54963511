package org.gatehouse.faces.internal.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code face-embed}'s LIST may be: a list of image paths, or one image; anything else is refused by name. */
class FaceEmbedCommandTest {
    @TempDir
    Path dir;

    @Test
    void aListNamesItsImagesAndAnImageNamesItself() throws Exception {
        Path list = Files.writeString(dir.resolve("faces.txt"), "# lfw7\na.jpg\n\n  b.png  \n");
        assertEquals(List.of("a.jpg", "b.png"), FaceEmbedCommand.imagePaths(list, "faces.txt"));
        Path jpeg = Files.write(dir.resolve("cp.jpg"), new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0,
                0, 0x10, 'J', 'F', 'I', 'F'});
        assertEquals(List.of("cp.jpg"), FaceEmbedCommand.imagePaths(jpeg, "cp.jpg"));
        Path png = Files.write(dir.resolve("p"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10});
        assertEquals(List.of("p"), FaceEmbedCommand.imagePaths(png, "p"));
    }

    @Test
    void aBinaryFileThatIsNoImageIsRefusedByName() throws Exception {
        Path binary = Files.write(dir.resolve("data.bin"), new byte[] {0, (byte) 0xC3, (byte) 0x28, 1, 2, 3});
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> FaceEmbedCommand.imagePaths(binary, "data.bin"));
        assertTrue(refused.getMessage().contains(binary.toString()) && refused.getMessage().contains("one per line"),
                refused.getMessage());
    }
}

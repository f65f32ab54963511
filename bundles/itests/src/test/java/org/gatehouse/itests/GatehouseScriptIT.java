package org.gatehouse.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's entry point, {@code ./gatehouse}, as a newcomer meets it (no container: the script alone). */
class GatehouseScriptIT {
    static final File SCRIPT = new File("../../gatehouse").getAbsoluteFile();

    @Test
    void shellWithNothingRunningSaysSoAtOnce(@TempDir Path emptyInstall) throws Exception {
        long start = System.nanoTime();
        ProcessBuilder pb = new ProcessBuilder(SCRIPT.getPath(), "shell", "gatehouse:status")
                .redirectErrorStream(true);
        pb.environment().put("GATEHOUSE_HOME", emptyInstall.toString());
        Process p = pb.start();
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), "the script did not return");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(1, p.exitValue(), out);
        assertEquals("Gatehouse is not running; start it with ./gatehouse start", out.strip());
        assertTrue((System.nanoTime() - start) / 1e9 < 10, "no retrying for a minute");
        assertTrue(Files.list(emptyInstall).findAny().isEmpty(), "nothing created in the install folder");
    }
}

package org.gatehouse.integration.internal;

import static org.gatehouse.integration.internal.FeedHarness.alert;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;

import org.apache.camel.dsl.xml.io.XmlRoutesBuilderLoader;
import org.apache.camel.spi.RoutesBuilderLoader;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docs/examples/housing-authority-cases.camel.xml as deploy/ loads it: idle-flat and sublease cases become CSV rows. */
class HousingAuthorityExampleTest {
    static final String CONSUMER = "alerts/housing-authority-cases";
    @TempDir
    Path dir;

    @Test
    void idleFlatAndSubleaseCasesBecomeRowsOfTheDaysCsv() throws Exception {
        Path example = Path.of("../../docs/examples/housing-authority-cases.camel.xml");
        String xml = Files.readString(example).replace("file:data/housing-authority", "file:" + dir);
        try (FeedHarness h = new FeedHarness()) {
            // as the core's RouteFileInstaller loads deploy/*.camel.xml
            RoutesBuilderLoader loader = new XmlRoutesBuilderLoader();
            loader.setCamelContext(h.context);
            ServiceHelper.startService(loader);
            h.routes(loader.loadRoutesBuilder(ResourceHelper.fromString("file:housing-authority-cases.camel.xml", xml)));
            assertTrue(h.deliver(CONSUMER, "alerts", "idle-h1", "c1",
                    alert("idle-h1", "c1", "IDLE_UNIT", "h1", "房屋闲置 B3-1203, 31 days")).ok());
            assertTrue(h.deliver(CONSUMER, "alerts", "w1", "c1",
                    alert("w1", "c1", "WELFARE_INACTIVITY", "r1", "not for the authority")).ok());
            assertTrue(h.deliver(CONSUMER, "alerts", "sub-h2", "c1",
                    alert("sub-h2", "c1", "SUBLEASE_SIGNAL", "h2", "visitor \\\"Li\\\" 4 times")).ok());
        }
        Path file = dir.resolve("housing-cases-" + LocalDate.now(ZoneId.of("Asia/Shanghai")) + ".csv");
        byte[] bytes = Files.readAllBytes(file);
        assertEquals((byte) 0xEF, bytes[0], "UTF-8 byte order mark");
        List<String> lines = List.of(new String(bytes, StandardCharsets.UTF_8).split("\r\n"));
        assertEquals(List.of("\uFEFFcaseId,communityId,type,householdId,raisedAt,message",
                "idle-h1,c1,IDLE_UNIT,h1,2026-12-01T00:00:00Z,\"房屋闲置 B3-1203, 31 days\"",
                "sub-h2,c1,SUBLEASE_SIGNAL,h2,2026-12-01T00:00:00Z,\"visitor \"\"Li\"\" 4 times\""), lines);
        assertTrue(h(lines));
    }

    private static boolean h(List<String> lines) {
        return lines.stream().noneMatch(l -> l.startsWith("w1,"));
    }
}

package org.gatehouse.store;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.gatehouse.store.internal.StoreConfig;
import org.gatehouse.store.internal.StoreSettings;
import org.gatehouse.store.internal.TemplateKeys;
import org.gatehouse.testing.Configs;
import org.junit.jupiter.api.Test;

class StoreSettingsTest {
    @Test
    void defaultUrlResolvesKarafData() {
        String previous = System.getProperty("karaf.data");
        try {
            System.setProperty("karaf.data", "/opt/karaf/data");
            StoreSettings settings = new StoreSettings(null, "sa", "", 4);
            assertEquals("jdbc:h2:file:/opt/karaf/data/gatehouse/gatehouse;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
                    + "DEFAULT_NULL_ORDERING=HIGH;AUTO_SERVER=FALSE;RETENTION_TIME=1000", settings.jdbcUrl());
            assertTrue(new StoreSettings("jdbc:h2:file:/x;MODE=PostgreSQL", "", "", 1).jdbcUrl()
                    .endsWith(";RETENTION_TIME=1000"), "a configured H2 URL gets the short retention too");
            assertTrue(new StoreSettings("jdbc:h2:file:/x;retention_time=5000", "", "", 1).jdbcUrl()
                    .endsWith(";retention_time=5000"), "unless it sets one itself");
            System.clearProperty("karaf.data");
            assertTrue(settings.jdbcUrl().startsWith("jdbc:h2:file:./data/gatehouse/gatehouse;"));
            assertFalse(settings.postgres());
        } finally {
            if (previous != null) {
                System.setProperty("karaf.data", previous);
            }
        }
    }

    @Test
    void postgresGetsTimeoutsAndSafeUrlHidesCredentials() {
        StoreSettings pg = new StoreSettings("jdbc:postgresql://db:5432/gh?user=u&password=secret", "u", "p", 2);
        assertTrue(pg.postgres());
        assertTrue(pg.jdbcUrl().contains("connectTimeout=3"));
        assertFalse(pg.safeUrl().contains("secret"));
        assertFalse(pg.safeUrl().contains("user="));
        StoreSettings h2 = new StoreSettings("jdbc:h2:mem:x;USER=sa;PASSWORD=secret", "", "", 1);
        assertFalse(h2.safeUrl().contains("secret"));
    }

    @Test
    void badSettingsNameTheField() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new StoreSettings("jdbc:mysql://x", "", "", 1))
                .getMessage().contains("url"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new StoreSettings(null, "", "", 0))
                .getMessage().contains("maxConnections"));
    }

    @Test
    void aBlankSettingMeansTheMetatypeDefault() {
        StoreConfig defaults = Configs.defaults(StoreConfig.class);
        StoreConfig blank = Configs.of(StoreConfig.class, Map.of("url", "", "keystorePath", " ", "auditKeyFile", ""));
        assertEquals(StoreSettings.from(defaults), StoreSettings.from(blank));
        assertTrue(StoreSettings.from(blank).url().startsWith("jdbc:h2:file:${karaf.data}/gatehouse/"));
        assertEquals(TemplateKeys.resolvePath(defaults.keystorePath()), TemplateKeys.resolvePath(blank.keystorePath()));
        assertEquals(StoreSettings.etcFile(defaults.auditKeyFile(), "auditKeyFile"),
                StoreSettings.etcFile(blank.auditKeyFile(), "auditKeyFile"));
        assertEquals(2, StoreSettings.from(Configs.of(StoreConfig.class, Map.of("maxConnections", 2)))
                .maxConnections());
    }

    /** etc/org.gatehouse.store.cfg shows every setting's default as a comment, equal to the metatype's. */
    @Test
    void theDistributionsCfgShowsTheMetatypeDefaults() throws IOException {
        String cfg = Files.readString(Path.of("../../etc/org.gatehouse.store.cfg"), StandardCharsets.UTF_8);
        Map<String, String> shown = new HashMap<>();
        Matcher m = Pattern.compile("(?m)^#(\\w+) = ?(.*)$").matcher(cfg);
        while (m.find()) {
            shown.put(m.group(1), m.group(2).strip());
        }
        for (var attribute : StoreConfig.class.getDeclaredMethods()) {
            String name = attribute.getName();
            assertTrue(shown.containsKey(name), name + " is not shown in the cfg");
            assertEquals(String.valueOf(StoreSettings.defaultOf(name)), shown.get(name), name);
        }
    }
}

package org.gatehouse.portal.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The shipped {@code etc/org.gatehouse.portal.cfg} shows every setting of the portal, commented out, at its metatype
 * default, and says that the login form needs TLS in front: a new setting or default cannot be forgotten there.
 */
class PortalConfigFileTest {
    static final Pattern SETTING = Pattern.compile("^#(\\w+) = (.*)$");

    @Test
    void theShippedFileShowsEverySettingAtItsDefault() throws Exception {
        Path file = Path.of(System.getProperty("basedir", ".")).resolve("../../etc/org.gatehouse.portal.cfg");
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        Map<String, String> shown = new HashMap<>();
        for (String line : lines) {
            Matcher m = SETTING.matcher(line);
            if (m.matches()) {
                shown.put(m.group(1), m.group(2));
            }
            assertTrue(line.isEmpty() || line.startsWith("#"), "nothing set, only shown: " + line);
        }
        Map<String, String> defaults = new HashMap<>();
        for (Method attribute : PortalConfig.class.getDeclaredMethods()) {
            defaults.put(attribute.getName(), String.valueOf(attribute.getDefaultValue()));
        }
        assertEquals(defaults, shown);
        assertTrue(String.join("\n", lines).contains("TLS"), "the password form over plain HTTP is said");
    }
}

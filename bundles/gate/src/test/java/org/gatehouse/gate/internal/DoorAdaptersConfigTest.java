package org.gatehouse.gate.internal;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code doorAdapters} as ConfigurationAdmin gives it: a list, or one .cfg line of comma-separated entries. */
class DoorAdaptersConfigTest {

    @Test
    void aListAndOneCfgLineMeanTheSame() {
        Map<String, String> expected = Map.of("d-1", "simulator", "d-2", "isapi");
        assertEquals(expected, Doors.parseAdapters(new String[] {"d-1=simulator", "d-2=isapi"}));
        assertEquals(expected, Doors.parseAdapters(new String[] {"d-1=simulator, d-2=isapi"}));
        assertEquals(expected, Doors.parseAdapters(new String[] {"d-1 = simulator;d-2=isapi;"}));
    }

    @Test
    void entriesWithoutADeviceOrAKindAreIgnored() {
        assertEquals(Map.of("d-1", "simulator"),
                Doors.parseAdapters(new String[] {"=isapi, d-1=simulator, d-2=, d-3= ,junk"}));
        assertEquals(Map.of(), Doors.parseAdapters(null));
    }
}

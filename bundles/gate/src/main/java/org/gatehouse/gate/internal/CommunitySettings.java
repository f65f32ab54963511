package org.gatehouse.gate.internal;

import java.util.HashMap;
import java.util.Map;

/** {@code communityId=value} entries of the gate's configuration, separated by commas (array) or semicolons. */
final class CommunitySettings {
    private CommunitySettings() {
    }

    static Map<String, String> parse(String[] entries) {
        Map<String, String> out = new HashMap<>();
        for (String entry : entries == null ? new String[0] : entries) {
            for (String e : entry.split(";")) {
                int eq = e.indexOf('=');
                if (eq > 0) {
                    out.put(e.substring(0, eq).trim(), e.substring(eq + 1).trim());
                }
            }
        }
        return out;
    }
}

package org.gatehouse.privacy.ui;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.gatehouse.portal.api.Doc;
import org.junit.jupiter.api.Test;

class AuditQueryTest {
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    @Test
    void daysAreWholeDaysOfTheCommunitysZone() {
        Map<String, String> q = AuditQuery.query("SUNSHINE", LocalDate.of(2026, 12, 1), LocalDate.of(2026, 12, 2),
                500, SHANGHAI);
        assertEquals(Map.of("communityId", "SUNSHINE", "from", "2026-11-30T16:00:00Z", "to", "2026-12-02T16:00:00Z",
                "limit", "500"), q);
    }

    @Test
    void unsetFiltersAreLeftOut() {
        assertEquals(Map.of("limit", "100"), AuditQuery.query(AuditView.ALL, null, null, 100, SHANGHAI));
    }

    @Test
    void reversedDaysAreCaught() {
        assertTrue(AuditQuery.reversed(LocalDate.of(2026, 12, 2), LocalDate.of(2026, 12, 1)));
        assertFalse(AuditQuery.reversed(LocalDate.of(2026, 12, 2), LocalDate.of(2026, 12, 2)));
        assertFalse(AuditQuery.reversed(null, LocalDate.of(2026, 12, 1)));
    }

    private static Doc verification(boolean intact, long entries, long bad, String problem, int heads) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("intact", intact);
        m.put("entries", entries);
        m.put("firstBadSequence", bad);
        m.put("problem", problem);
        m.put("headsChecked", heads);
        return new Doc(m);
    }

    @Test
    void theVerdictSaysWhereTheChainBroke() {
        AuditQuery.Text ok = AuditQuery.verdict(verification(true, 1234, -1, "", 3));
        assertEquals("verify.ok", ok.key());
        assertArrayEquals(new Object[] {1234L, 3L}, ok.args());
        assertEquals("The chain holds: 1,234 entries checked, 3 exported heads matched.",
                UiTexts.T.t(Locale.ENGLISH, ok.key(), ok.args()));

        AuditQuery.Text at = AuditQuery.verdict(verification(false, 1234, 1017, "hash mismatch", 0));
        assertEquals("verify.brokenAt", at.key());
        assertEquals("哈希链在第 1017 条记录处断裂：hash mismatch（共 1,234 条）",
                UiTexts.T.t(Locale.SIMPLIFIED_CHINESE, at.key(), at.args()));

        AuditQuery.Text heads = AuditQuery.verdict(verification(false, 10, -1, "entries removed from the end", 2));
        assertEquals("verify.broken", heads.key());
    }
}

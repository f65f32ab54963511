package org.gatehouse.visitor.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class WindowsTest {
    static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    @Test
    void formAndApiTimesRoundTripInTheCommunityZone() {
        LocalDateTime nine = LocalDateTime.of(2026, 5, 1, 9, 0);
        assertEquals("2026-05-01T01:00:00Z", Windows.iso(nine, SHANGHAI));
        assertEquals(nine, Windows.local("2026-05-01T01:00:00Z", SHANGHAI));
        assertNull(Windows.iso(null, SHANGHAI));
        assertNull(Windows.local("", SHANGHAI));
        assertNull(Windows.local("not a time", SHANGHAI));
    }

    @Test
    void daysAreWholeDaysOfTheZone() {
        LocalDate day = LocalDate.of(2026, 5, 1);
        assertEquals("2026-04-30T16:00:00Z", Windows.dayStart(day, SHANGHAI));
        assertEquals("2026-05-01T16:00:00Z", Windows.dayEnd(day, SHANGHAI));
        assertNull(Windows.dayStart(null, SHANGHAI));
    }

    @Test
    void aWindowReadsShortWithinADayAndInFullAcrossDays() {
        assertEquals("2026-05-01 09:00–12:30",
                Windows.window("2026-05-01T01:00:00Z", "2026-05-01T04:30:00Z", SHANGHAI));
        assertEquals("2026-05-01 22:00 – 2026-05-02 06:00",
                Windows.window("2026-05-01T14:00:00Z", "2026-05-01T22:00:00Z", SHANGHAI));
        assertEquals("2026-05-01 09:00 – —", Windows.window("2026-05-01T01:00:00Z", null, SHANGHAI));
        assertEquals("odd – 2026-05-01 09:00", Windows.window("odd", "2026-05-01T01:00:00Z", SHANGHAI));
    }

    @Test
    void newestFirstWithUnreadableTimesLast() {
        List<Map<String, String>> entries = List.of(Map.of("at", "2026-05-01T01:00:00Z"), Map.of("at", ""),
                Map.of("at", "2026-05-03T01:00:00Z"), Map.of("at", "2026-05-02T01:00:00.123Z"));
        List<String> order = Windows.newestFirst(entries, e -> e.get("at")).stream().map(e -> e.get("at")).toList();
        assertEquals(List.of("2026-05-03T01:00:00Z", "2026-05-02T01:00:00.123Z", "2026-05-01T01:00:00Z", ""), order);
    }

    @Test
    void aRefusalIsShownAtTheFieldItNames() {
        List<String> fields = List.of("hostHouseholdId", "name", "phone", "expectedFrom", "expectedUntil");
        assertEquals("name", Windows.fieldNamed("The field 'name' is required", fields));
        assertEquals("hostHouseholdId", Windows.fieldNamed("缺少字段“hostHouseholdId”", fields));
        assertEquals("expectedUntil", Windows.fieldNamed("expectedUntil must be after expectedFrom", fields));
        assertNull(Windows.fieldNamed("The end of the window must be after its start", fields));
        assertNull(Windows.fieldNamed("A visitor named Phone is here", fields));
        assertNull(Windows.fieldNamed(null, fields));
    }

    @Test
    void everyWordOfTheQueryMustBeFound() {
        List<String> texts = List.of("PASS_USED", "Zhang San", "gate-north");
        assertTrue(Windows.matches("", texts));
        assertTrue(Windows.matches(null, texts));
        assertTrue(Windows.matches("zhang NORTH", texts));
        assertFalse(Windows.matches("zhang south", texts));
    }

    @Test
    void aPassStateSaysWhatItWouldDoNow() {
        Instant now = Instant.parse("2026-05-01T02:00:00Z");
        String from = "2026-05-01T01:00:00Z";
        String until = "2026-05-01T04:00:00Z";
        assertEquals("ACTIVE", Windows.passState(false, 0, 2, from, until, now));
        assertEquals("REVOKED", Windows.passState(true, 0, 2, from, until, now));
        assertEquals("USED_UP", Windows.passState(false, 2, 2, from, until, now));
        assertEquals("EXPIRED", Windows.passState(false, 0, 2, from, until, Instant.parse(until)));
        assertEquals("NOT_YET", Windows.passState(false, 0, 2, from, until, Instant.parse("2026-05-01T00:59:00Z")));
    }
}

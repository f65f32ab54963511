package org.gatehouse.privacy.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import org.gatehouse.portal.api.Doc;
import org.junit.jupiter.api.Test;

class SubjectsTest {
    @Test
    void theFileIsNamedByResidentAndTimeInTheZone() {
        assertEquals("subject-3f2a9c1e-0b4d-4e7a-9a51-2c7d8e9f0a1b-20261201-1005.json",
                Subjects.fileName("3f2a9c1e-0b4d-4e7a-9a51-2c7d8e9f0a1b", Instant.parse("2026-12-01T02:05:00Z"),
                        ZoneId.of("Asia/Shanghai")));
        assertEquals("subject-___x-20261201-0205.json",
                Subjects.fileName("../x", Instant.parse("2026-12-01T02:05:00Z"), ZoneId.of("UTC")));
    }

    @Test
    void aTypedIdIsAnIdOrNothing() {
        assertEquals("abc-123", Subjects.typedId("  abc-123 "));
        assertNull(Subjects.typedId("../communities"));
        assertNull(Subjects.typedId("a b"));
        assertNull(Subjects.typedId(" "));
        assertNull(Subjects.typedId(null));
    }

    @Test
    void retentionDaysBecomeRowsInOrder() {
        Map<String, Object> days = new java.util.LinkedHashMap<>();
        days.put("passages", 180);
        days.put("visitors", 0);
        List<Doc> rows = PrivacyView.dayRows(new Doc(days));
        assertEquals(List.of("passages", "visitors"), rows.stream().map(r -> r.text("type")).toList());
        assertEquals(180, rows.get(0).number("days"));
    }

    @Test
    void aPurgeSaysWhatItDid() {
        assertEquals("12", PrivacyView.deleted(new Doc(Map.of("dataType", "passages", "deleted", 12))));
        // outside a browser tab the texts are Simplified Chinese
        assertEquals("未清理", PrivacyView.deleted(new Doc(Map.of("dataType", "visitors", "deleted", -1))));
        assertEquals("失败：boom", PrivacyView.deleted(new Doc(Map.of("dataType", "alerts", "deleted", -1,
                "error", "boom"))));
    }
}

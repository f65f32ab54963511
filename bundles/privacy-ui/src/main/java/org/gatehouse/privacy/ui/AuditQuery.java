package org.gatehouse.privacy.ui;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.gatehouse.portal.api.Doc;

/**
 * {@code GET /audit}'s query from the screen's filters ({@code communityId, from, to, limit}: days in the community's
 * zone, the last one whole), and the verdict of {@code GET /audit/verify} as a text key and its arguments.
 */
final class AuditQuery {
    static final List<Integer> LIMITS = List.of(100, 500, 1000);

    private AuditQuery() {
    }

    /**
     * @param community {@code null} or blank: every community (the API allows that to the city administration only)
     * @param lastDay   the last day shown (inclusive), or {@code null}
     */
    static Map<String, String> query(String community, LocalDate firstDay, LocalDate lastDay, int limit, ZoneId zone) {
        Map<String, String> q = new LinkedHashMap<>();
        if (community != null && !community.isBlank()) {
            q.put("communityId", community);
        }
        if (firstDay != null) {
            q.put("from", firstDay.atStartOfDay(zone).toInstant().toString());
        }
        if (lastDay != null) {
            q.put("to", lastDay.plusDays(1).atStartOfDay(zone).toInstant().toString());
        }
        q.put("limit", String.valueOf(limit));
        return q;
    }

    /** Whether the days are the wrong way round. */
    static boolean reversed(LocalDate firstDay, LocalDate lastDay) {
        return firstDay != null && lastDay != null && lastDay.isBefore(firstDay);
    }

    /** A text key and its arguments. */
    record Text(String key, Object... args) {
    }

    /** The verdict on the chain ({@code intact, entries, firstBadSequence, problem, headsChecked}). */
    static Text verdict(Doc v) {
        if (v.flag("intact")) {
            return new Text("verify.ok", v.number("entries"), v.number("headsChecked"));
        }
        if (v.number("firstBadSequence") > 0) {
            return new Text("verify.brokenAt", v.number("firstBadSequence"), v.text("problem"), v.number("entries"));
        }
        return new Text("verify.broken", v.text("problem"), v.number("entries"));
    }
}

package org.gatehouse.privacy.ui;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Map;

import org.gatehouse.portal.api.Doc;

/** A resident as the privacy screen picks them, and the name of their export file. */
final class Subjects {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmm");

    private Subjects() {
    }

    /** The export's file name: the resident id (only letters, digits, '-' and '_') and when, in the zone. */
    static String fileName(String residentId, Instant at, ZoneId zone) {
        String id = residentId == null ? "" : residentId.replaceAll("[^A-Za-z0-9_-]", "_");
        if (id.length() > 64) {
            id = id.substring(0, 64);
        }
        return "subject-" + id + "-" + STAMP.format(at.atZone(zone)) + ".json";
    }

    /**
     * A pick list entry for a resident known only by id or by {@code GET /residents/{id}} (no face count), shaped as
     * {@code GET /communities/{id}/residents} lists them ({@code {resident, faceTemplates}}).
     */
    static Doc entry(Map<String, Object> resident) {
        return new Doc(Map.of("resident", resident));
    }

    /** A resident id as typed: trimmed, and only something an id can be (no path, no query). */
    static String typedId(String text) {
        if (text == null) {
            return null;
        }
        String id = text.strip();
        return id.isEmpty() || !id.matches("[A-Za-z0-9_.:-]{1,100}") ? null : id;
    }
}

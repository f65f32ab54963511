package org.gatehouse.welfare.ui;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;

import org.gatehouse.portal.api.PortalSession;

/**
 * The acknowledgement form's rules, as the welfare API has them: an outcome is required, a finding too when the
 * outcome is OTHER, and the visit cannot be in the future; the body is what {@code POST
 * /welfare/cases/{id}/acknowledge} reads ({@code visitedBy?, visitedAt?, outcome, finding}).
 */
final class Acknowledgements {
    /** The outcomes of a visit (上门走访结果), as the API names them. */
    enum Outcome { FOUND_WELL, NEEDED_HELP, NOT_HOME, HOSPITAL, OTHER }

    static final String OUTCOME = "outcome";
    static final String NOTE = "note";
    static final String VISITED_AT = "visitedAt";
    /** The API's tolerance for a visit time after its clock. */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
    static final int NOTE_MAX = 2000;
    static final int VISITED_BY_MAX = 200;

    private Acknowledgements() {
    }

    /**
     * What is wrong with the form, as field → message key (empty when it may be sent).
     *
     * @param visitedAt the visit in the community's zone, or {@code null} for now
     */
    static Map<String, String> problems(Outcome outcome, String note, LocalDateTime visitedAt, ZoneId zone,
                                        Instant now) {
        Map<String, String> out = new LinkedHashMap<>();
        if (outcome == null) {
            out.put(OUTCOME, "common.required");
        }
        if (outcome == Outcome.OTHER && (note == null || note.isBlank())) {
            out.put(NOTE, "ack.noteRequired");
        }
        if (note != null && note.strip().length() > NOTE_MAX) {
            out.put(NOTE, "ack.noteTooLong");
        }
        if (visitedAt != null && visitedAt.atZone(zone).toInstant().isAfter(now.plus(CLOCK_SKEW))) {
            out.put(VISITED_AT, "ack.future");
        }
        return out;
    }

    /** The request body; blank optional fields are left out (the API then takes the caller and now). */
    static Map<String, Object> body(Outcome outcome, String note, String visitedBy, LocalDateTime visitedAt,
                                    ZoneId zone) {
        return PortalSession.json("visitedBy", blankToNull(visitedBy),
                "visitedAt", visitedAt == null ? null : visitedAt.atZone(zone).toInstant().toString(),
                "outcome", outcome.name(), "finding", blankToNull(note));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}

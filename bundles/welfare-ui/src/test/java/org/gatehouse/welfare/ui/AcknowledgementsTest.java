package org.gatehouse.welfare.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Map;

import org.gatehouse.welfare.ui.Acknowledgements.Outcome;
import org.junit.jupiter.api.Test;

class AcknowledgementsTest {
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    private static final Instant NOW = Instant.parse("2026-12-01T02:00:00Z"); // 10:00 in Shanghai

    @Test
    void anOutcomeIsRequired() {
        Map<String, String> problems = Acknowledgements.problems(null, "", null, SHANGHAI, NOW);
        assertEquals(Map.of(Acknowledgements.OUTCOME, "common.required"), problems);
    }

    @Test
    void otherNeedsAFinding() {
        assertEquals("ack.noteRequired", Acknowledgements.problems(Outcome.OTHER, "  ", null, SHANGHAI, NOW)
                .get(Acknowledgements.NOTE));
        assertTrue(Acknowledgements.problems(Outcome.OTHER, "door answered by a neighbour", null, SHANGHAI, NOW)
                .isEmpty());
        assertTrue(Acknowledgements.problems(Outcome.FOUND_WELL, null, null, SHANGHAI, NOW).isEmpty());
    }

    @Test
    void aVisitIsNotInTheFutureOfTheCommunitysClock() {
        LocalDateTime tenPast = LocalDateTime.of(2026, 12, 1, 10, 10);
        assertEquals("ack.future", Acknowledgements.problems(Outcome.NOT_HOME, null, tenPast, SHANGHAI, NOW)
                .get(Acknowledgements.VISITED_AT));
        LocalDateTime threePast = LocalDateTime.of(2026, 12, 1, 10, 3);
        assertFalse(Acknowledgements.problems(Outcome.NOT_HOME, null, threePast, SHANGHAI, NOW)
                .containsKey(Acknowledgements.VISITED_AT));
    }

    @Test
    void aTooLongFindingIsRefusedHere() {
        assertEquals("ack.noteTooLong", Acknowledgements.problems(Outcome.FOUND_WELL, "x".repeat(2001), null,
                SHANGHAI, NOW).get(Acknowledgements.NOTE));
    }

    @Test
    void theBodyIsWhatTheApiReads() {
        Map<String, Object> body = Acknowledgements.body(Outcome.HOSPITAL, " taken to hospital on Monday ", " ",
                LocalDateTime.of(2026, 12, 1, 9, 30), SHANGHAI);
        assertEquals(Map.of("visitedAt", "2026-12-01T01:30:00Z", "outcome", "HOSPITAL",
                "finding", "taken to hospital on Monday"), body);
        Map<String, Object> minimal = Acknowledgements.body(Outcome.FOUND_WELL, "", "Wang Li", null, SHANGHAI);
        assertEquals(Map.of("visitedBy", "Wang Li", "outcome", "FOUND_WELL"), minimal);
    }
}

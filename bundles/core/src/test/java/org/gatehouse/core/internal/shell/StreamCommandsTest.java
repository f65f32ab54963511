package org.gatehouse.core.internal.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;

import org.gatehouse.api.service.StreamConsumers.DeadLetter;
import org.gatehouse.core.internal.camel.StreamAdmin.ConsumerReport;
import org.junit.jupiter.api.Test;

class StreamCommandsTest {
    private static final Instant T = Instant.parse("2026-12-01T08:00:00Z");

    @Test
    void consumersShowWhereTheyAreHowTheyFailAndTheirStartNote() {
        String out = ConsumersCommand.render(List.of(
                new ConsumerReport("passages/police-feed", "passages", true, 41, 3, 2, T.plusSeconds(60), null,
                        "registry answered 503", T, 1, T, null),
                new ConsumerReport("alerts/sms", "alerts", false, 7, 0, 0, null, T, null, null, 0, null,
                        "asked for events from the oldest; the oldest kept is ...")));
        String[] lines = out.split("\n");
        assertTrue(lines[0].startsWith("consumer"), out);
        assertTrue(lines[2].contains("failing since " + T) && lines[2].contains("registry answered 503"), out);
        assertTrue(lines[3].contains("stopped") && lines[3].contains(T.toString()), out);
        assertEquals("alerts/sms: asked for events from the oldest; the oldest kept is ...", lines[4]);
        assertEquals("No stream consumer yet\n", ConsumersCommand.render(List.of()));
    }

    @Test
    void deadLettersShowTheErrorOrWhoResolvedThemAndWhy() {
        String out = DeadLettersCommand.render(List.of(
                new DeadLetter(2, "passages/police-feed", "passages", 9, "p9", 10, "registry answered 422", T, "OPEN"),
                new DeadLetter(1, "passages/police-feed", "passages", 8, "p8", 10, "boom", T, "SKIPPED", "shell:admin",
                        T, "partner deleted it")), true);
        String[] lines = out.split("\n");
        assertTrue(lines[2].contains("p9") && lines[2].contains("OPEN") && lines[2].contains("registry answered 422"),
                out);
        assertTrue(lines[3].contains("SKIPPED by shell:admin at " + T) && lines[3].endsWith("partner deleted it"),
                out);
        assertEquals("No open dead letter\n", DeadLettersCommand.render(List.of(), false));
    }
}

package org.gatehouse.core.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;

class MessageBundleTest {
    private final MessageBundle messages = new MessageBundle("org.gatehouse.core.api.testmessages",
            MessageBundleTest.class.getClassLoader());

    @Test
    void aRefusalSpeaksTheCallersLanguageAndKeepsItsCode() {
        Refusal r = messages.conflict("PASS_EXPIRED", "pass.expired", "10:00");
        assertEquals(List.of(409, "PASS_EXPIRED", "pass.expired"), List.of(r.status(), r.code(), r.key()));
        assertEquals("The pass expired at 10:00.", r.getMessage());
        assertEquals("通行证已于 10:00 过期。", r.message(Locale.SIMPLIFIED_CHINESE));
        assertEquals("The pass expired at 10:00.", r.message(Locale.GERMAN));

        Refusal bad = messages.badRequest("pass.expired", "x");
        assertEquals(List.of(400, "BAD_REQUEST"), List.of(bad.status(), bad.code()));
        assertEquals(List.of(423, "LOCKED"), List.of(messages.refusal(423, "LOCKED", "pass.expired", "y").status(),
                messages.refusal(423, "LOCKED", "pass.expired", "y").code()));
        assertEquals("no.such.key", messages.en("no.such.key"));
    }
}

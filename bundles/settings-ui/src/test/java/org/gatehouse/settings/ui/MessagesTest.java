package org.gatehouse.settings.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.util.Locale;

import org.gatehouse.testing.ScreenTexts;
import org.junit.jupiter.api.Test;

class MessagesTest {
    @Test
    void bothLanguagesHaveTheSameKeys() throws IOException {
        ScreenTexts.assertBothLanguagesComplete(MessagesTest.class, "org.gatehouse.settings.ui.messages");
    }

    @Test
    void everyProblemAndRefusalHasItsText() {
        for (Locale locale : new Locale[] {Locale.ENGLISH, Locale.SIMPLIFIED_CHINESE}) {
            for (String key : new String[] {"error.required", "error.integer", "error.decimal", "error.boolean",
                    "error.character", "error.min", "error.max", "error.tooSmall", "error.tooLarge", "error.minLength",
                    "error.maxLength", "error.option", "error.tooMany", "error.invalid", "error.definition",
                    "save.noConfigAdmin", "save.noAudit", "save.auditFailed", "save.invalid", "save.gone",
                    "save.nothing", "save.failed", "settings.title"}) {
                assertFalse(UiTexts.T.t(locale, key, "x").startsWith("!"), key);
            }
        }
        assertEquals("Nothing was saved: 2 fields need correcting.", UiTexts.T.t(Locale.ENGLISH, "settings.fix", 2));
        assertEquals("系统设置", UiTexts.T.t(Locale.SIMPLIFIED_CHINESE, "settings.title"));
    }
}

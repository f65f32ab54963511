package org.gatehouse.settings.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Properties;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

class MessagesTest {
    private static Properties load(String name) throws IOException {
        Properties p = new Properties();
        try (Reader r = new InputStreamReader(MessagesTest.class.getResourceAsStream(name), StandardCharsets.UTF_8)) {
            p.load(r);
        }
        return p;
    }

    @Test
    void bothLanguagesHaveTheSameKeys() throws IOException {
        assertEquals(new TreeSet<>(load("messages.properties").stringPropertyNames()),
                new TreeSet<>(load("messages_zh_CN.properties").stringPropertyNames()));
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

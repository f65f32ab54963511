package org.gatehouse.privacy.ui;

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
    void everyDataTypeHasATitle() {
        for (Locale locale : new Locale[] {Locale.ENGLISH, Locale.SIMPLIFIED_CHINESE}) {
            for (String type : new String[] {"passages", "visitors", "visitLog", "alerts", "publishedOutbox"}) {
                assertFalse(UiTexts.T.t(locale, "data." + type).startsWith("!"), type);
            }
        }
        assertEquals("Erase Wang Li?", UiTexts.T.t(Locale.ENGLISH, "erase.header", "Wang Li"));
        assertEquals("You are about to erase the resident with id r-9 (not in this community's current list: they "
                + "may have moved out).", UiTexts.T.t(Locale.ENGLISH, "erase.unnamed", "r-9"));
    }
}

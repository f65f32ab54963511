package org.gatehouse.welfare.ui;

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
    void everyKindStatusAndOutcomeHasATitle() {
        for (Locale locale : new Locale[] {Locale.ENGLISH, Locale.SIMPLIFIED_CHINESE}) {
            for (String kind : AlertsView.KINDS) {
                assertFalse(UiTexts.T.t(locale, "kind." + kind).startsWith("!"), kind);
            }
            for (String status : AlertsView.STATUSES) {
                assertFalse(UiTexts.T.t(locale, "status." + status).startsWith("!"), status);
            }
            for (Acknowledgements.Outcome o : Acknowledgements.Outcome.values()) {
                assertFalse(UiTexts.T.t(locale, "outcome." + o).startsWith("!"), o.name());
            }
        }
        assertEquals("未出门预警", UiTexts.T.t(Locale.SIMPLIFIED_CHINESE, "kind.WELFARE_INACTIVITY"));
        assertEquals("3 cases", UiTexts.T.t(Locale.ENGLISH, "alerts.count", 3));
    }
}

package org.gatehouse.privacy.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.util.Locale;

import org.gatehouse.testing.ScreenTexts;
import org.junit.jupiter.api.Test;

class MessagesTest {
    @Test
    void bothLanguagesHaveTheSameKeys() throws IOException {
        ScreenTexts.assertBothLanguagesComplete(MessagesTest.class, "org.gatehouse.privacy.ui.messages");
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

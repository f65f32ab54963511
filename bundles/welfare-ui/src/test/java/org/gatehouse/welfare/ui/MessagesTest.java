package org.gatehouse.welfare.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.util.Locale;

import org.gatehouse.testing.ScreenTexts;
import org.junit.jupiter.api.Test;

class MessagesTest {
    @Test
    void bothLanguagesHaveTheSameKeys() throws IOException {
        ScreenTexts.assertBothLanguagesComplete(MessagesTest.class, "org.gatehouse.welfare.ui.messages");
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

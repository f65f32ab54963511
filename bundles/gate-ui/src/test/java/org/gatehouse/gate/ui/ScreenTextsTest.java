package org.gatehouse.gate.ui;

import org.gatehouse.testing.ScreenTexts;
import org.junit.jupiter.api.Test;

/** Every text of these screens in both languages: no key shown, no blank. */
class ScreenTextsTest {
    @Test
    void bothLanguagesHaveEveryText() throws Exception {
        ScreenTexts.assertBothLanguagesComplete(UiTexts.class, "org.gatehouse.gate.ui.messages");
    }
}

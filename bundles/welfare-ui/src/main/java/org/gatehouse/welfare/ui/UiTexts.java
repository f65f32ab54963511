package org.gatehouse.welfare.ui;

import org.gatehouse.portal.api.Texts;

/** The welfare screens' texts: messages.properties (English) and messages_zh_CN.properties in this package. */
final class UiTexts {
    static final Texts T = Texts.of(UiTexts.class, "org.gatehouse.welfare.ui.messages");

    private UiTexts() {
    }
}

package org.gatehouse.gate.ui;

import org.gatehouse.portal.api.Texts;

/** The gate screens' texts: messages.properties (English) and messages_zh_CN.properties in this package. */
final class UiTexts {
    static final Texts T = Texts.of(UiTexts.class, "org.gatehouse.gate.ui.messages");

    private UiTexts() {
    }
}

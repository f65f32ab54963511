package org.gatehouse.whitelist.ui;

import org.gatehouse.portal.api.Texts;

/** The whitelist screens' texts: messages.properties (English) and messages_zh_CN.properties in this package. */
final class UiTexts {
    static final Texts T = Texts.of(UiTexts.class, "org.gatehouse.whitelist.ui.messages");

    private UiTexts() {
    }
}

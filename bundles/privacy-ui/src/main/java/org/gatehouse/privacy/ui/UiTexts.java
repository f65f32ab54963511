package org.gatehouse.privacy.ui;

import org.gatehouse.portal.api.Texts;

/** The audit and privacy screens' texts: messages.properties (English) and messages_zh_CN.properties here. */
final class UiTexts {
    static final Texts T = Texts.of(UiTexts.class, "org.gatehouse.privacy.ui.messages");

    private UiTexts() {
    }
}

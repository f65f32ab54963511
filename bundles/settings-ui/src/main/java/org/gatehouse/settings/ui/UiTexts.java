package org.gatehouse.settings.ui;

import org.gatehouse.portal.api.Texts;

/** The settings screen's texts: messages.properties (English) and messages_zh_CN.properties in this package. */
final class UiTexts {
    static final Texts T = Texts.of(UiTexts.class, "org.gatehouse.settings.ui.messages");

    private UiTexts() {
    }
}

package org.gatehouse.visitor.ui;

import org.gatehouse.portal.api.Texts;

/** The visitor screens' texts: messages.properties (English) and messages_zh_CN.properties in this package. */
final class UiTexts {
    static final Texts T = Texts.of(UiTexts.class, "org.gatehouse.visitor.ui.messages");

    private UiTexts() {
    }
}

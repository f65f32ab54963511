package org.gatehouse.visitor.internal;

import java.util.Locale;

import org.gatehouse.core.api.MessageBundle;

/** User-visible texts from {@code messages.properties} (English) and {@code messages_zh_CN.properties}. */
public final class Messages {
    static final MessageBundle BUNDLE = new MessageBundle("org.gatehouse.visitor.internal.messages",
            Messages.class.getClassLoader());

    private Messages() {
    }

    public static String get(Locale locale, String key, Object... args) {
        return BUNDLE.get(locale, key, args);
    }

    public static String en(String key, Object... args) {
        return BUNDLE.en(key, args);
    }
}

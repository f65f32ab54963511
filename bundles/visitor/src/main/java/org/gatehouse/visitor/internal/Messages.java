package org.gatehouse.visitor.internal;

import java.text.MessageFormat;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

/** User-visible texts from {@code messages.properties} (English) and {@code messages_zh_CN.properties}. */
public final class Messages {
    static final String BUNDLE = "org.gatehouse.visitor.internal.messages";

    private Messages() {
    }

    public static String get(Locale locale, String key, Object... args) {
        String pattern;
        try {
            ResourceBundle rb = ResourceBundle.getBundle(BUNDLE, locale == null ? Locale.ROOT : locale,
                    Messages.class.getClassLoader(),
                    ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
            pattern = rb.getString(key);
        } catch (MissingResourceException e) {
            return key;
        }
        return args.length == 0 ? pattern : new MessageFormat(pattern, locale == null ? Locale.ROOT : locale).format(args);
    }

    /** English (the base bundle). */
    public static String en(String key, Object... args) {
        return get(Locale.ROOT, key, args);
    }
}

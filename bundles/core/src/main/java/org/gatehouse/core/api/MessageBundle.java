package org.gatehouse.core.api;

import java.text.MessageFormat;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

/**
 * A module's user-visible texts: {@code <baseName>.properties} (English) and
 * {@code <baseName>_zh_CN.properties}, UTF-8, loaded with the module's class loader.
 */
public final class MessageBundle {
    private final String baseName;
    private final ClassLoader loader;

    public MessageBundle(String baseName, ClassLoader loader) {
        this.baseName = baseName;
        this.loader = loader;
    }

    /** The {@code messages} bundle in {@code anchor}'s package, loaded with its class loader. */
    public static MessageBundle of(Class<?> anchor) {
        return new MessageBundle(anchor.getPackageName() + ".messages", anchor.getClassLoader());
    }

    /** The text for {@code key} in {@code locale} (English when missing), with {@link MessageFormat} arguments. */
    public String get(Locale locale, String key, Object... args) {
        Locale l = locale == null ? Locale.ROOT : locale;
        String pattern;
        try {
            ResourceBundle rb = ResourceBundle.getBundle(baseName, l, loader,
                    ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
            pattern = rb.getString(key);
        } catch (MissingResourceException e) {
            return key;
        }
        return args.length == 0 ? pattern : new MessageFormat(pattern, l).format(args);
    }

    /** English (the base bundle). */
    public String en(String key, Object... args) {
        return get(Locale.ROOT, key, args);
    }

    /** A rule of this module said no: {@code status}, a stable {@code code} and the text of {@code key}. */
    public Refusal refusal(int status, String code, String key, Object... args) {
        return new Refusal(this, status, code, key, args);
    }

    /** 400 {@code BAD_REQUEST}: what the caller sent cannot be used. */
    public Refusal badRequest(String key, Object... args) {
        return refusal(400, "BAD_REQUEST", key, args);
    }

    /** 409: the request contradicts what is stored. */
    public Refusal conflict(String code, String key, Object... args) {
        return refusal(409, code, key, args);
    }
}

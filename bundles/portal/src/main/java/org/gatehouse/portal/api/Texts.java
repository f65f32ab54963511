package org.gatehouse.portal.api;

import java.text.MessageFormat;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

import com.vaadin.flow.component.UI;

/**
 * A module's screen texts in the user's language: {@code messages_zh_CN.properties} and {@code messages.properties}
 * (English) beside the module's classes, read with the module's own class loader. Every string a screen shows comes
 * from here; a key missing from the files shows as {@code !key!} so that it is seen, not hidden.
 */
public final class Texts {
    private final String baseName;
    private final ClassLoader loader;

    private Texts(String baseName, ClassLoader loader) {
        this.baseName = baseName;
        this.loader = loader;
    }

    /** The texts {@code baseName} (e.g. {@code org.gatehouse.whitelist.ui.messages}) of the bundle of {@code owner}. */
    public static Texts of(Class<?> owner, String baseName) {
        return new Texts(baseName, owner.getClassLoader());
    }

    public ResourceBundle bundle(Locale locale) {
        return ResourceBundle.getBundle(baseName, locale, loader, ResourceBundle.Control.getNoFallbackControl(
                ResourceBundle.Control.FORMAT_PROPERTIES));
    }

    /** The text {@code key} in the current user's language, with {@code {0}}-style arguments filled in. */
    public String t(String key, Object... args) {
        return t(currentLocale(), key, args);
    }

    public String t(Locale locale, String key, Object... args) {
        String pattern;
        try {
            pattern = bundle(locale).getString(key);
        } catch (MissingResourceException e) {
            return "!" + key + "!";
        }
        return args.length == 0 ? pattern : new MessageFormat(pattern, locale).format(args);
    }

    /** The current user's language: the UI's, else Simplified Chinese. */
    public static Locale currentLocale() {
        UI ui = UI.getCurrent();
        return ui == null || ui.getLocale() == null ? Locale.SIMPLIFIED_CHINESE : ui.getLocale();
    }
}

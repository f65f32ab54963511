package org.gatehouse.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * A screen bundle's texts in both languages: {@code messages.properties} (English) and
 * {@code messages_zh_CN.properties} must have the same keys, none empty, so that no screen shows a key or a blank.
 */
public final class ScreenTexts {
    private ScreenTexts() {
    }

    /** Fails naming the keys one language has and the other lacks, and the empty ones. */
    public static void assertBothLanguagesComplete(Class<?> owner, String baseName) throws IOException {
        Properties english = load(owner, "/" + baseName.replace('.', '/') + ".properties");
        Properties chinese = load(owner, "/" + baseName.replace('.', '/') + "_zh_CN.properties");
        Set<String> onlyEnglish = new TreeSet<>(english.stringPropertyNames());
        onlyEnglish.removeAll(chinese.stringPropertyNames());
        Set<String> onlyChinese = new TreeSet<>(chinese.stringPropertyNames());
        onlyChinese.removeAll(english.stringPropertyNames());
        Set<String> empty = new TreeSet<>();
        for (Properties p : new Properties[] {english, chinese}) {
            p.stringPropertyNames().stream().filter(k -> p.getProperty(k).isBlank()).forEach(empty::add);
        }
        if (!onlyEnglish.isEmpty() || !onlyChinese.isEmpty() || !empty.isEmpty()) {
            throw new AssertionError(baseName + ": only in English " + onlyEnglish + ", only in Chinese " + onlyChinese
                    + ", empty " + empty);
        }
    }

    private static Properties load(Class<?> owner, String path) throws IOException {
        InputStream in = owner.getResourceAsStream(path);
        if (in == null) {
            throw new AssertionError("no " + path + " beside " + owner.getName());
        }
        Properties p = new Properties();
        try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        return p;
    }
}

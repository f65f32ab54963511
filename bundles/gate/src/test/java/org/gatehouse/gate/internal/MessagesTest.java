package org.gatehouse.gate.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Properties;

import org.junit.jupiter.api.Test;

class MessagesTest {
    private static Properties load(String name) throws Exception {
        Properties p = new Properties();
        try (var in = new InputStreamReader(MessagesTest.class.getResourceAsStream(name), StandardCharsets.UTF_8)) {
            p.load(in);
        }
        return p;
    }

    @Test
    void everyTextExistsInBothLanguagesAndShowsItsArguments() throws Exception {
        Properties en = load("messages.properties");
        Properties zh = load("messages_zh_CN.properties");
        assertEquals(en.keySet(), zh.keySet());
        Object[] args = {"A0", "A1", "A2", "A3", "A4"};
        for (Object key : en.keySet()) {
            for (Locale l : new Locale[] {Locale.ROOT, Locale.SIMPLIFIED_CHINESE}) {
                String text = Messages.MESSAGES.get(l, (String) key, args);
                Properties raw = l == Locale.ROOT ? en : zh;
                String pattern = raw.getProperty((String) key);
                for (int i = 0; i < args.length; i++) {
                    if (pattern.contains("{" + i + "}")) {
                        assertTrue(text.contains("A" + i), key + " in " + l + " shows argument " + i + ": " + text);
                    }
                }
                assertFalse(text.contains("{"), key + ": " + text);
                // MessageFormat eats a single quote and quotes what follows: write '' for an apostrophe
                assertEquals(pattern.replace("''", "'").chars().filter(c -> c == '\'').count(),
                        text.chars().filter(c -> c == '\'').count(), key + ": " + text);
            }
        }
    }
}

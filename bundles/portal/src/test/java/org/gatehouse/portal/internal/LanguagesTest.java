package org.gatehouse.portal.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each user's language outlives a restart; anything unknown reads as Simplified Chinese, the default. */
class LanguagesTest {
    @TempDir
    Path dir;

    @Test
    void aUsersChoiceIsKeptAcrossARestart() throws Exception {
        Path file = dir.resolve("portal/languages.properties");
        Languages languages = new Languages(file);
        assertEquals(Locale.SIMPLIFIED_CHINESE, languages.of("office", Locale.SIMPLIFIED_CHINESE));
        languages.choose("Office", Locale.ENGLISH);
        assertEquals(Locale.ENGLISH, new Languages(file).of("office", Locale.SIMPLIFIED_CHINESE),
                "kept in the file, user names without case");
        assertEquals(Locale.SIMPLIFIED_CHINESE, new Languages(file).of("police", Locale.SIMPLIFIED_CHINESE));
        Files.writeString(file, "broken = \\u12");
        assertEquals(Locale.ENGLISH, new Languages(file).of("x", Locale.ENGLISH), "a broken file is not fatal");
    }

    @Test
    void onlyEnglishOrChinese() {
        assertEquals(Locale.ENGLISH, Languages.parse("en"));
        assertEquals(Locale.ENGLISH, Languages.parse("EN-us"));
        assertEquals(Locale.SIMPLIFIED_CHINESE, Languages.parse("zh-CN"));
        assertEquals(Locale.SIMPLIFIED_CHINESE, Languages.parse("fr"));
        assertEquals(Locale.SIMPLIFIED_CHINESE, Languages.parse(null));
    }
}

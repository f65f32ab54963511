package org.gatehouse.visitor.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Every user-visible text of the module in English and Chinese. */
class MessagesTest {
    @Test
    void messagesExistInBothLanguages() throws Exception {
        var en = new java.util.Properties();
        var zh = new java.util.Properties();
        try (var a = getClass().getResourceAsStream("messages.properties");
             var b = new java.io.InputStreamReader(getClass().getResourceAsStream("messages_zh_CN.properties"),
                     java.nio.charset.StandardCharsets.UTF_8)) {
            en.load(a);
            zh.load(b);
        }
        assertEquals(en.keySet(), zh.keySet());
    }
}

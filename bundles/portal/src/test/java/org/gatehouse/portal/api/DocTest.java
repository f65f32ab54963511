package org.gatehouse.portal.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ResourceBundle;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** An API answer read by a screen: missing or odd fields read as empty, never as an exception. */
class DocTest {
    @Test
    void missingFieldsReadAsEmpty() {
        Doc d = Doc.of(Map.of("name", "张伟", "count", 3, "nested", Map.of("verdict", "DENY"),
                "list", List.of(Map.of("code", "A"), "not an object"), "flags", List.of("LIVES_ALONE")));
        assertEquals("张伟", d.text("name"));
        assertEquals("", d.text("missing"));
        assertEquals(3, d.number("count"));
        assertEquals(0, d.number("name"), "text that is no number reads as 0");
        assertEquals("DENY", d.doc("nested").text("verdict"));
        assertEquals("", d.doc("missing").text("verdict"));
        assertEquals(2, d.docs("list").size());
        assertEquals("A", d.docs("list").get(0).text("code"));
        assertEquals(List.of("LIVES_ALONE"), d.texts("flags"));
        assertTrue(Doc.list("not a list").isEmpty());
        assertFalse(Doc.of(null).has("x"));
    }

    @Test
    void aViewIsForItsRolesOnly() {
        PortalView office = new ViewEntry("residents", "t", "vaadin:users", Set.of("community-office"), null, 1,
                Texts.of(DocTest.class, "none")) {
            @Override
            public ResourceBundle messages(Locale locale) {
                return null;
            }
        };
        assertTrue(office.allows(Set.of("community-office", "community:SUNSHINE")));
        assertFalse(office.allows(Set.of("police")));
        assertFalse(office.allows(Set.of()));
        PortalView everyone = new ViewEntry("home", "t", "x", Set.of(), null, 0, Texts.of(DocTest.class, "none"));
        assertTrue(everyone.allows(Set.of("police")));
    }

    @Test
    void aMissingTextShowsItsKey() {
        assertEquals("!nothing.here!", Texts.of(DocTest.class, "org.gatehouse.portal.internal.messages")
                .t(Locale.ENGLISH, "nothing.here"));
        assertEquals("Log out", Texts.of(DocTest.class, "org.gatehouse.portal.internal.messages")
                .t(Locale.ENGLISH, "portal.logout"));
        assertEquals("退出登录", Texts.of(DocTest.class, "org.gatehouse.portal.internal.messages")
                .t(Locale.SIMPLIFIED_CHINESE, "portal.logout"));
    }
}

package org.gatehouse.core.internal.camel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;

import org.junit.jupiter.api.Test;

/** A rejected route file says where it is wrong, as precisely as the parser (or the file itself) tells. */
class RouteFileProblemTest {
    static final File FILE = new File("/opt/gatehouse/deploy/feed.camel.xml");
    static final String XML = """
            <routes xmlns="http://camel.apache.org/schema/spring">
              <route id="feed">
                <from uri="gatehouse:alerts"/>
                <too uri="mock:police"/>
              </route>
            </routes>
            """;

    @Test
    void anUnknownElementIsFoundInTheFile() {
        var p = RouteFileInstaller.problem(FILE, XML,
                new IOException("Unexpected element '{http://camel.apache.org/schema/spring}too'"), true);
        assertEquals("feed.camel.xml", p.file());
        assertEquals(Integer.valueOf(4), p.line());
        assertEquals(Integer.valueOf(5), p.column());
        assertEquals(" at line 4, column 5", p.where());
        assertTrue(p.previousKept());
    }

    @Test
    void theParsersPositionWinsWhereItGivesOne() {
        var cause = new IllegalStateException("expected start tag name and not < (position: START_TAG seen ...@7:3)");
        var p = RouteFileInstaller.problem(FILE, XML, new RuntimeException("Cannot load routes", cause), false);
        assertEquals(Integer.valueOf(7), p.line());
        assertEquals(Integer.valueOf(3), p.column());
        assertTrue(p.message().startsWith("Cannot load routes ("), p.message());

        var words = RouteFileInstaller.problem(FILE, XML, new RuntimeException("bad value at line 2, column 9"), false);
        assertEquals(" at line 2, column 9", words.where());
    }

    @Test
    void withoutAPositionTheMessageAloneIsKept() {
        var p = RouteFileInstaller.problem(FILE, XML,
                new IllegalArgumentException("No component found with scheme: htp"), false);
        assertNull(p.line());
        assertEquals("", p.where());
        assertEquals("No component found with scheme: htp", p.message());
    }
}

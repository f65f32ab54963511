package org.gatehouse.core.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivilegedAction;
import java.util.List;
import java.util.Map;

import javax.security.auth.Subject;

import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.apache.karaf.shell.api.console.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShellHelpersTest {
    @Test
    void chineseNamesLineUpByDisplayWidth() {
        String text = new TextTable().column("Name").numberColumn("Floor").column("Id")
                .row("王芳", 3, "a").row("Alexander", 12, "b").row("欧阳娜娜", null, "c").render();
        List<String> lines = text.lines().toList();
        assertEquals(5, lines.size(), text);
        int bar = TextTable.width(lines.get(0).substring(0, lines.get(0).indexOf('|')));
        for (String line : List.of(lines.get(2), lines.get(3), lines.get(4))) {
            assertEquals(bar, TextTable.width(line.substring(0, line.indexOf('|'))), "column 1 of " + line + "\n" + text);
        }
        assertTrue(lines.get(2).startsWith("王芳      | "), text); // 4 cells + 5 spaces = width of "Alexander"
        assertTrue(lines.get(3).contains("|    12 |"), "numbers right-aligned:\n" + text);
        assertFalse(text.contains("\u001b"), "no control codes");
        assertEquals(8, TextTable.width("欧阳娜娜"));
        assertEquals(4, TextTable.width("ＡＢ"));
        assertEquals(1, TextTable.width("e\u0301"));
    }

    @Test
    void relativePathsStartAtTheSessionsDirectoryAndMissingFilesAreNamed(@TempDir Path dir) throws IOException {
        Path photo = Files.writeString(dir.resolve("cp.jpg"), "x");
        Session session = session(dir, Map.of());
        assertEquals(photo, ShellFiles.existing(session, "cp.jpg", "image"));
        assertEquals(photo, ShellFiles.existing(session, photo.toString(), "image"));
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> ShellFiles.existing(session, "nope.jpg", "image"));
        assertTrue(missing.getMessage().startsWith("No such image: " + dir.resolve("nope.jpg")), missing.getMessage());
        IllegalArgumentException folder = assertThrows(IllegalArgumentException.class,
                () -> ShellFiles.existing(session, ".", "image"));
        assertTrue(folder.getMessage().contains("is a directory"), folder.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ShellFiles.writable(session, "no/such/dir/out.tsv", "output"));
        assertEquals(dir.resolve("out.tsv"), ShellFiles.writable(session, "out.tsv", "output"));
    }

    @Test
    void theShellActsAsTheLoggedInConsoleUser() {
        Subject subject = new Subject();
        subject.getPrincipals().add(new UserPrincipal("wangli"));
        subject.getPrincipals().add(new RolePrincipal("admin"));
        String name = Subject.doAs(subject, (PrivilegedAction<String>) () -> ShellCaller.get().name());
        assertEquals("shell:wangli", name);
        assertEquals("shell:ops", ShellCaller.of(session(Path.of("/"), Map.of("USER", "ops"))).name());
        assertEquals("shell:unknown", ShellCaller.get().name());
    }

    private static Session session(Path dir, Map<String, Object> variables) {
        return (Session) Proxy.newProxyInstance(Session.class.getClassLoader(), new Class<?>[] {Session.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "currentDir" -> dir;
                    case "get" -> variables.get((String) args[0]);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}

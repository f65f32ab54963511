package org.gatehouse.core.shell;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import org.apache.karaf.shell.api.console.Session;

/**
 * File arguments of shell commands. A relative path means the shell session's current directory (what
 * {@code pwd} prints and {@code cd} changes; {@code ./gatehouse shell} starts it where the user stands),
 * not the directory the server process happens to run in.
 */
public final class ShellFiles {
    private ShellFiles() {
    }

    /** {@code argument} as an absolute path, relative ones against the session's current directory. */
    public static Path resolve(Session session, String argument) {
        Path path = Paths.get(argument);
        if (path.isAbsolute()) {
            return path.normalize();
        }
        Path base = session == null || session.currentDir() == null ? Paths.get("").toAbsolutePath()
                : session.currentDir();
        return base.resolve(path).normalize();
    }

    /** As {@link #resolve}, for a file that must be there to be read: names the file when it is not. */
    public static Path existing(Session session, String argument, String what) {
        Path path = resolve(session, argument);
        if (Files.isDirectory(path)) {
            throw new IllegalArgumentException(what + " " + path + " is a directory, not a file");
        }
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("No such " + what + ": " + path
                    + (Paths.get(argument).isAbsolute() ? "" : " (relative paths start at the shell's current"
                    + " directory; see pwd, change it with cd)"));
        }
        if (!Files.isReadable(path)) {
            throw new IllegalArgumentException("Cannot read " + what + " " + path + ": permission denied");
        }
        return path;
    }

    /** As {@link #resolve}, for a file to be written: its directory must exist. */
    public static Path writable(Session session, String argument, String what) {
        Path path = resolve(session, argument);
        Path dir = path.getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("Cannot write " + what + " " + path + ": no directory " + dir);
        }
        return path;
    }
}

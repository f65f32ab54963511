package org.gatehouse.api.keys;

import java.nio.file.Path;

/**
 * A key file that is missing or is not the key the database's data was made with: the module does not start (or,
 * when the database was unreachable at start, refuses every call) instead of creating a new key. The message names
 * the file and what to do; it is meant for the operator's log and the health details, not for API clients.
 */
public class KeyRefusedException extends IllegalStateException {
    private final String purpose;
    private final transient Path file;

    public KeyRefusedException(String purpose, Path file, String message) {
        super(message);
        this.purpose = purpose;
        this.file = file;
    }

    /** The key's purpose as recorded in the database ({@code whitelist}, {@code template:template-key-1}, ...). */
    public String purpose() {
        return purpose;
    }

    /** The key file (or keystore) that was refused. */
    public Path file() {
        return file;
    }
}

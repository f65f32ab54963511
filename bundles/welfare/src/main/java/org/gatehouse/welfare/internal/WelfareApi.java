package org.gatehouse.welfare.internal;

import java.time.Instant;

/** What the REST resource and the shell commands (sub-packages) use of package-private helpers. */
public final class WelfareApi {
    private WelfareApi() {
    }

    /** {@link AsOf#parse}: null = now; a malformed time is a 400 saying what is expected. */
    public static Instant asOf(String text) {
        return AsOf.parse(text);
    }
}

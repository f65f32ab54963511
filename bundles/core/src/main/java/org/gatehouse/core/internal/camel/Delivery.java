package org.gatehouse.core.internal.camel;

import java.util.List;

/**
 * How one event went to one consumer: taken, failed (to be tried again), or refused by a target and handled by the
 * route's own error handling (not tried again: the route decided) — and where it was sent outside the platform.
 *
 * @param failure     what the route failed with, or null
 * @param handled     the route caught a failure of its own target and handled it ({@code onException}), so the
 *                    consumer moves on; {@link #handledError} says what
 * @param handledError the caught failure's message when {@link #handled}
 * @param sentTo      the endpoints outside the JVM the event was sent to (without their query)
 */
public record Delivery(Exception failure, boolean handled, String handledError, List<String> sentTo) {
    /** The HTTP status a target answered that counts as a failure even when the route did not throw. */
    static final int FIRST_FAILED_STATUS = 400;

    public Delivery {
        sentTo = sentTo == null ? List.of() : List.copyOf(sentTo);
    }

    public boolean ok() {
        return failure == null;
    }
}

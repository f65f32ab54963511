package org.gatehouse.whitelist.internal;

import static org.gatehouse.whitelist.internal.Messages.MESSAGES;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;

/**
 * Lease dates as forms and CSV give them: {@code yyyy-MM-dd} in the configured zone ({@link WhitelistConfig#zone()};
 * empty = the system's) or an ISO instant with offset.
 */
public final class LeaseDates {
    private final ZoneId zone;

    public LeaseDates(ZoneId zone) {
        this.zone = zone;
    }

    /** The dates of the configured zone. */
    public static LeaseDates of(WhitelistConfig config) {
        return new LeaseDates(zone(config.zone()));
    }

    static ZoneId zone(String configured) {
        return configured == null || configured.isBlank() ? ZoneId.systemDefault() : ZoneId.of(configured.trim());
    }

    public ZoneId zone() {
        return zone;
    }

    /** A date (start of day; for an end: start of the next day, so the last day counts) or an ISO instant. */
    public Instant instant(String field, String value, boolean end) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim();
        try {
            if (v.length() == 10) {
                LocalDate d = LocalDate.parse(v);
                return (end ? d.plusDays(1) : d).atStartOfDay(zone).toInstant();
            }
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeException e) {
            throw MESSAGES.badRequest("field.date", field, v);
        }
    }

    /** An end not after the start is refused (400 naming {@code validUntil}). */
    static void checkLease(Instant from, Instant until) {
        if (from != null && until != null && !until.isAfter(from)) {
            throw MESSAGES.badRequest("lease.endBeforeStart", "validUntil", "validFrom");
        }
    }
}

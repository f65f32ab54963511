package org.gatehouse.whitelist.ui;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * Lease dates between the API and a form: the API keeps instants, with the end being the start of the day after the
 * last day; a form shows and takes the first and the last day.
 */
final class Leases {
    private Leases() {
    }

    static LocalDate firstDay(String iso, ZoneId zone) {
        return iso == null || iso.isBlank() ? null : Instant.parse(iso).atZone(zone).toLocalDate();
    }

    static LocalDate lastDay(String iso, ZoneId zone) {
        return iso == null || iso.isBlank() ? null : Instant.parse(iso).minusNanos(1).atZone(zone).toLocalDate();
    }

    /** The form's last day as the API takes it ({@code yyyy-MM-dd}: the whole day counts). */
    static String untilParameter(LocalDate lastDay) {
        return lastDay == null ? null : lastDay.toString();
    }
}

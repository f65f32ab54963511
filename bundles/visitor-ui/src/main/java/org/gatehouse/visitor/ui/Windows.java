package org.gatehouse.visitor.ui;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Times between the API and the forms, and the little text logic of the screens: the API keeps instants (ISO-8601
 * text); a form shows and takes date-times of the community's zone.
 */
final class Windows {
    static final DateTimeFormatter DAY_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT);
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT);

    private Windows() {
    }

    /** An API instant as a form's date-time in {@code zone}; {@code null} for blank or unreadable text. */
    static LocalDateTime local(String iso, ZoneId zone) {
        Instant at = instant(iso);
        return at == null ? null : LocalDateTime.ofInstant(at, zone);
    }

    /** A form's date-time of {@code zone} as the API takes it (ISO instant text); {@code null} stays null. */
    static String iso(LocalDateTime local, ZoneId zone) {
        return local == null ? null : local.atZone(zone).toInstant().toString();
    }

    /** The start of {@code day} in {@code zone} as an ISO instant ({@code null} stays null). */
    static String dayStart(LocalDate day, ZoneId zone) {
        return day == null ? null : day.atStartOfDay(zone).toInstant().toString();
    }

    /** The end of {@code day} (the start of the next) in {@code zone} as an ISO instant ({@code null} stays null). */
    static String dayEnd(LocalDate day, ZoneId zone) {
        return day == null ? null : day.plusDays(1).atStartOfDay(zone).toInstant().toString();
    }

    /**
     * A window as people read it in {@code zone}: {@code 2026-05-01 09:00–12:00} within a day,
     * {@code 2026-05-01 22:00 – 2026-05-02 06:00} across days; an unreadable end shows as it came.
     */
    static String window(String fromIso, String untilIso, ZoneId zone) {
        Instant from = instant(fromIso);
        Instant until = instant(untilIso);
        if (from == null || until == null) {
            return text(fromIso, from, zone) + " – " + text(untilIso, until, zone);
        }
        ZonedDateTime f = from.atZone(zone);
        ZonedDateTime u = until.atZone(zone);
        if (f.toLocalDate().equals(u.toLocalDate())) {
            return DAY_TIME.format(f) + "–" + TIME.format(u);
        }
        return DAY_TIME.format(f) + " – " + DAY_TIME.format(u);
    }

    private static String text(String raw, Instant at, ZoneId zone) {
        return at != null ? DAY_TIME.format(at.atZone(zone)) : raw == null || raw.isBlank() ? "—" : raw;
    }

    /** ISO instant text as an instant, {@code null} when blank or unreadable. */
    static Instant instant(String iso) {
        if (iso == null || iso.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(iso.trim());
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Orders items by an instant text, newest first; unreadable times last. */
    static <T> List<T> newestFirst(Collection<T> items, java.util.function.Function<T, String> at) {
        return items.stream().sorted(Comparator.comparing((T item) -> instant(at.apply(item)),
                Comparator.nullsFirst(Comparator.<Instant>naturalOrder())).reversed()).toList();
    }

    /**
     * Which of {@code fields} an API refusal names: a field in quotes ({@code 'name'}, {@code “name”},
     * {@code "name"}) — as "The field 'name' is required" — or at the start ("expectedUntil must be after …");
     * {@code null} when none, for a message shown at the top of the form.
     */
    static String fieldNamed(String message, Collection<String> fields) {
        if (message == null) {
            return null;
        }
        for (String f : fields) {
            for (String[] q : new String[][] {{"'", "'"}, {"“", "”"}, {"\"", "\""}, {"「", "」"}}) {
                if (message.contains(q[0] + f + q[1])) {
                    return f;
                }
            }
        }
        for (String f : fields) {
            if (message.startsWith(f + " ")) {
                return f;
            }
        }
        return null;
    }

    /**
     * What a pass would do at {@code now}: {@code REVOKED}, {@code USED_UP}, {@code EXPIRED}, {@code NOT_YET} (its
     * window has not begun) or {@code ACTIVE}.
     */
    static String passState(boolean revoked, long uses, long maxUses, String fromIso, String untilIso, Instant now) {
        if (revoked) {
            return "REVOKED";
        }
        if (maxUses > 0 && uses >= maxUses) {
            return "USED_UP";
        }
        Instant until = instant(untilIso);
        if (until != null && !now.isBefore(until)) {
            return "EXPIRED";
        }
        Instant from = instant(fromIso);
        if (from != null && now.isBefore(from)) {
            return "NOT_YET";
        }
        return "ACTIVE";
    }

    /** Whether every word of {@code query} (case-insensitive) is in one of {@code texts}; a blank query matches. */
    static boolean matches(String query, Collection<String> texts) {
        if (query == null || query.isBlank()) {
            return true;
        }
        List<String> lower = texts.stream().map(t -> t == null ? "" : t.toLowerCase(Locale.ROOT)).toList();
        for (String word : query.trim().toLowerCase(Locale.ROOT).split("\\s+")) {
            if (lower.stream().noneMatch(t -> t.contains(word))) {
                return false;
            }
        }
        return true;
    }
}

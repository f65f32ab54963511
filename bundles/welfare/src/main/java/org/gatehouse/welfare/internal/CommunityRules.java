package org.gatehouse.welfare.internal;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The welfare rules of one community: the inactivity threshold (per resident where configured), quiet hours, time
 * zone, escalation delay and the contact list. Built from the defaults ({@link WelfareConfig}) and the community's own
 * configuration ({@link CommunityWelfareConfig}, may be absent); a bad value falls back to the default and is one line
 * in {@link #problems()}.
 */
public record CommunityRules(String communityId, Duration inactivity, Map<String, Duration> residentInactivity,
                             QuietHours quietHours, ZoneId zone, Duration escalateAfter, int initialContacts,
                             List<Contact> contacts, List<String> problems) {
    public CommunityRules {
        residentInactivity = Map.copyOf(residentInactivity);
        contacts = List.copyOf(contacts);
        problems = List.copyOf(problems);
    }

    /** A person told about a welfare alert: role (police, property, …), name and the channel address to reach them. */
    public record Contact(String role, String name, String channel) {
    }

    /** The threshold of {@code residentId}: its own if configured, else the community's. */
    public Duration inactivityOf(String residentId) {
        return residentInactivity.getOrDefault(residentId, inactivity);
    }

    /** When something due at {@code due} is raised: at once, or at the end of the quiet hours it falls in. */
    public Instant fireAt(Instant due) {
        return quietHours == null ? due : quietHours.deferred(due, zone);
    }

    /** Quiet hours from {@code start} (inclusive) to {@code end} (exclusive), crossing midnight when end < start. */
    public record QuietHours(LocalTime start, LocalTime end) {
        /** {@code HH:mm-HH:mm}; blank or {@code none} = no quiet hours (null). */
        static QuietHours parse(String text) {
            if (text == null || text.isBlank() || "none".equalsIgnoreCase(text.trim())) {
                return null;
            }
            String[] parts = text.trim().split("-");
            if (parts.length != 2) {
                throw new IllegalArgumentException("quiet hours must be HH:mm-HH:mm, not '" + text + "'");
            }
            try {
                LocalTime start = LocalTime.parse(parts[0].trim());
                LocalTime end = LocalTime.parse(parts[1].trim());
                if (start.equals(end)) {
                    throw new IllegalArgumentException("quiet hours must not start and end at the same time");
                }
                return new QuietHours(start, end);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("quiet hours must be HH:mm-HH:mm, not '" + text + "'");
            }
        }

        boolean contains(LocalTime t) {
            return start.isBefore(end) ? !t.isBefore(start) && t.isBefore(end) : !t.isBefore(start) || t.isBefore(end);
        }

        /** {@code at} itself outside the quiet hours, else the end of the quiet hours it falls in. */
        Instant deferred(Instant at, ZoneId zone) {
            ZonedDateTime local = at.atZone(zone);
            if (!contains(local.toLocalTime())) {
                return at;
            }
            ZonedDateTime end = local.toLocalDate().atTime(this.end).atZone(zone);
            if (!end.isAfter(local)) {
                end = local.toLocalDate().plusDays(1).atTime(this.end).atZone(zone);
            }
            return end.toInstant();
        }

        @Override
        public String toString() {
            return start + "-" + end;
        }
    }

    /** The rules of {@code communityId} from the defaults and its own configuration (null when it has none). */
    static CommunityRules of(String communityId, WelfareConfig defaults, CommunityWelfareConfig own) {
        List<String> problems = new ArrayList<>();
        ZoneId zone = zone(defaults.zone(), ZoneId.of("Asia/Shanghai"), "zone", problems);
        QuietHours quiet = quiet(defaults.quietHours(), null, "quietHours", problems);
        Duration inactivity = Duration.ofHours(Math.max(1, defaults.inactivityHours()));
        Duration escalate = Duration.ofMinutes(Math.max(1, defaults.escalateAfterMinutes()));
        Map<String, Duration> perResident = new HashMap<>();
        List<Contact> contacts = new ArrayList<>();
        if (own != null) {
            String pid = CommunityWelfareConfig.FACTORY_PID + " of " + communityId + ": ";
            if (own.zone() != null && !own.zone().isBlank()) {
                zone = zone(own.zone(), zone, pid + "zone", problems);
            }
            if (own.quietHours() != null && !own.quietHours().isBlank()) {
                quiet = quiet(own.quietHours(), quiet, pid + "quietHours", problems);
            }
            if (own.inactivityHours() > 0) {
                inactivity = Duration.ofHours(own.inactivityHours());
            }
            if (own.escalateAfterMinutes() > 0) {
                escalate = Duration.ofMinutes(own.escalateAfterMinutes());
            }
            for (String value : nonNull(own.residentHours())) {
                for (String entry : value.split(";")) {
                    if (entry.isBlank()) {
                        continue;
                    }
                    String[] kv = entry.split("=", 2);
                    try {
                        int hours = Integer.parseInt(kv.length == 2 ? kv[1].trim() : "");
                        if (kv[0].isBlank() || hours < 1) {
                            throw new NumberFormatException();
                        }
                        perResident.put(kv[0].trim(), Duration.ofHours(hours));
                    } catch (NumberFormatException e) {
                        problems.add(pid + "residentHours entry '" + entry.trim()
                                + "' is not residentId=hours (hours at least 1); ignored");
                    }
                }
            }
            for (String entry : nonNull(own.contacts())) {
                String[] parts = entry.split("\\|", -1);
                if (parts.length != 3 || parts[0].isBlank() || parts[1].isBlank()) {
                    problems.add(pid + "contact '" + entry + "' is not role|name|channel; ignored");
                    continue;
                }
                contacts.add(new Contact(parts[0].trim(), parts[1].trim(), parts[2].trim()));
            }
        }
        if (contacts.isEmpty()) {
            problems.add("community " + communityId + " has no welfare contacts (" + CommunityWelfareConfig.FACTORY_PID
                    + "): its alerts are raised for the office's list only");
        }
        return new CommunityRules(communityId, inactivity, perResident, quiet, zone, escalate,
                Math.max(1, defaults.initialContacts()), contacts, problems);
    }

    private static String[] nonNull(String[] values) {
        return values == null ? new String[0] : values;
    }

    private static ZoneId zone(String text, ZoneId fallback, String what, List<String> problems) {
        try {
            return ZoneId.of(text.trim());
        } catch (DateTimeException | NullPointerException e) {
            problems.add(what + " '" + text + "' is not a time zone; using " + fallback);
            return fallback;
        }
    }

    private static QuietHours quiet(String text, QuietHours fallback, String what, List<String> problems) {
        try {
            return QuietHours.parse(text);
        } catch (IllegalArgumentException e) {
            problems.add(what + ": " + e.getMessage() + "; using " + (fallback == null ? "none" : fallback));
            return fallback;
        }
    }
}

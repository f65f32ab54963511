package org.gatehouse.gate.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.gatehouse.api.model.Alert;
import org.gatehouse.api.model.AlertSeverity;
import org.gatehouse.api.model.AlertStatus;
import org.gatehouse.api.model.AlertType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stranger warning (陌生人预警): an unknown face (REJECT band) seen {@code N} times within {@code T} at a community's
 * doors gives one {@code STRANGER} alert naming the doors and times. "The same stranger" is a cluster of unknown
 * templates: a new one joins the stranger whose closest sighting is at or above the gallery's 1:1 threshold.
 * <p>
 * Privacy: the unknown templates are kept only here, in memory, only for {@code T}: every call first deletes (zeroes
 * and drops) the sightings older than {@code T}, and {@link #purge} does so for every community on a timer. At most
 * {@code maxTemplates} per community; when full, the oldest sighting is deleted first. Nothing here is written to
 * disk, and templates are never logged.
 */
final class StrangerWatch {
    private static final Logger LOG = LoggerFactory.getLogger(StrangerWatch.class);

    /** N and T of one community; N = 0 is off. */
    record Rule(int sightings, Duration window) {
    }

    private record Sighting(String deviceId, String door, Instant at, float[] template) {
    }

    private static final class Stranger {
        final String id = UUID.randomUUID().toString();
        final List<Sighting> sightings = new ArrayList<>();
        boolean alerted;
    }

    private static final class Community {
        final List<Stranger> strangers = new ArrayList<>();
        int templates;
    }

    private final Rule defaultRule;
    private final Map<String, Rule> rules = new HashMap<>();
    private final int maxTemplates;
    private final Map<String, Community> communities = new HashMap<>();

    StrangerWatch(GateConfig config) {
        this.defaultRule = new Rule(Math.max(0, config.strangerSightings()),
                Duration.ofMinutes(Math.max(1, config.strangerWindowMinutes())));
        this.maxTemplates = Math.max(1, config.strangerMaxTemplates());
        CommunitySettings.parse(config.strangerRules()).forEach((community, text) -> {
            try {
                String[] nt = text.split("/");
                rules.put(community, new Rule(Math.max(0, Integer.parseInt(nt[0].trim())), nt.length > 1
                        ? Duration.ofMinutes(Math.max(1, Integer.parseInt(nt[1].trim()))) : defaultRule.window()));
            } catch (RuntimeException e) {
                LOG.warn("Gate strangerRules entry {}='{}' is not sightings/minutes: the default applies", community,
                        text);
            }
        });
    }

    Rule rule(String communityId) {
        return rules.getOrDefault(communityId, defaultRule);
    }

    /**
     * One sighting of an unknown face. @return the alert to raise when this sighting makes the stranger's N-th within
     * T (once per stranger while it is remembered)
     */
    Optional<Alert> seen(String communityId, String deviceId, String door, Instant at, float[] template,
                         float sameThreshold) {
        Rule rule = rule(communityId);
        if (rule.sightings() <= 0 || template == null || template.length == 0) {
            return Optional.empty();
        }
        Stranger stranger;
        List<Sighting> named;
        synchronized (this) {
            Community c = communities.computeIfAbsent(communityId, k -> new Community());
            forgetOlder(c, at.minus(rule.window()));
            while (c.templates >= maxTemplates) {
                deleteOldest(c);
            }
            stranger = closest(c, template, sameThreshold);
            if (stranger == null) {
                stranger = new Stranger();
                c.strangers.add(stranger);
            }
            stranger.sightings.add(new Sighting(deviceId, door, at, template.clone()));
            c.templates++;
            if (stranger.alerted || stranger.sightings.size() < rule.sightings()) {
                return Optional.empty();
            }
            stranger.alerted = true;
            named = List.copyOf(stranger.sightings);
        }
        StringBuilder where = new StringBuilder();
        for (Sighting s : named) {
            where.append(where.length() == 0 ? "" : ", ").append(s.door()).append(" (").append(s.deviceId())
                    .append(") ").append(s.at());
        }
        return Optional.of(new Alert(UUID.randomUUID().toString(), communityId, AlertType.STRANGER,
                AlertSeverity.WARNING, AlertStatus.OPEN, stranger.id,
                "unknown face seen " + named.size() + " times within " + rule.window().toMinutes() + " min: " + where,
                at, List.of()));
    }

    /** Deletes every sighting older than its community's window. */
    synchronized void purge(Instant now) {
        for (Iterator<Map.Entry<String, Community>> it = communities.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Community> e = it.next();
            forgetOlder(e.getValue(), now.minus(rule(e.getKey()).window()));
            if (e.getValue().strangers.isEmpty()) {
                it.remove();
            }
        }
    }

    /** Templates held for the community now (tests, status). */
    synchronized int templates(String communityId) {
        Community c = communities.get(communityId);
        return c == null ? 0 : c.templates;
    }

    private static Stranger closest(Community c, float[] template, float sameThreshold) {
        Stranger best = null;
        float bestScore = Float.NEGATIVE_INFINITY;
        for (Stranger s : c.strangers) {
            for (Sighting seen : s.sightings) {
                float score = cosine(seen.template(), template);
                if (score >= sameThreshold && score > bestScore) {
                    best = s;
                    bestScore = score;
                }
            }
        }
        return best;
    }

    /** Templates are unit vectors: the dot product is the cosine; other lengths never match. */
    private static float cosine(float[] a, float[] b) {
        if (a.length != b.length) {
            return Float.NEGATIVE_INFINITY;
        }
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return (float) s;
    }

    private static void forgetOlder(Community c, Instant cutoff) {
        for (Iterator<Stranger> it = c.strangers.iterator(); it.hasNext(); ) {
            Stranger s = it.next();
            for (Iterator<Sighting> si = s.sightings.iterator(); si.hasNext(); ) {
                Sighting seen = si.next();
                if (seen.at().isBefore(cutoff)) {
                    delete(c, seen);
                    si.remove();
                }
            }
            if (s.sightings.isEmpty()) {
                it.remove();
            }
        }
    }

    private static void deleteOldest(Community c) {
        Stranger oldest = null;
        for (Stranger s : c.strangers) {
            if (!s.sightings.isEmpty() && (oldest == null
                    || s.sightings.get(0).at().isBefore(oldest.sightings.get(0).at()))) {
                oldest = s;
            }
        }
        if (oldest == null) {
            c.templates = 0;
            return;
        }
        delete(c, oldest.sightings.remove(0));
        if (oldest.sightings.isEmpty()) {
            c.strangers.remove(oldest);
        }
    }

    private static void delete(Community c, Sighting seen) {
        Arrays.fill(seen.template(), 0f);
        c.templates--;
    }
}

package org.gatehouse.integration.internal;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;

import org.gatehouse.api.service.StreamConsumers.StartAt;
import org.gatehouse.api.stream.Streams;

/**
 * A target's configuration, read and checked: {@link #parse} names every problem of a malformed one at once
 * ({@link InvalidTargetException}), so the log and the target's status say what to fix. {@code tls}: the TLS context
 * trusting the certificates of {@code trustStore} (read when the configuration is), null for the JVM's trusted CAs.
 */
public record TargetSpec(String name, Kind kind, List<String> streams, Set<String> communities, List<String> fields,
                         String startAt, Duration timeout, URI url, byte[] secret, Path directory, ZoneId zone,
                         String brokerUrl, String topic, String clientId, String username, char[] password,
                         String trustStore, char[] trustStorePassword, String trustStoreType, SSLContext tls,
                         Duration summaryPeriod, Duration summaryGrace) {
    public enum Kind { WEBHOOK, CSV, MQTT }

    /** The hourly summary of the passages stream, a stream of this module's making. */
    public static final String PASSAGES_SUMMARY = "passages-summary";
    public static final List<String> FEEDS = List.of(Streams.POPULATION_CHANGES, Streams.ALERTS, PASSAGES_SUMMARY);
    /** {@code streams = none}: the target feeds no stream; only notifications that name it use it. */
    public static final String NO_FEEDS = "none";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,62}");
    private static final Pattern BROKER = Pattern.compile("(tcp|ssl)://[^\\s/:?#]+:\\d{1,5}");

    public static final class InvalidTargetException extends Exception {
        public InvalidTargetException(String message) {
            super(message);
        }
    }

    /** The community is fed by this target. */
    public boolean feeds(String communityId) {
        return communities.isEmpty() || communities.contains(communityId);
    }

    /** The stream of the platform a feed reads ({@code passages} for the summary). */
    public static String sourceStream(String feed) {
        return PASSAGES_SUMMARY.equals(feed) ? Streams.PASSAGES : feed;
    }

    /** The route id of one feed of the target: {@code gatehouse-integration-<target>-<feed>}. */
    public String routeId(String feed) {
        return "gatehouse-integration-" + name + "-" + feed;
    }

    /** The consumer id of one feed in the store: {@code <stream>/<route id>}. */
    public String consumerId(String feed) {
        return sourceStream(feed) + "/" + routeId(feed);
    }

    public static TargetSpec parse(Map<String, ?> p) throws InvalidTargetException {
        List<String> problems = new ArrayList<>();
        String name = text(p, "name");
        if (!NAME.matcher(name).matches()) {
            problems.add("name '" + name + "' must be 1-63 letters, digits, '-' or '_'");
        }
        String kindText = text(p, "kind");
        Kind kind = null;
        try {
            kind = Kind.valueOf(kindText.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            problems.add("kind '" + kindText + "' is unknown: use webhook, csv or mqtt");
        }
        List<String> streams = list(p, "streams");
        if (streams.isEmpty()) {
            streams = List.of(Streams.POPULATION_CHANGES);
        } else if (streams.equals(List.of(NO_FEEDS))) {
            streams = List.of(); // a target for notifications only
        }
        for (String s : streams) {
            if (!FEEDS.contains(s)) {
                problems.add("stream '" + s + "' is not one of " + String.join(", ", FEEDS) + " (or " + NO_FEEDS
                        + " alone)");
            }
        }
        String startAt = text(p, "startAt");
        try {
            StartAt.parse(startAt);
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        int timeoutSeconds = number(p, "timeoutSeconds", 10, problems);
        if (timeoutSeconds < 1 || timeoutSeconds > 600) {
            problems.add("timeoutSeconds must be 1-600");
        }
        ZoneId zone = ZoneId.of("Asia/Shanghai");
        String zoneText = text(p, "zone");
        if (!zoneText.isEmpty()) {
            try {
                zone = ZoneId.of(zoneText);
            } catch (DateTimeException e) {
                problems.add("zone '" + zoneText + "' is not a time zone (e.g. Asia/Shanghai)");
            }
        }
        URI url = null;
        byte[] secret = null;
        Path directory = null;
        String broker = text(p, "brokerUrl");
        char[] password = null;
        if (kind == Kind.WEBHOOK) {
            url = url(text(p, "url"), problems);
            String secretText = secret(p, "secret", "secretFile", problems);
            if (secretText.isEmpty()) {
                problems.add("secret (or secretFile) is required for a webhook: the receiver checks the signature");
            }
            secret = secretText.getBytes(StandardCharsets.UTF_8);
        } else if (kind == Kind.CSV) {
            String dir = text(p, "directory");
            if (dir.isEmpty()) {
                problems.add("directory is required for a csv target");
            } else {
                directory = Path.of(dir);
            }
        } else if (kind == Kind.MQTT) {
            if (!BROKER.matcher(broker).matches()) {
                problems.add("brokerUrl '" + broker + "' must be tcp://host:port or ssl://host:port");
            }
            if (text(p, "topic").isEmpty() && p.containsKey("topic")) {
                problems.add("topic must not be empty");
            }
            password = secret(p, "password", "passwordFile", problems).toCharArray();
        }
        String trustStore = text(p, "trustStore");
        String trustStoreType = text(p, "trustStoreType").isEmpty() ? "PKCS12" : text(p, "trustStoreType");
        char[] trustStorePassword = text(p, "trustStorePassword").toCharArray();
        SSLContext tls = null;
        if (!trustStore.isEmpty() && (kind == Kind.WEBHOOK || kind == Kind.MQTT)) {
            if (kind == Kind.WEBHOOK && url != null && "http".equalsIgnoreCase(url.getScheme())) {
                problems.add("trustStore is for https:// urls, but url '" + text(p, "url") + "' is plain http");
            } else if (kind == Kind.MQTT && broker.startsWith("tcp://")) {
                problems.add("trustStore is for ssl:// brokers, but brokerUrl '" + broker + "' is tcp:// (no TLS)");
            }
            try {
                tls = Tls.trusting(trustStore, trustStorePassword, trustStoreType);
            } catch (IOException | GeneralSecurityException | RuntimeException e) {
                problems.add("trustStore '" + trustStore + "' (" + trustStoreType + ") cannot be used: "
                        + (e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.getMessage()));
            }
        }
        int summaryMinutes = number(p, "summaryMinutes", 60, problems);
        if (summaryMinutes < 1 || summaryMinutes > 1440 || 1440 % summaryMinutes != 0) {
            problems.add("summaryMinutes must divide a day (e.g. 15, 30, 60)");
        }
        int grace = number(p, "summaryGraceMinutes", 5, problems);
        if (!problems.isEmpty()) {
            throw new InvalidTargetException("target '" + name + "': " + String.join("; ", problems));
        }
        String topic = text(p, "topic").isEmpty() ? "gatehouse/{community}/events" : text(p, "topic");
        String clientId = text(p, "clientId").isEmpty() ? "gatehouse-" + name : text(p, "clientId");
        return new TargetSpec(name, kind, List.copyOf(new LinkedHashSet<>(streams)), Set.copyOf(list(p, "communities")),
                list(p, "fields"), startAt.isEmpty() ? "now" : startAt, Duration.ofSeconds(timeoutSeconds), url, secret,
                directory, zone, broker, topic, clientId, text(p, "username"), password, trustStore,
                trustStorePassword, trustStoreType, tls,
                Duration.ofMinutes(summaryMinutes), Duration.ofMinutes(Math.max(0, grace)));
    }

    private static URI url(String text, List<String> problems) {
        if (text.isEmpty()) {
            problems.add("url is required for a webhook");
            return null;
        }
        try {
            URI uri = new URI(text);
            if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())
                    || uri.getHost() == null) {
                problems.add("url '" + text + "' must be http://host/... or https://host/...");
            }
            return uri;
        } catch (URISyntaxException e) {
            problems.add("url '" + text + "' is malformed: " + e.getMessage());
            return null;
        }
    }

    private static String secret(Map<String, ?> p, String key, String fileKey, List<String> problems) {
        String file = text(p, fileKey);
        if (file.isEmpty()) {
            return text(p, key);
        }
        try {
            return Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
        } catch (IOException | RuntimeException e) {
            problems.add(fileKey + " '" + file + "' cannot be read: " + e);
            return "";
        }
    }

    static String text(Map<String, ?> p, String key) {
        Object v = p.get(key);
        if (v instanceof String[] a) {
            return a.length == 0 ? "" : a[0].trim();
        }
        return v == null ? "" : String.valueOf(v).trim();
    }

    /** A list from a String[], a collection or a comma-separated text; blanks dropped. */
    static List<String> list(Map<String, ?> p, String key) {
        Object v = p.get(key);
        List<String> raw = new ArrayList<>();
        if (v instanceof String[] a) {
            raw.addAll(Arrays.asList(a));
        } else if (v instanceof java.util.Collection<?> c) {
            c.forEach(o -> raw.add(String.valueOf(o)));
        } else if (v != null) {
            raw.add(String.valueOf(v));
        }
        List<String> out = new ArrayList<>();
        for (String r : raw) {
            for (String part : r.split(",")) {
                if (!part.isBlank()) {
                    out.add(part.trim());
                }
            }
        }
        return List.copyOf(out);
    }

    private static int number(Map<String, ?> p, String key, int dflt, List<String> problems) {
        String t = text(p, key);
        if (t.isEmpty()) {
            return dflt;
        }
        try {
            return Integer.parseInt(t);
        } catch (NumberFormatException e) {
            problems.add(key + " '" + t + "' is not a number");
            return dflt;
        }
    }
}

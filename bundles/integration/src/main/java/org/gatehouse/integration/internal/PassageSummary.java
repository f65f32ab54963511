package org.gatehouse.integration.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.gatehouse.api.stream.Streams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code passages-summary} feed: not every passage, but per period ({@code summaryMinutes}, hourly by default, in
 * the target's zone) the count of passages per community, door (device) and verdict. Passages are counted as they
 * come (each id once); a period is sent {@code summaryGraceMinutes} after its end, one event per community, door and
 * verdict, id {@code passages-summary:<community>:<period start>:<device>:<verdict>}. A passage that arrives after its
 * period was sent goes into a later revision of it ({@code :r1}, {@code :r2}…, counting only the late ones). The
 * counts not yet sent are kept in a state file, so a restart loses none.
 */
public final class PassageSummary {
    private static final Logger LOG = LoggerFactory.getLogger(PassageSummary.class);
    private static final Duration KEEP = Duration.ofDays(2);
    private final TargetSpec spec;
    private final FeedSink sink;
    private final TargetStatus status;
    private final Clock clock;
    private final Path stateFile;
    private State state = new State();

    /** What is kept: counts not sent yet, the passage ids counted (and their period), the revisions sent. */
    public static final class State {
        public Map<String, Long> counts = new TreeMap<>();
        public Map<String, String> seen = new TreeMap<>();
        public Map<String, Integer> sent = new TreeMap<>();
    }

    public PassageSummary(TargetSpec spec, FeedSink sink, TargetStatus status, Clock clock) {
        this(spec, sink, status, clock, defaultStateFile(spec.name()));
    }

    public PassageSummary(TargetSpec spec, FeedSink sink, TargetStatus status, Clock clock, Path stateFile) {
        this.spec = spec;
        this.sink = sink;
        this.status = status;
        this.clock = clock;
        this.stateFile = stateFile;
        try {
            if (Files.exists(stateFile)) {
                state = EventFields.JSON.readValue(stateFile.toFile(), State.class);
            }
        } catch (IOException e) {
            LOG.error("Passage summary state {} unreadable, starting empty: {}", stateFile, e.toString());
        }
    }

    static Path defaultStateFile(String target) {
        String data = System.getProperty("karaf.data", System.getProperty("java.io.tmpdir"));
        return Path.of(data, "gatehouse-integration", target + "-passages-summary.json");
    }

    /** Counts one passage (JSON of a PassageEvent) of a community the target feeds; a passage counted is not again. */
    public synchronized void count(String passageJson) throws IOException {
        JsonNode p = EventFields.JSON.readTree(passageJson);
        String community = p.path("communityId").asText();
        String id = p.path("id").asText();
        if (!spec.feeds(community) || state.seen.containsKey(id)) {
            return;
        }
        String period = periodStart(Instant.parse(p.path("occurredAt").asText())).toString();
        String verdict = p.path("decision").path("verdict").asText("UNKNOWN");
        String bucket = String.join("|", community, period, p.path("deviceId").asText(""), verdict);
        state.counts.merge(bucket, 1L, Long::sum);
        state.seen.put(id, period);
        save();
    }

    Instant periodStart(Instant at) {
        ZonedDateTime t = at.atZone(spec.zone());
        long minutes = spec.summaryPeriod().toMinutes();
        long ofDay = t.getHour() * 60L + t.getMinute();
        return t.toLocalDate().atStartOfDay(spec.zone()).plusMinutes(ofDay - ofDay % minutes).toInstant();
    }

    /** Sends every period ended at least the grace ago; stops at the first failure (the rest waits for the next run). */
    public synchronized int sendDue(Exchange exchange) throws Exception {
        Instant now = clock.instant();
        int sent = 0;
        for (Map.Entry<String, Long> e : new ArrayList<>(state.counts.entrySet())) {
            String[] k = e.getKey().split("\\|", -1);
            Instant start = Instant.parse(k[1]);
            Instant end = start.plus(spec.summaryPeriod());
            if (end.plus(spec.summaryGrace()).isAfter(now)) {
                continue;
            }
            int revision = state.sent.getOrDefault(e.getKey(), -1) + 1;
            String id = "passages-summary:" + k[0] + ":" + k[1] + ":" + k[2] + ":" + k[3]
                    + (revision == 0 ? "" : ":r" + revision);
            ObjectNode body = EventFields.JSON.createObjectNode();
            body.put("id", id).put("communityId", k[0]).put("periodStart", k[1]).put("periodEnd", end.toString())
                    .put("deviceId", k[2]).put("verdict", k[3]).put("count", e.getValue()).put("revision", revision);
            if (exchange != null) {
                exchange.getIn().setHeader(Streams.HEADER_STREAM, Streams.PASSAGES);
                exchange.getIn().setHeader(Streams.HEADER_EVENT_ID, id);
                exchange.getIn().setHeader(Streams.HEADER_COMMUNITY_ID, k[0]);
            }
            IntegrationTarget.send(exchange, new Outgoing(TargetSpec.PASSAGES_SUMMARY, id, k[0],
                    EventFields.select(body, spec.fields())), sink, status, clock);
            state.counts.remove(e.getKey());
            state.sent.put(e.getKey(), revision);
            sent++;
            save();
        }
        prune(now);
        return sent;
    }

    private void prune(Instant now) throws IOException {
        String oldest = periodStart(now.minus(KEEP)).toString();
        boolean changed = state.seen.values().removeIf(period -> period.compareTo(oldest) < 0);
        changed |= state.sent.keySet().removeIf(bucket -> bucket.split("\\|", -1)[1].compareTo(oldest) < 0);
        if (changed) {
            save();
        }
    }

    /** The counts not sent yet (bucket {@code community|period start|device|verdict} → count). */
    public synchronized Map<String, Long> pending() {
        return Map.copyOf(state.counts);
    }

    private void save() throws IOException {
        Files.createDirectories(stateFile.getParent());
        Path tmp = stateFile.resolveSibling(stateFile.getFileName() + ".tmp");
        Files.write(tmp, EventFields.JSON.writeValueAsBytes(state));
        Files.move(tmp, stateFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    List<String> seenIds() {
        return List.copyOf(state.seen.keySet());
    }
}

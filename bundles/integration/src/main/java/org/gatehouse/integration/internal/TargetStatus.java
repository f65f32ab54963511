package org.gatehouse.integration.internal;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a target has done lately, kept in memory while it runs (the stream positions, attempts and dead letters are in
 * the store): last success, last error and since when it fails, the refusals its receiver answered, or the reason
 * its configuration was rejected.
 */
public final class TargetStatus {
    private final String name;
    private final String kind;
    private final List<String> streams;
    private final Set<String> communities;
    private final String destination;
    private final String configError;
    private Instant lastSuccessAt;
    private String lastError;
    private Instant lastErrorAt;
    private Instant failingSince;
    private long refusals;
    private String lastRefusal;
    private Instant lastRefusalAt;

    public TargetStatus(String name, String kind, List<String> streams, Set<String> communities, String destination,
                        String configError) {
        this.name = name;
        this.kind = kind;
        this.streams = List.copyOf(streams);
        this.communities = Set.copyOf(communities);
        this.destination = destination;
        this.configError = configError;
    }

    static TargetStatus of(TargetSpec spec, FeedSink sink) {
        return new TargetStatus(spec.name(), spec.kind().name().toLowerCase(java.util.Locale.ROOT), spec.streams(),
                spec.communities(), sink.describe(), null);
    }

    static TargetStatus rejected(String name, String kind, String error) {
        return new TargetStatus(name, kind, List.of(), Set.of(), "", error);
    }

    public String name() {
        return name;
    }

    public Set<String> communities() {
        return communities;
    }

    public List<String> streams() {
        return streams;
    }

    public synchronized void succeeded(Instant at) {
        lastSuccessAt = at;
        failingSince = null;
    }

    public synchronized void failed(Instant at, String error) {
        lastError = error;
        lastErrorAt = at;
        if (failingSince == null) {
            failingSince = at;
        }
    }

    /** The receiver refused an event for good: the stream went on; the target is not failing for it. */
    public synchronized void refused(Instant at, String error) {
        refusals++;
        lastRefusal = error;
        lastRefusalAt = at;
        lastError = error;
        lastErrorAt = at;
    }

    /**
     * {@code state}: MISCONFIGURED (nothing runs: {@code configError} says why), NOT_RUNNING (its routes could not be
     * added), FAILING (its last attempt failed), OK otherwise. {@code backlog}: per feed, the events of its stream after its consumer's position (-1 unknown).
     */
    public record View(String name, String kind, String state, String destination, List<String> streams,
                       Set<String> communities, Map<String, Long> backlog, Instant lastSuccessAt, String lastError,
                       Instant lastErrorAt, Instant failingSince, long refusals, String lastRefusal,
                       Instant lastRefusalAt, String configError) {
    }

    public View view(Map<String, Long> backlog) {
        return view(backlog, List.of());
    }

    /**
     * As {@link #view(Map)}; {@code missingRoutes}: the target's route ids that the platform's CamelContext does not
     * run (a route that could not be added: state NOT_RUNNING, the ids in {@code lastError}).
     */
    public synchronized View view(Map<String, Long> backlog, List<String> missingRoutes) {
        String state = configError != null ? "MISCONFIGURED" : !missingRoutes.isEmpty() ? "NOT_RUNNING"
                : failingSince != null ? "FAILING" : "OK";
        String error = configError == null && !missingRoutes.isEmpty()
                ? "routes not running (see the log): " + String.join(", ", missingRoutes) : lastError;
        return new View(name, kind, state, destination, streams, communities,
                java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(backlog)), lastSuccessAt,
                error, lastErrorAt, failingSince, refusals, lastRefusal, lastRefusalAt, configError);
    }
}

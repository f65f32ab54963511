package org.gatehouse.integration.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.gatehouse.api.service.Scope;
import org.gatehouse.api.service.StreamConsumers;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * The targets configured now (the running and the rejected ones): their sinks, for notifications that name a target,
 * and their status with the backlog of each feed read from the stream consumers' positions.
 */
@Component(service = TargetBoard.class)
public class TargetBoard {
    private record Entry(TargetSpec spec, TargetStatus status, FeedSink sink) {
    }

    private final Map<String, Entry> targets = new ConcurrentHashMap<>();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile StreamConsumers consumers;

    /** The platform's CamelContext: whether each target's routes really run (one can fail to be added). */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            target = "(camel.context.name=gatehouse)")
    private volatile org.apache.camel.CamelContext camel;

    public TargetBoard() {
    }

    /** For tests: backlog from {@code consumers}. */
    public TargetBoard(StreamConsumers consumers) {
        this.consumers = consumers;
    }

    /** Adds a target; false when a target of that name is already there (the second one is refused). */
    public boolean add(String key, TargetSpec spec, TargetStatus status, FeedSink sink) {
        return targets.putIfAbsent(key, new Entry(spec, status, sink)) == null;
    }

    public void remove(String key, TargetStatus status) {
        targets.computeIfPresent(key, (k, e) -> e.status() == status ? null : e);
    }

    /** The running target of that name (with a sink). */
    public Optional<FeedSink> sink(String name) {
        Entry e = targets.get(name);
        return e == null || e.sink() == null ? Optional.empty() : Optional.of(e.sink());
    }

    /** The status of the running target of that name. */
    public Optional<TargetStatus> status(String name) {
        Entry e = targets.get(name);
        return e == null || e.sink() == null ? Optional.empty() : Optional.of(e.status());
    }

    public Optional<TargetSpec> spec(String name) {
        Entry e = targets.get(name);
        return e == null ? Optional.empty() : Optional.ofNullable(e.spec());
    }

    /**
     * The targets the caller may see, by name: all for a scope of everything; otherwise the ones feeding one of the
     * caller's communities (a target for all communities feeds theirs too). Rejected configurations only to the former.
     */
    public List<TargetStatus.View> views(Scope scope) {
        List<TargetStatus.View> out = new ArrayList<>();
        for (Entry e : targets.values()) {
            if (!visible(scope, e)) {
                continue;
            }
            out.add(e.status().view(backlog(e.spec()), missingRoutes(e)));
        }
        out.sort(Comparator.comparing(TargetStatus.View::name));
        return out;
    }

    private List<String> missingRoutes(Entry e) {
        org.apache.camel.CamelContext c = camel;
        if (c == null || e.spec() == null || e.sink() == null) {
            return List.of();
        }
        return e.spec().streams().stream().map(e.spec()::routeId).filter(id -> c.getRoute(id) == null).toList();
    }

    private static boolean visible(Scope scope, Entry e) {
        if (scope.everything()) {
            return true;
        }
        if (e.spec() == null) {
            return false;
        }
        return e.spec().communities().isEmpty()
                || e.spec().communities().stream().anyMatch(scope::allows);
    }

    private Map<String, Long> backlog(TargetSpec spec) {
        Map<String, Long> out = new LinkedHashMap<>();
        if (spec == null) {
            return out;
        }
        StreamConsumers c = consumers;
        for (String feed : spec.streams()) {
            long behind = -1;
            if (c != null) {
                try {
                    String stream = TargetSpec.sourceStream(feed);
                    long newest = c.newest(stream);
                    behind = c.consumer(spec.consumerId(feed)).map(s -> Math.max(0, newest - s.position()))
                            .orElse(-1L);
                } catch (RuntimeException e) {
                    behind = -1; // the store cannot say now
                }
            }
            out.put(feed, behind);
        }
        return out;
    }
}

package org.gatehouse.core.internal.camel;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;
import org.gatehouse.api.stream.Streams;

/**
 * {@code gatehouse:<stream>}: publish/subscribe between routes of any bundle in the platform context.
 * A producer (a route sending to {@code gatehouse:<stream>} inside the JVM) hands each message synchronously to
 * every consumer of the stream (each gets its own copy) and fails if any consumer failed. Stored events reach each
 * consumer from the outbox, on its own, through the {@link OutboxRelay}.
 */
public class StreamComponent extends DefaultComponent {
    private final Map<String, List<StreamConsumer>> consumers = new ConcurrentHashMap<>();

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        if (!Streams.ALL.contains(remaining)) {
            throw new IllegalArgumentException("Unknown stream '" + remaining + "' in " + uri
                    + "; the streams are " + String.join(", ", Streams.ALL.stream().sorted().toList()));
        }
        StreamEndpoint endpoint = new StreamEndpoint(uri, this, remaining);
        setProperties(endpoint, parameters);
        return endpoint;
    }

    public List<StreamConsumer> consumersOf(String stream) {
        return consumers.computeIfAbsent(stream, s -> new CopyOnWriteArrayList<>());
    }

    /** The running route of a consumer ({@code <stream>/<route id>}), if its route runs now. */
    public Optional<StreamConsumer> consumer(String consumerId) {
        int slash = consumerId == null ? -1 : consumerId.indexOf('/');
        if (slash < 0 || !Streams.ALL.contains(consumerId.substring(0, slash))) {
            return Optional.empty();
        }
        return consumersOf(consumerId.substring(0, slash)).stream().filter(c -> c.consumerId().equals(consumerId))
                .findFirst();
    }

    /** The ids of the consumers whose routes run now. */
    public Set<String> liveConsumerIds() {
        Set<String> live = new HashSet<>();
        for (String stream : Streams.ALL) {
            consumersOf(stream).forEach(c -> live.add(c.consumerId()));
        }
        return live;
    }

    /** How many routes consume each stream right now. */
    public Map<String, Integer> consumerCounts() {
        Map<String, Integer> counts = new TreeMap<>();
        for (String stream : Streams.ALL) {
            counts.put(stream, consumersOf(stream).size());
        }
        return counts;
    }
}

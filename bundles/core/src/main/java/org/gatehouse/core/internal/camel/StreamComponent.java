package org.gatehouse.core.internal.camel;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;
import org.gatehouse.api.stream.Streams;

/**
 * {@code gatehouse:<stream>}: publish/subscribe between routes of any bundle in the platform context.
 * A producer hands each message synchronously to every consumer of the stream (each gets its own copy)
 * and fails if any consumer failed, so that the outbox relay delivers it again (at least once).
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

    /** How many routes consume each stream right now. */
    public Map<String, Integer> consumerCounts() {
        Map<String, Integer> counts = new java.util.TreeMap<>();
        for (String stream : Streams.ALL) {
            counts.put(stream, consumersOf(stream).size());
        }
        return counts;
    }
}

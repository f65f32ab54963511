package org.gatehouse.core.internal.camel;

import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;

/** A route reading a stream; it subscribes while started. */
public class StreamConsumer extends DefaultConsumer {
    /**
     * The consumer's name in the store (its position, back-off and dead letters): {@code <stream>/<route id>}, so a
     * route file put back or fixed goes on where it was.
     */
    public String consumerId() {
        return getEndpoint().stream() + "/" + getRouteId();
    }

    /** When this route started reading (the "now" of a consumer seen for the first time). */
    private volatile java.time.Instant startedAt = java.time.Instant.now();

    /**
     * Where this consumer starts if the store does not know it yet: its endpoint's {@code startAt}, where "now" is
     * the moment the route started (so an event written between its start and the relay's next round is not missed).
     */
    public org.gatehouse.api.service.StreamConsumers.StartAt startAt() {
        var start = org.gatehouse.api.service.StreamConsumers.StartAt.parse(getEndpoint().getStartAt());
        return "now".equals(start.mode()) ? org.gatehouse.api.service.StreamConsumers.StartAt.at(startedAt) : start;
    }

    /** Hands one message to this route (a copy of {@code message}); returns what it failed with, or null. */
    public Exception deliver(org.apache.camel.Message message) {
        org.apache.camel.Exchange copy = createExchange(false);
        copy.getIn().copyFrom(message);
        try {
            getProcessor().process(copy);
        } catch (Exception e) {
            copy.setException(e);
        }
        Exception failure = copy.getException();
        releaseExchange(copy, false);
        return failure;
    }

    StreamConsumer(StreamEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
    }

    @Override
    public StreamEndpoint getEndpoint() {
        return (StreamEndpoint) super.getEndpoint();
    }

    @Override
    protected void doStart() throws Exception {
        startedAt = java.time.Instant.now();
        super.doStart();
        getEndpoint().getComponent().consumersOf(getEndpoint().stream()).add(this);
    }

    @Override
    protected void doStop() throws Exception {
        getEndpoint().getComponent().consumersOf(getEndpoint().stream()).remove(this);
        super.doStop();
    }
}

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

    /**
     * Hands one event of the outbox to this route and tells how it went ({@link Delivery}): the endpoints it reached
     * outside the platform are collected (for one audit row per outcome), and a target's HTTP status of 400 or more
     * is a failure even when the route's endpoint was told not to throw for it ({@code throwExceptionOnFailure=false}).
     */
    public Delivery deliverEvent(org.apache.camel.Message message) {
        org.apache.camel.Exchange copy = createExchange(false);
        copy.getIn().copyFrom(message);
        java.util.List<String> sentTo = new java.util.concurrent.CopyOnWriteArrayList<>();
        copy.setProperty(IntegrationAudit.SENT_TO, sentTo);
        // the body is JSON text: written out as UTF-8 (HTTP, files) whatever the JVM's default, so names in Chinese
        // reach a registry as they are (an HTTP body without a charset would otherwise go out as ISO-8859-1: "???")
        copy.setProperty(org.apache.camel.Exchange.CHARSET_NAME, java.nio.charset.StandardCharsets.UTF_8.name());
        try {
            getProcessor().process(copy);
        } catch (Exception e) {
            copy.setException(e);
        }
        Exception failure = copy.getException();
        Exception caught = copy.getProperty(org.apache.camel.Exchange.EXCEPTION_CAUGHT, Exception.class);
        Integer status = copy.getMessage().getHeader(org.apache.camel.Exchange.HTTP_RESPONSE_CODE, Integer.class);
        Delivery delivery;
        if (failure != null) {
            delivery = new Delivery(failure, false, null, sentTo);
        } else if (caught != null) {
            delivery = new Delivery(null, true, String.valueOf(caught.getMessage()), sentTo);
        } else if (status != null && status >= Delivery.FIRST_FAILED_STATUS && !sentTo.isEmpty()) {
            delivery = new Delivery(new IllegalStateException("the target answered HTTP " + status), false, null,
                    sentTo);
        } else {
            delivery = new Delivery(null, false, null, sentTo);
        }
        releaseExchange(copy, false);
        return delivery;
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

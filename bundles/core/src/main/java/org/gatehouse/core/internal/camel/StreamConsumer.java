package org.gatehouse.core.internal.camel;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.gatehouse.api.service.StreamConsumers.StartAt;

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
    private volatile Instant startedAt = Instant.now();

    /**
     * Where this consumer starts if the store does not know it yet: its endpoint's {@code startAt}, where "now" is
     * the moment the route started (so an event written between its start and the relay's next round is not missed).
     */
    public StartAt startAt() {
        StartAt start = StartAt.parse(getEndpoint().getStartAt());
        return "now".equals(start.mode()) ? StartAt.at(startedAt) : start;
    }

    /**
     * Hands one message to this route (a copy of {@code message}), as a producer inside the JVM does; returns what it
     * failed with, or null.
     */
    public Exception deliver(Message message) {
        Exchange copy = copyOf(message);
        run(copy);
        Exception failure = copy.getException();
        releaseExchange(copy, false);
        return failure;
    }

    /**
     * Hands one event of the outbox to this route and tells how it went ({@link Delivery}): the endpoints it reached
     * outside the platform are collected (for one audit row per outcome), and a target's HTTP status of 400 or more
     * is a failure even when the route's endpoint was told not to throw for it ({@code throwExceptionOnFailure=false}).
     */
    public Delivery deliverEvent(Message message) {
        Exchange copy = copyOf(message);
        List<String> sentTo = new CopyOnWriteArrayList<>();
        copy.setProperty(IntegrationAudit.SENT_TO, sentTo);
        // the body is JSON text: written out as UTF-8 (HTTP, files) whatever the JVM's default, so names in Chinese
        // reach a registry as they are (an HTTP body without a charset would otherwise go out as ISO-8859-1: "???")
        copy.setProperty(Exchange.CHARSET_NAME, StandardCharsets.UTF_8.name());
        run(copy);
        Delivery delivery = outcome(copy, sentTo);
        releaseExchange(copy, false);
        return delivery;
    }

    private Exchange copyOf(Message message) {
        Exchange copy = createExchange(false);
        copy.getIn().copyFrom(message);
        return copy;
    }

    private void run(Exchange exchange) {
        try {
            getProcessor().process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        }
    }

    private static Delivery outcome(Exchange done, List<String> sentTo) {
        Exception failure = done.getException();
        if (failure != null) {
            return new Delivery(failure, false, null, sentTo);
        }
        Exception caught = done.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        if (caught != null) {
            return new Delivery(null, true, String.valueOf(caught.getMessage()), sentTo);
        }
        Integer status = done.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        if (status != null && status >= Delivery.FIRST_FAILED_STATUS && !sentTo.isEmpty()) {
            return new Delivery(new IllegalStateException("the target answered HTTP " + status), false, null, sentTo);
        }
        return new Delivery(null, false, null, sentTo);
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
        startedAt = Instant.now();
        super.doStart();
        getEndpoint().getComponent().consumersOf(getEndpoint().stream()).add(this);
    }

    @Override
    protected void doStop() throws Exception {
        getEndpoint().getComponent().consumersOf(getEndpoint().stream()).remove(this);
        super.doStop();
    }
}

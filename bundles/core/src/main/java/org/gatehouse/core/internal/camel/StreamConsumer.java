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
        super.doStart();
        getEndpoint().getComponent().consumersOf(getEndpoint().stream()).add(this);
    }

    @Override
    protected void doStop() throws Exception {
        getEndpoint().getComponent().consumersOf(getEndpoint().stream()).remove(this);
        super.doStop();
    }
}

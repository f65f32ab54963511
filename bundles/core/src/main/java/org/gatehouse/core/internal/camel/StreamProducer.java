package org.gatehouse.core.internal.camel;

import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;
import org.gatehouse.api.stream.Streams;

/** Delivers a message to every current consumer of the stream, each with its own copy. */
public class StreamProducer extends DefaultProducer {
    StreamProducer(StreamEndpoint endpoint) {
        super(endpoint);
    }

    @Override
    public StreamEndpoint getEndpoint() {
        return (StreamEndpoint) super.getEndpoint();
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        String stream = getEndpoint().stream();
        exchange.getMessage().setHeader(Streams.HEADER_STREAM, stream);
        Exception firstFailure = null;
        for (StreamConsumer consumer : getEndpoint().getComponent().consumersOf(stream)) {
            Exchange copy = consumer.createExchange(false);
            copy.getIn().copyFrom(exchange.getMessage());
            try {
                consumer.getProcessor().process(copy);
            } catch (Exception e) {
                copy.setException(e);
            }
            if (copy.getException() != null && firstFailure == null) {
                firstFailure = copy.getException();
            }
            consumer.releaseExchange(copy, false);
        }
        if (firstFailure != null) {
            throw new StreamDeliveryException(stream, firstFailure);
        }
    }

    /** A consumer of the stream failed; the message counts as not delivered. */
    public static class StreamDeliveryException extends Exception {
        StreamDeliveryException(String stream, Exception cause) {
            super("A consumer of stream '" + stream + "' failed: " + cause.getMessage(), cause);
        }
    }
}

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
            Exception failure = consumer.deliver(exchange.getMessage());
            if (failure != null && firstFailure == null) {
                firstFailure = failure;
            }
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

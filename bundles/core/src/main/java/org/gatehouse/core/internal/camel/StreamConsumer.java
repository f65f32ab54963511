package org.gatehouse.core.internal.camel;

import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;

/** A route reading a stream; it subscribes while started. */
public class StreamConsumer extends DefaultConsumer {
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

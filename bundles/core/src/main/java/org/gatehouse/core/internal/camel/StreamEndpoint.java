package org.gatehouse.core.internal.camel;

import org.apache.camel.Consumer;
import org.apache.camel.MultipleConsumersSupport;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

/** One named stream. */
public class StreamEndpoint extends DefaultEndpoint implements MultipleConsumersSupport {
    private final String stream;
    /** Where a consumer seen for the first time starts: now (default), oldest, or an ISO-8601 instant. */
    private String startAt = "now";

    StreamEndpoint(String uri, StreamComponent component, String stream) {
        super(uri, component);
        this.stream = stream;
    }

    public String stream() {
        return stream;
    }

    public String getStartAt() {
        return startAt;
    }

    /** {@code ?startAt=oldest} (or {@code now}, or an ISO-8601 instant); anything else is refused with the choices. */
    public void setStartAt(String startAt) {
        org.gatehouse.api.service.StreamConsumers.StartAt.parse(startAt);
        this.startAt = startAt;
    }

    @Override
    public StreamComponent getComponent() {
        return (StreamComponent) super.getComponent();
    }

    @Override
    public Producer createProducer() {
        return new StreamProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        StreamConsumer consumer = new StreamConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    @Override
    public boolean isMultipleConsumersSupported() {
        return true;
    }

    @Override
    public boolean isSingleton() {
        return true;
    }
}

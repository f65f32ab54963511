package org.gatehouse.integration.internal;

import org.apache.camel.CamelContext;
import org.apache.camel.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.support.EventHelper;

/**
 * Tells Camel's event notifiers that an exchange went to a target outside the platform, as a {@code to(...)} would:
 * the platform's integration audit then writes one row per outcome of the event ({@code integration.delivered},
 * {@code integration.refused}, {@code integration.dead-letter}) naming {@link FeedSink#describe()} — this module's
 * sinks are plain clients, not Camel endpoints, so without this the audit would not see them.
 */
final class SentTo {
    private SentTo() {
    }

    static void report(Exchange exchange, FeedSink sink, long startedNanos) {
        CamelContext context = exchange.getContext();
        if (context == null) {
            return;
        }
        TargetEndpoint endpoint = new TargetEndpoint(sink.describe());
        endpoint.setCamelContext(context);
        EventHelper.notifyExchangeSent(context, exchange, endpoint,
                (System.nanoTime() - startedNanos) / 1_000_000L);
    }

    /** Names the target in the event; it makes neither producers nor consumers. */
    private static final class TargetEndpoint extends DefaultEndpoint {
        TargetEndpoint(String uri) {
            super(uri, null);
        }

        @Override
        public Producer createProducer() {
            throw new UnsupportedOperationException("only names a target");
        }

        @Override
        public Consumer createConsumer(Processor processor) {
            throw new UnsupportedOperationException("only names a target");
        }

        @Override
        public boolean isSingleton() {
            return true;
        }
    }
}

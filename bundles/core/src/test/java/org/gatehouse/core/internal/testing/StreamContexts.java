package org.gatehouse.core.internal.testing;

import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.gatehouse.api.stream.Streams;
import org.gatehouse.core.internal.camel.StreamComponent;

/** A started Camel context with the {@code gatehouse:} streams, as the platform's, for tests. */
public final class StreamContexts {
    private StreamContexts() {
    }

    /** Started, with {@code routes} added after the start (as the platform adds routes). */
    public static CamelContext started(RoutesBuilder... routes) throws Exception {
        CamelContext context = new DefaultCamelContext();
        context.addComponent(Streams.SCHEME, new StreamComponent());
        context.start();
        for (RoutesBuilder r : routes) {
            context.addRoutes(r);
        }
        return context;
    }
}

package org.gatehouse.itests;

import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/**
 * Put into a bundle of its own at test time: a module that plugs a route into the platform by
 * registering a {@link RoutesBuilder} service. Its route listens to the passages stream.
 */
public class ItestRoutes extends RouteBuilder implements BundleActivator {
    public static final String ROUTE_ID = "itest-passages";
    public static final String MOCK = "mock:itest-passages";

    @Override
    public void configure() {
        from("gatehouse:passages").routeId(ROUTE_ID).to(MOCK);
    }

    @Override
    public void start(BundleContext context) {
        context.registerService(RoutesBuilder.class, new ItestRoutes(), null);
    }

    @Override
    public void stop(BundleContext context) {
        // the framework unregisters the service; the platform then removes the route
    }
}

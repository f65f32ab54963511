package org.gatehouse.core.internal.camel;

import org.apache.camel.CamelContext;
import org.apache.camel.core.osgi.OsgiDefaultCamelContext;
import org.gatehouse.api.stream.Streams;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * The one CamelContext of the platform, published as a service so that the route whiteboard, route
 * files and other bundles share it. It knows the {@code gatehouse:} stream component from the start.
 * Routes are only ever added after {@link #start()} (routes added before start did not start in OSGi).
 */
@Component(service = CamelContext.class, immediate = true, property = "camel.context.name=" + GatehouseCamelContext.NAME)
public class GatehouseCamelContext extends OsgiDefaultCamelContext {
    public static final String NAME = "gatehouse";
    public static final String TARGET = "(camel.context.name=" + NAME + ")";

    @Activate
    public GatehouseCamelContext(BundleContext bundleContext) {
        super(bundleContext);
        setName(NAME);
        addComponent(Streams.SCHEME, new StreamComponent());
        start();
    }

    @Deactivate
    void deactivate() {
        stop();
    }
}

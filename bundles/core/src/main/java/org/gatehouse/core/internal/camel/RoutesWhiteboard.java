package org.gatehouse.core.internal.camel;

import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whiteboard: every {@link RoutesBuilder} service any bundle registers gets its routes added to the
 * platform context; when the service goes (its bundle stops), its routes are stopped and removed.
 */
@Component(immediate = true, service = RoutesWhiteboard.class)
public class RoutesWhiteboard {
    private static final Logger LOG = LoggerFactory.getLogger(RoutesWhiteboard.class);

    private final OwnedRoutes routes;

    @Activate
    public RoutesWhiteboard(@Reference(target = GatehouseCamelContext.TARGET) CamelContext context) {
        this.routes = new OwnedRoutes(context);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addRoutesBuilder(RoutesBuilder builder) {
        try {
            routes.add(builder, builder);
        } catch (Exception e) {
            LOG.error("Routes of {} could not be added: {}", builder, e.getMessage(), e);
        }
    }

    void removeRoutesBuilder(RoutesBuilder builder) {
        routes.remove(builder);
    }

    OwnedRoutes routes() {
        return routes;
    }
}

package org.gatehouse.visitor.internal;

import java.time.Instant;

import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link Visits#sweep} every {@code sweepMinutes} (first run one minute after start), as a
 * timer route of the platform's CamelContext.
 */
@Component(service = RoutesBuilder.class, configurationPid = VisitorConfig.PID)
public class VisitorSweeper extends RouteBuilder {
    private static final Logger LOG = LoggerFactory.getLogger(VisitorSweeper.class);
    static final String ROUTE_ID = "gatehouse-visitor-sweep";

    private final Visits visits;
    private final int minutes;

    @Activate
    public VisitorSweeper(@Reference Visits visits, VisitorConfig config) {
        this.visits = visits;
        this.minutes = config.sweepMinutes();
    }

    @Override
    public void configure() {
        if (minutes <= 0) {
            return;
        }
        from("timer:" + ROUTE_ID + "?delay=60000&period=" + minutes * 60_000L).routeId(ROUTE_ID)
                .routeDescription("Closes ended visits and forgets their visitors' faces")
                .process(exchange -> {
                    try {
                        visits.sweep(Instant.now());
                    } catch (RuntimeException e) {
                        LOG.warn("Visitor sweep failed, retried next round: {}", e.toString());
                    }
                });
    }
}

package org.gatehouse.gate.internal;

import java.time.Instant;

import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Runs {@link DeviceLiveness#sweep} every {@code offlineCheckSeconds}, as a timer route of the platform's CamelContext. */
@Component(service = RoutesBuilder.class, configurationPid = GateConfig.PID)
public class OfflineWatch extends RouteBuilder {
    static final String ROUTE_ID = "gatehouse-gate-offline-watch";

    private final DeviceLiveness liveness;
    private final int seconds;

    @Activate
    public OfflineWatch(@Reference DeviceLiveness liveness, GateConfig config) {
        this.liveness = liveness;
        this.seconds = config.offlineCheckSeconds();
    }

    @Override
    public void configure() {
        if (seconds <= 0) {
            return;
        }
        from("timer:" + ROUTE_ID + "?delay=" + seconds * 1000L + "&period=" + seconds * 1000L).routeId(ROUTE_ID)
                .routeDescription("Raises one DEVICE_OFFLINE alert per device not heard for offlineAfterSeconds")
                .process(exchange -> liveness.sweep(Instant.now()));
    }
}

package org.gatehouse.welfare.internal;

import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.gatehouse.api.service.Scope;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the welfare checks as of now every {@code checkMinutes}, as a timer route of the platform's CamelContext. */
@Component(service = RoutesBuilder.class, configurationPid = WelfareConfig.PID)
public class WelfareSchedule extends RouteBuilder {
    static final String ROUTE_ID = "gatehouse-welfare-check";
    private static final Logger LOG = LoggerFactory.getLogger(WelfareSchedule.class);
    private final WelfareChecks checks;
    private final int minutes;

    @Activate
    public WelfareSchedule(@Reference WelfareChecks checks, WelfareConfig config) {
        this.checks = checks;
        this.minutes = config.checkMinutes();
    }

    @Override
    public void configure() {
        if (minutes <= 0) {
            return;
        }
        from("timer:" + ROUTE_ID + "?delay=60000&period=" + minutes * 60_000L).routeId(ROUTE_ID)
                .routeDescription("Welfare: inactivity watch, idle flats, sublease signs as of now")
                .process(exchange -> {
                    try {
                        checks.run(Scope.all(), null);
                    } catch (RuntimeException e) {
                        LOG.warn("Welfare check failed, tried again next round: {}", e.toString());
                    }
                });
    }
}

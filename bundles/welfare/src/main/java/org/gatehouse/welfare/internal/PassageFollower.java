package org.gatehouse.welfare.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.gatehouse.api.json.ApiJson;
import org.gatehouse.api.model.PassageEvent;
import org.gatehouse.api.stream.Streams;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows {@code gatehouse:passages} with a position of its own: a passage of a resident closes that resident's
 * open inactivity alert at once (the scheduled check would also close it, later). A failure (database down) fails
 * the delivery, which the stream retries; closing twice is harmless.
 */
@Component(service = RoutesBuilder.class)
public class PassageFollower extends RouteBuilder {
    static final String ROUTE_ID = "gatehouse-welfare-passages";
    private static final Logger LOG = LoggerFactory.getLogger(PassageFollower.class);
    private static final ObjectMapper JSON = ApiJson.lenient();
    private final WelfareChecks checks;

    @Activate
    public PassageFollower(@Reference WelfareChecks checks) {
        this.checks = checks;
    }

    @Override
    public void configure() {
        from(Streams.uri(Streams.PASSAGES)).routeId(ROUTE_ID)
                .routeDescription("Welfare: a resident's passage closes their inactivity alert by itself")
                .process(exchange -> handle(exchange.getIn().getBody(String.class)));
    }

    /** Handles one passage (JSON of the api record); returns how many alerts it closed. */
    int handle(String json) {
        PassageEvent passage;
        try {
            passage = JSON.readValue(json == null ? "" : json, PassageEvent.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            LOG.warn("Unreadable passage skipped by the welfare watch: {}", e.getMessage());
            return 0;
        }
        return passage == null ? 0 : checks.passed(passage);
    }
}

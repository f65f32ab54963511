package org.gatehouse.gate.ui;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.gatehouse.api.json.ApiJson;
import org.gatehouse.api.stream.Streams;
import org.gatehouse.portal.api.Doc;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The live passage feed: follows {@code gatehouse:passages} (from now on) in the platform's Camel context and hands
 * each passage to the open live screens of its community, which push it to their browsers. Nothing is kept: a
 * screen that opens later reads the recent passages from the API.
 */
@Component(service = {RoutesBuilder.class, PassageFeed.class})
public class PassageFeed extends RouteBuilder {
    static final String ROUTE_ID = "gatehouse-portal-live-passages";
    private static final Logger LOG = LoggerFactory.getLogger(PassageFeed.class);
    private static final ObjectMapper JSON = ApiJson.lenient();

    private record Listener(String communityId, Consumer<Doc> consumer) {
    }

    private final CopyOnWriteArrayList<Listener> listeners = new CopyOnWriteArrayList<>();

    @Override
    public void configure() {
        from(Streams.uri(Streams.PASSAGES) + "?startAt=now").routeId(ROUTE_ID)
                .routeDescription("Portal: passages to the live screens open now")
                .process(exchange -> publish(exchange.getIn().getBody(String.class)));
    }

    /** Hands one passage (its JSON) to the listeners of its community; a malformed one is logged and dropped. */
    @SuppressWarnings("unchecked")
    void publish(String json) {
        Doc passage;
        try {
            passage = Doc.of(JSON.readValue(json, Map.class));
        } catch (Exception e) {
            LOG.warn("Live feed: a passage event that is not JSON was dropped: {}", e.toString());
            return;
        }
        for (Listener l : listeners) {
            if (l.communityId().equals(passage.text("communityId"))) {
                try {
                    l.consumer().accept(passage);
                } catch (RuntimeException e) {
                    // a screen that went away: its own detach removes it
                    LOG.debug("Live feed listener failed: {}", e.toString());
                }
            }
        }
    }

    /** Passages of {@code communityId} to {@code consumer} until the returned action is run. */
    Runnable subscribe(String communityId, Consumer<Doc> consumer) {
        Listener l = new Listener(Objects.requireNonNull(communityId), Objects.requireNonNull(consumer));
        listeners.add(l);
        return () -> listeners.remove(l);
    }

    int listeners() {
        return listeners.size();
    }
}

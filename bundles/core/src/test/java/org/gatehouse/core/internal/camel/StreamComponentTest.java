package org.gatehouse.core.internal.camel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.gatehouse.api.stream.Streams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StreamComponentTest {
    private CamelContext context;
    private final List<String> first = new CopyOnWriteArrayList<>();
    private final List<String> second = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        context = new DefaultCamelContext();
        context.addComponent(Streams.SCHEME, new StreamComponent());
        context.start();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("gatehouse:passages").routeId("a").process(e -> first.add(e.getIn().getBody(String.class)));
                from("gatehouse:passages").routeId("b").process(e -> second.add(e.getIn().getBody(String.class)
                        + "/" + e.getIn().getHeader(Streams.HEADER_EVENT_ID)));
            }
        });
    }

    @AfterEach
    void stop() {
        context.stop();
    }

    @Test
    void everyConsumerGetsEveryMessage() {
        context.createProducerTemplate().sendBodyAndHeader("gatehouse:passages", "p1", Streams.HEADER_EVENT_ID, "e1");
        assertEquals(List.of("p1"), first);
        assertEquals(List.of("p1/e1"), second);
        assertEquals(2, context.getComponent(Streams.SCHEME, StreamComponent.class).consumerCounts().get("passages"));
    }

    @Test
    void aFailingConsumerFailsTheSenderButOthersStillReceive() throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("gatehouse:passages").routeId("broken").throwException(new IllegalStateException("boom"));
            }
        });
        CamelExecutionException e = assertThrows(CamelExecutionException.class,
                () -> context.createProducerTemplate().sendBody("gatehouse:passages", "p2"));
        assertTrue(e.getCause().getMessage().contains("boom"), e.getCause().getMessage());
        assertEquals(List.of("p2"), first);
    }

    @Test
    void stoppedRoutesNoLongerReceive() throws Exception {
        context.getRouteController().stopRoute("a");
        context.createProducerTemplate().sendBody("gatehouse:passages", "p3");
        assertEquals(List.of(), first);
        assertEquals(1, second.size());
    }

    @Test
    void noConsumerIsNotAnError() {
        context.createProducerTemplate().sendBody("gatehouse:alerts", "nobody listens");
    }

    @Test
    void unknownStreamIsRefusedWithTheKnownNames() {
        ResolveEndpointFailedException e = assertThrows(ResolveEndpointFailedException.class,
                () -> context.getEndpoint("gatehouse:passagez"));
        assertTrue(e.getMessage().contains("Unknown stream 'passagez'"), e.getMessage());
        assertTrue(e.getMessage().contains("population-changes"), e.getMessage());
    }
}

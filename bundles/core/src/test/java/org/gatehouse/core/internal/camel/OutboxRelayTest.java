package org.gatehouse.core.internal.camel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.gatehouse.api.stream.Streams;
import org.gatehouse.core.internal.testing.MemoryOutbox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.util.converter.Converters;

class OutboxRelayTest {
    private final MemoryOutbox outbox = new MemoryOutbox();
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final AtomicBoolean consumerBroken = new AtomicBoolean();
    private CamelContext context;
    private ProducerTemplate template;
    private OutboxRelay relay;

    @BeforeEach
    void start() throws Exception {
        context = new DefaultCamelContext();
        context.addComponent(Streams.SCHEME, new StreamComponent());
        context.start();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("gatehouse:passages").routeId("consumer").process(e -> {
                    if (consumerBroken.get()) {
                        throw new IllegalStateException("consumer down");
                    }
                    received.add(e.getIn().getHeader(Streams.HEADER_EVENT_ID, String.class));
                });
            }
        });
        template = context.createProducerTemplate();
        relay = new OutboxRelay(outbox, config(500, 2));
    }

    @AfterEach
    void stop() {
        context.stop();
    }

    @Test
    void publishesInOrderAndMarksPublished() {
        outbox.append("passages", "p1", "c", "{}");
        outbox.append("passages", "p2", "c", "{}");
        outbox.append("passages", "p3", "c", "{}");
        outbox.append("passages", "p1", "c", "{}"); // duplicate id: ignored
        assertEquals(2, relay.relay(template)); // batch size 2
        assertEquals(1, relay.relay(template));
        assertEquals(List.of("p1", "p2", "p3"), received);
        assertEquals(0, outbox.pendingCount());
    }

    @Test
    void aFailingConsumerKeepsTheEventPendingUntilItRecovers() {
        outbox.append("passages", "p1", "c", "{}");
        outbox.append("passages", "p2", "c", "{}");
        consumerBroken.set(true);
        assertEquals(0, relay.relay(template));
        assertEquals(2, outbox.pendingCount());
        assertEquals(1, outbox.pending(10).get(0).attempts());
        consumerBroken.set(false);
        relay.relay(template);
        assertEquals(List.of("p1", "p2"), received);
        assertEquals(0, outbox.pendingCount());
    }

    @Test
    void databaseDownLosesNothing() {
        outbox.append("passages", "p1", "c", "{}");
        outbox.down = true;
        assertEquals(0, relay.relay(template));
        outbox.down = false;
        assertEquals(1, relay.relay(template));
        assertEquals(List.of("p1"), received);
    }

    static OutboxRelay.Config config(long period, int batch) {
        return Converters.standardConverter().convert(Map.of("periodMillis", period, "batchSize", batch))
                .to(OutboxRelay.Config.class);
    }
}

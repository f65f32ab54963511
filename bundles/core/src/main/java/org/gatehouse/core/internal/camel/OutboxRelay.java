package org.gatehouse.core.internal.camel;

import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.gatehouse.api.service.OutboxRepository;
import org.gatehouse.api.service.OutboxRepository.OutboxEntry;
import org.gatehouse.api.service.StoreUnavailableException;
import org.gatehouse.api.stream.Streams;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes what the store's outbox holds onto the streams, oldest first, and marks each entry once
 * every consumer took it. A failing consumer or a database that is down leaves the entry pending; the
 * next round tries again, so delivery is at least once and in order per stream.
 */
@Component(service = RoutesBuilder.class, configurationPid = "org.gatehouse.core.outbox")
@Designate(ocd = OutboxRelay.Config.class)
public class OutboxRelay extends RouteBuilder {
    private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);
    static final String ROUTE_ID = "gatehouse-outbox-relay";

    @ObjectClassDefinition(name = "Gatehouse outbox relay", description = "Publishes stored events on the streams")
    public @interface Config {
        @AttributeDefinition(description = "Milliseconds between two rounds", min = "10", max = "60000")
        long periodMillis() default 500;

        @AttributeDefinition(description = "Entries published per round at most", min = "1", max = "10000")
        int batchSize() default 200;
    }

    private final OutboxRepository outbox;
    private final Config config;

    @Activate
    public OutboxRelay(@Reference OutboxRepository outbox, Config config) {
        this.outbox = outbox;
        this.config = config;
    }

    @Override
    public void configure() {
        from("timer:gatehouse-outbox?delay=500&period=" + config.periodMillis())
                .routeId(ROUTE_ID)
                .routeDescription("Publishes the store's outbox on the gatehouse: streams")
                .process(this::relay);
    }

    void relay(Exchange trigger) {
        ProducerTemplate template = trigger.getContext().createProducerTemplate();
        try {
            relay(template);
        } finally {
            try {
                template.stop();
            } catch (Exception ignored) {
                // nothing to release beyond the template's own producers
            }
        }
    }

    /** One round; returns how many entries were published. */
    int relay(ProducerTemplate template) {
        List<OutboxEntry> entries;
        try {
            entries = outbox.pending(config.batchSize());
        } catch (StoreUnavailableException e) {
            LOG.debug("Outbox not readable, database down: {}", e.getMessage());
            return 0;
        }
        int published = 0;
        java.util.Set<String> blocked = new java.util.HashSet<>();
        for (OutboxEntry entry : entries) {
            if (blocked.contains(entry.stream())) {
                continue; // keep each stream in order: nothing overtakes an entry that failed
            }
            Exchange result = template.send(Streams.uri(entry.stream()), exchange -> {
                exchange.getIn().setBody(entry.payloadJson());
                exchange.getIn().setHeader(Streams.HEADER_EVENT_ID, entry.eventId());
                exchange.getIn().setHeader(Streams.HEADER_COMMUNITY_ID, entry.communityId());
            });
            try {
                if (result.getException() != null) {
                    blocked.add(entry.stream());
                    LOG.warn("Delivery of {} {} failed (attempt {}): {}", entry.stream(), entry.eventId(),
                            entry.attempts() + 1, result.getException().getMessage());
                    outbox.markFailed(entry.sequence(), String.valueOf(result.getException().getMessage()));
                } else {
                    outbox.markPublished(entry.sequence());
                    published++;
                }
            } catch (StoreUnavailableException e) {
                LOG.debug("Database went down while relaying: {}", e.getMessage());
                return published;
            }
        }
        return published;
    }
}

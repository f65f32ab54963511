package org.gatehouse.integration.internal;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.camel.CamelContext;
import org.apache.camel.Message;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.DefaultMessage;
import org.apache.camel.support.EventNotifierSupport;
import org.gatehouse.api.stream.Streams;
import org.gatehouse.core.internal.camel.Delivery;
import org.gatehouse.core.internal.camel.StreamComponent;
import org.gatehouse.core.internal.camel.StreamConsumer;

/**
 * The platform's stream component in a Camel context, and events handed to a consumer the way the outbox relay does
 * ({@link StreamConsumer#deliverEvent}): a failed delivery is tried again, in order; a handled refusal is taken.
 * Records what the audit would see (the endpoints reported as sent to).
 */
final class FeedHarness implements AutoCloseable {
    final CamelContext context = new DefaultCamelContext();
    final StreamComponent streams = new StreamComponent();
    final List<String> sentTo = new CopyOnWriteArrayList<>();

    FeedHarness() throws Exception {
        context.addComponent(Streams.SCHEME, streams);
        context.getManagementStrategy().addEventNotifier(new EventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) {
                if (event instanceof CamelEvent.ExchangeSentEvent sent) {
                    sentTo.add(sent.getEndpoint().getEndpointUri());
                }
            }
        });
        context.start();
    }

    FeedHarness routes(RoutesBuilder builder) throws Exception {
        context.addRoutes(builder);
        return this;
    }

    StreamConsumer consumer(String consumerId) {
        return streams.consumer(consumerId).orElseThrow(() -> new AssertionError("no consumer " + consumerId
                + "; live: " + streams.liveConsumerIds()));
    }

    /** One attempt at one event, as the relay makes it. */
    Delivery deliver(String consumerId, String stream, String eventId, String communityId, String json) {
        Message m = new DefaultMessage(context);
        m.setBody(json);
        m.setHeader(Streams.HEADER_EVENT_ID, eventId);
        m.setHeader(Streams.HEADER_COMMUNITY_ID, communityId);
        m.setHeader(Streams.HEADER_STREAM, stream);
        return consumer(consumerId).deliverEvent(m);
    }

    static String populationChange(String id, String community, String type, String name) {
        return """
            {"id":"%s","communityId":"%s","type":"%s","residentId":"r-%s","householdId":"h1","unitId":"u1",
             "occurredAt":"2026-12-01T02:00:00Z","detail":"role TENANT",
             "person":{"name":"%s","role":"TENANT","birthDate":null,"phone":null,"idNumber":null},
             "flat":{"buildingId":"b1","buildingCode":"B3","buildingName":"3号楼","stairway":"2","floor":12,"number":"1203"}}
            """.formatted(id, community, type, id, name);
    }

    static String alert(String id, String community, String type, String subject, String message) {
        return """
            {"id":"%s","communityId":"%s","type":"%s","severity":"CRITICAL","status":"OPEN","subjectId":"%s",
             "message":"%s","raisedAt":"2026-12-01T00:00:00Z","acknowledgements":[]}
            """.formatted(id, community, type, subject, message);
    }

    static String passage(String id, String community, String device, String at, String verdict) {
        return """
            {"id":"%s","communityId":"%s","deviceId":"%s","occurredAt":"%s","direction":"IN","subjectType":"RESIDENT",
             "subjectId":"r1","credentialKind":"FACE","decision":{"verdict":"%s","reasons":[],"scores":{}}}
            """.formatted(id, community, device, at, verdict);
    }

    /** A clock a test moves. */
    static final class MovableClock extends Clock {
        volatile Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            MovableClock outer = this;
            return new Clock() {
                @Override
                public ZoneId getZone() {
                    return zone;
                }

                @Override
                public Clock withZone(ZoneId z) {
                    return outer.withZone(z);
                }

                @Override
                public Instant instant() {
                    return outer.now;
                }
            };
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    static Map<String, Object> config(Object... keyValues) {
        Map<String, Object> m = new java.util.HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    @Override
    public void close() {
        context.stop();
    }
}

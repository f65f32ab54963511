package org.gatehouse.core.internal.camel;

import java.util.Set;

import org.apache.camel.Exchange;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.gatehouse.api.stream.Streams;
import org.gatehouse.core.api.AuditTrail;

/**
 * Audits what integration routes send out of the platform. An event the outbox relay delivers collects the endpoints
 * outside the JVM it reached (file, HTTP, JMS, MQTT, Kafka…, without their query, which may hold credentials) in
 * {@link #SENT_TO}, and the relay writes one audit row per outcome. Any other exchange from a {@code gatehouse:}
 * stream sent out is appended here as {@code integration.send}, with the route, the endpoint, the stream and the
 * event id.
 */
public class IntegrationAudit extends EventNotifierSupport {
    /** Endpoints that stay inside the platform's JVM. */
    static final Set<String> INTERNAL = Set.of(Streams.SCHEME, "direct", "direct-vm", "seda", "vm", "mock", "log",
            "timer", "scheduler", "bean", "class", "controlbus", "stub", "ref", "language", "browse", "dataset",
            "validator", "xslt", "xpath", "dataformat");

    /**
     * Exchange property holding a list that collects the endpoints an outbox delivery reached: the relay then audits
     * the delivery's outcome once (delivered, dead letter, handled refusal) instead of every send and retry.
     */
    static final String SENT_TO = "GatehouseSentTo";

    private final AuditTrail audit;

    /** Install before the context starts (Camel decides then whether to emit exchange events). */
    IntegrationAudit(AuditTrail audit) {
        this.audit = audit;
    }

    @Override
    public void notify(CamelEvent event) {
        if (!(event instanceof CamelEvent.ExchangeSentEvent sent)) {
            return;
        }
        String uri = sent.getEndpoint().getEndpointUri();
        Exchange exchange = sent.getExchange();
        String stream = exchange.getIn().getHeader(Streams.HEADER_STREAM, String.class);
        if (stream == null || !leavesPlatform(uri)) {
            return;
        }
        @SuppressWarnings("unchecked")
        java.util.List<String> sentTo = exchange.getProperty(SENT_TO, java.util.List.class);
        if (sentTo != null) {
            String target = withoutQuery(uri);
            if (!sentTo.contains(target)) {
                sentTo.add(target);
            }
            return;
        }
        audit.recordQuietly("route:" + exchange.getFromRouteId(), "integration.send",
                exchange.getIn().getHeader(Streams.HEADER_COMMUNITY_ID, String.class), null,
                "stream " + stream + ", event " + exchange.getIn().getHeader(Streams.HEADER_EVENT_ID, String.class)
                        + " -> " + withoutQuery(uri) + (exchange.isFailed() ? " (failed)" : ""));
    }

    static boolean leavesPlatform(String uri) {
        int colon = uri.indexOf(':');
        return colon > 0 && !INTERNAL.contains(uri.substring(0, colon));
    }

    static String withoutQuery(String uri) {
        int q = uri.indexOf('?');
        return q < 0 ? uri : uri.substring(0, q);
    }
}

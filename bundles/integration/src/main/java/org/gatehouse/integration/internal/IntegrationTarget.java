package org.gatehouse.integration.internal;

import java.time.Clock;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.RoutesBuilder;
import org.gatehouse.api.stream.Streams;
import org.gatehouse.integration.internal.FeedSink.TargetRefusedException;
import org.gatehouse.integration.internal.TargetSpec.InvalidTargetException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One feed target (a factory configuration {@code org.gatehouse.integration.target}): per feed a route
 * {@code gatehouse-integration-<target>-<feed>} reading its stream as a consumer of its own, so one target down holds
 * up no other and its events wait at its position. A malformed configuration adds no route: the error is logged and
 * shown in the target's status.
 */
@Component(service = RoutesBuilder.class, configurationPid = TargetConfig.FACTORY_PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = TargetConfig.class, factory = true)
public class IntegrationTarget extends RouteBuilder {
    private static final Logger LOG = LoggerFactory.getLogger(IntegrationTarget.class);
    private final TargetBoard board;
    private final Clock clock;
    private final String key;
    private final TargetSpec spec;
    private final FeedSink sink;
    private final TargetStatus status;
    private final PassageSummary summary;

    @Activate
    public IntegrationTarget(@Reference TargetBoard board, Map<String, Object> properties) {
        this(board, properties, Clock.systemUTC());
    }

    public IntegrationTarget(TargetBoard board, Map<String, ?> properties, Clock clock) {
        this.board = board;
        this.clock = clock;
        TargetSpec parsed = null;
        String error = null;
        try {
            parsed = TargetSpec.parse(properties);
        } catch (InvalidTargetException e) {
            error = e.getMessage();
        }
        String name = TargetSpec.text(properties, "name");
        String key = name.isEmpty() ? "(" + TargetSpec.text(properties, "service.pid") + ")" : name;
        FeedSink made = parsed == null ? null : sinkFor(parsed, clock);
        TargetStatus st = made == null ? TargetStatus.rejected(key, TargetSpec.text(properties, "kind"), error)
                : TargetStatus.of(parsed, made);
        if (!board.add(key, parsed, st, made)) {
            error = "target '" + key + "': another configuration already has this name; this one is ignored";
            if (made != null) {
                made.close();
            }
            made = null;
            parsed = null;
            st = null;
        }
        if (error != null) {
            LOG.error("Integration target rejected, it runs nothing: {}", error);
        }
        this.key = key;
        this.spec = parsed;
        this.sink = made;
        this.status = st;
        this.summary = parsed != null && parsed.streams().contains(TargetSpec.PASSAGES_SUMMARY)
                ? new PassageSummary(parsed, made, st, clock) : null;
    }

    static FeedSink sinkFor(TargetSpec spec, Clock clock) {
        return switch (spec.kind()) {
            case WEBHOOK -> new WebhookSink(spec.url(), spec.secret(), spec.timeout(), spec.tls(), spec.trustStore());
            case CSV -> new CsvDropSink(spec.name(), spec.directory(), spec.zone(), clock, spec.fields());
            case MQTT -> new MqttSink(spec);
        };
    }

    public TargetStatus status() {
        return status;
    }

    public PassageSummary summary() {
        return summary;
    }

    @Override
    public void configure() {
        if (spec == null) {
            return;
        }
        // the relay logs each failed attempt (and retries): no stack trace per attempt from Camel as well
        errorHandler(defaultErrorHandler().logExhausted(false));
        // a receiver's refusal (4xx) is recorded and audited (integration.refused) and the stream goes on: handled in
        // deliver(), not by onException(TargetRefusedException.class) — Camel resolves an onException class by name
        // through the CamelContext's class loader (the core bundle's), which cannot see this bundle's internals
        for (String feed : spec.streams()) {
            String from = Streams.uri(TargetSpec.sourceStream(feed)) + "?startAt=" + spec.startAt();
            if (TargetSpec.PASSAGES_SUMMARY.equals(feed)) {
                from(from).routeId(spec.routeId(feed))
                        .routeDescription("Counts passages per hour, door and verdict for target " + spec.name())
                        .process(e -> summary.count(e.getIn().getBody(String.class)));
                from("timer:" + spec.routeId(feed) + "-send?delay=5000&period=60000")
                        .routeId(spec.routeId(feed) + "-send")
                        .routeDescription("Sends the passage summaries of finished periods to target " + spec.name())
                        .process(e -> summary.sendDue(e));
            } else {
                from(from).routeId(spec.routeId(feed))
                        .routeDescription("Feeds " + feed + " to " + sink.describe())
                        .process(e -> deliver(e, feed));
            }
        }
    }

    /** One event of a feed to the target; throws when it did not get there (the consumer tries again). */
    void deliver(Exchange exchange, String feed) throws Exception {
        String community = exchange.getIn().getHeader(Streams.HEADER_COMMUNITY_ID, String.class);
        if (community != null && !spec.feeds(community)) {
            return; // another community's event: taken, nothing sent
        }
        JsonNode event = EventFields.JSON.readTree(exchange.getIn().getBody(String.class));
        String id = exchange.getIn().getHeader(Streams.HEADER_EVENT_ID, event.path("id").asText(), String.class);
        try {
            send(exchange, new Outgoing(feed, id, community != null ? community : event.path("communityId").asText(),
                    EventFields.select(event, spec.fields())), sink, status, clock);
        } catch (TargetRefusedException refused) {
            // as onException(...).handled(true) would: the consumer moves on and the core audits the refusal
            exchange.setProperty(Exchange.EXCEPTION_CAUGHT, refused);
        }
    }

    /** Sends, records the outcome in the status and reports where it went (for the audit); rethrows a failure. */
    static void send(Exchange exchange, Outgoing out, FeedSink sink, TargetStatus status, Clock clock)
            throws Exception {
        long started = System.nanoTime();
        try {
            sink.send(out);
            status.succeeded(clock.instant());
        } catch (TargetRefusedException refused) {
            status.refused(clock.instant(), refused.getMessage());
            LOG.warn("Integration target {} refused {} event {}: {}", status.name(), out.feed(), out.eventId(),
                    refused.getMessage());
            throw refused;
        } catch (Exception e) {
            status.failed(clock.instant(), String.valueOf(e.getMessage()));
            throw e;
        } finally {
            if (exchange != null) {
                SentTo.report(exchange, sink, started);
            }
        }
    }

    @Deactivate
    void deactivate() {
        if (status != null) {
            board.remove(key, status);
        }
        if (sink != null) {
            sink.close();
        }
    }

    @Override
    public String toString() {
        return "integration target " + key;
    }
}

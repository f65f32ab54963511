package org.gatehouse.core.internal.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.gatehouse.api.model.Alert;
import org.gatehouse.api.model.AlertStatus;
import org.gatehouse.api.model.AlertType;
import org.gatehouse.api.model.Community;
import org.gatehouse.api.service.CommunityRepository;
import org.gatehouse.api.service.StreamConsumers.StartAt;
import org.gatehouse.api.stream.Streams;
import org.gatehouse.core.internal.camel.StreamAdmin;
import org.gatehouse.core.internal.camel.StreamComponent;
import org.gatehouse.core.internal.testing.MemoryAlerts;
import org.gatehouse.core.internal.testing.MemoryOutbox;
import org.gatehouse.core.internal.testing.MemoryStreamConsumers;
import org.gatehouse.core.internal.testing.MovableClock;
import org.gatehouse.core.internal.testing.StreamContexts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A consumer failing for too long: one alert per stuck period, closed when it recovers; health DEGRADED meanwhile. */
class StuckConsumerWatchTest {
    private static final String CONSUMER = "passages/police-feed";
    private final MemoryOutbox outbox = new MemoryOutbox();
    private final MemoryStreamConsumers consumers = new MemoryStreamConsumers(outbox);
    private final MemoryAlerts alerts = new MemoryAlerts();
    private final MovableClock clock = new MovableClock();
    private CamelContext context;
    private StuckConsumerWatch watch;

    @BeforeEach
    void start() throws Exception {
        context = StreamContexts.started(new RouteBuilder() {
            @Override
            public void configure() {
                from("gatehouse:passages").routeId("police-feed").log("${body}");
            }
        });
        CommunityRepository communities = (CommunityRepository) java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {CommunityRepository.class}, (proxy, m, args) -> {
                    if (m.getName().equals("communities")) {
                        return List.of(new Community("c2", "B", "B", "", Instant.EPOCH),
                                new Community("c1", "A", "A", "", Instant.EPOCH));
                    }
                    throw new UnsupportedOperationException(m.getName());
                });
        watch = new StuckConsumerWatch(consumers, alerts, communities, config(15), clock);
        consumers.register(CONSUMER, Streams.PASSAGES, StartAt.OLDEST);
    }

    @AfterEach
    void stop() {
        context.stop();
    }

    private void fail() {
        consumers.failed(CONSUMER, "police registry answered 503", clock.instant(), clock.instant().plusSeconds(60));
    }

    private List<String> degradedBy() {
        var reports = StreamAdmin.reports(context.getComponent(Streams.SCHEME, StreamComponent.class), consumers);
        return PlatformStatus.degradedBy(reports, watch, clock.instant());
    }

    @Test
    void oneAlertPerStuckPeriodClosedWhenTheConsumerRecovers() {
        Instant since = clock.instant();
        fail();
        clock.advance(Duration.ofMinutes(15));
        fail();
        assertTrue(watch.check(context).isEmpty(), "15 minutes: not yet");
        assertTrue(alerts.all().isEmpty());
        assertEquals(List.of(), degradedBy());

        clock.advance(Duration.ofMinutes(1));
        fail();
        assertEquals(1, watch.check(context).size());
        clock.advance(Duration.ofMinutes(5));
        watch.check(context);
        List<Alert> raised = alerts.all();
        assertEquals(1, raised.size(), "once per stuck period, not every check");
        Alert alert = raised.get(0);
        assertEquals(List.of(AlertType.STREAM_CONSUMER_STUCK, CONSUMER, "c1", AlertStatus.OPEN), List.of(alert.type(),
                alert.subjectId(), alert.communityId(), alert.status()));
        assertTrue(alert.message().contains("police registry answered 503") && alert.message().contains("数据流"),
                alert.message());
        List<String> degraded = degradedBy();
        assertEquals(1, degraded.size());
        assertTrue(degraded.get(0).startsWith("stream consumer " + CONSUMER + " has failed without a success since "
                + since), degraded.get(0));

        consumers.delivered(CONSUMER, 1, clock.instant()); // it takes events again
        assertTrue(watch.check(context).isEmpty());
        assertEquals(AlertStatus.CLOSED, alerts.alert(null, alert.id()).orElseThrow().status());
        assertEquals(List.of(), degradedBy());

        // a new stuck period: a new alert
        fail();
        clock.advance(Duration.ofMinutes(20));
        watch.check(context);
        assertEquals(2, alerts.all().size());
        assertEquals(AlertStatus.OPEN, alerts.all().get(1).status());
    }

    @Test
    void aConsumerWhoseRouteStoppedIsNotStuckAndItsAlertIsClosed() throws Exception {
        fail();
        clock.advance(Duration.ofMinutes(30));
        watch.check(context);
        assertEquals(1, alerts.alerts(null, null, AlertStatus.OPEN, 10).size());
        context.getRouteController().stopRoute("police-feed");
        assertTrue(watch.check(context).isEmpty());
        assertEquals(List.of(), degradedBy());
        Alert closed = alerts.all().get(0);
        assertEquals(AlertStatus.CLOSED, closed.status());
        assertEquals("the consumer's route is not running", closed.acknowledgements().get(0).note());
    }

    @Test
    void anAlertLeftOpenBeforeARestartIsNotRaisedTwice() {
        fail();
        clock.advance(Duration.ofMinutes(30));
        watch.check(context);
        StuckConsumerWatch restarted = new StuckConsumerWatch(consumers, alerts, null, config(15), clock);
        clock.advance(Duration.ofMinutes(1));
        assertEquals(1, restarted.check(context).size());
        assertEquals(1, alerts.all().size());
    }

    static StuckConsumerWatch.Config config(int minutes) {
        return new StuckConsumerWatch.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return StuckConsumerWatch.Config.class;
            }

            @Override
            public int stuckAfterMinutes() {
                return minutes;
            }

            @Override
            public int checkSeconds() {
                return 60;
            }

            @Override
            public String alertCommunity() {
                return "";
            }
        };
    }
}

package org.gatehouse.integration.internal;

import static org.gatehouse.integration.internal.FeedHarness.alert;
import static org.gatehouse.integration.internal.FeedHarness.config;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import org.gatehouse.api.model.Alert;
import org.gatehouse.api.model.AlertSeverity;
import org.gatehouse.api.model.AlertStatus;
import org.gatehouse.api.model.AlertType;
import org.gatehouse.api.model.WelfareCase;
import org.gatehouse.api.model.WelfareCase.Escalation;
import org.gatehouse.api.service.Scope;
import org.gatehouse.core.internal.camel.Delivery;
import org.gatehouse.testing.Configs;
import org.gatehouse.testing.MemoryCommunities;
import org.gatehouse.testing.MemoryWelfareCases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A welfare alert reaches the contacts the welfare module told, on their channels: the first two when raised (an mqtt
 * topic and a webhook target), the third when it escalates; a channel down fails the event and the retry does not
 * notify again the contacts already reached; other alert types and channel kinds are left alone.
 */
class WelfareNotificationsTest {
    static final String CONSUMER = "alerts/" + WelfareNotifications.ROUTE_ID;
    static final Instant RAISED = Instant.parse("2026-12-01T00:00:00Z");
    final MemoryCommunities communities = new MemoryCommunities();
    final MemoryWelfareCases cases = new MemoryWelfareCases(communities);

    {
        communities.communities.put("c1", new org.gatehouse.api.model.Community("c1", "C1", "Community 1", "", RAISED));
    }
    final TargetBoard board = new TargetBoard();
    final List<String> published = new CopyOnWriteArrayList<>();
    volatile boolean brokerDown;
    WebhookReceiver office;
    FeedHarness h;

    /** An mqtt target's sink that records what it would publish (the real broker is MqttTargetTest's). */
    final FeedSink phones = new FeedSink() {
        @Override
        public void send(Outgoing event) {
            throw new AssertionError("notifications go to the contact's topic");
        }

        @Override
        public void notify(String topic, Outgoing n) throws Exception {
            if (brokerDown) {
                throw new java.io.IOException("broker down");
            }
            published.add(topic + " " + n.payload().get("id").asText() + " " + n.payload().get("name").asText());
        }

        @Override
        public String describe() {
            return "mqtt:tcp://broker:1883/x";
        }
    };

    void start() throws Exception {
        office = new WebhookReceiver("office-secret");
        new IntegrationTarget(board, config("name", "office", "kind", "webhook", "url", office.url(), "secret",
                "office-secret", "streams", "alerts", "communities", "none-fed"), Clock.systemUTC());
        TargetSpec phonesSpec = TargetSpec.parse(config("name", "phones", "kind", "mqtt", "brokerUrl", "tcp://broker:1883"));
        board.add("phones", phonesSpec, TargetStatus.of(phonesSpec, phones), phones);
        WelfareNotifications n = new WelfareNotifications(board, cases, Configs.of(IntegrationConfig.class,
                Map.of("notifyMqttTarget", "phones")), Clock.systemUTC());
        h = new FeedHarness().routes(n);
        cases.open(new Alert("w1", "c1", AlertType.WELFARE_INACTIVITY, AlertSeverity.CRITICAL, AlertStatus.OPEN, "r1",
                "no passage for 24 h, flat B3-1203", RAISED, null), new WelfareCase("w1", "c1",
                AlertType.WELFARE_INACTIVITY, AlertStatus.OPEN, "r1", "h1", RAISED.minusSeconds(86400), RAISED, RAISED,
                "no passage", List.of(new Escalation(0, "police", "Officer Wang", "mqtt:gatehouse/officer/wang", RAISED),
                new Escalation(1, "property", "Staff Qian", "webhook:office", RAISED)), null, null, null, null, null,
                null, null, List.of(), ""));
    }

    @AfterEach
    void stop() {
        if (h != null) {
            h.close();
        }
        if (office != null) {
            office.close();
        }
    }

    @Test
    void theContactsToldHearOfItOnTheirChannelsOnce() throws Exception {
        start();
        brokerDown = true;
        Delivery d = h.deliver(CONSUMER, "alerts", "w1", "c1", alert("w1", "c1", "WELFARE_INACTIVITY", "r1", "no passage"));
        assertFalse(d.ok(), "the officer's channel is down: the event is tried again");
        assertEquals(List.of("w1/contact-1"), office.appliedIds(), "the webhook contact was reached meanwhile");
        brokerDown = false;
        assertTrue(h.deliver(CONSUMER, "alerts", "w1", "c1", alert("w1", "c1", "WELFARE_INACTIVITY", "r1", "no passage")).ok());
        assertEquals(List.of("gatehouse/officer/wang w1/contact-0 Officer Wang"), published);
        assertEquals(2, office.requests.size() == 1 ? 2 : -office.requests.size(), "the webhook contact was not sent again");

        // nobody acknowledged: the welfare module escalates to the third contact
        Instant later = RAISED.plusSeconds(5400);
        cases.escalate(Scope.all(), "w1", 1, new Escalation(2, "police", "Sergeant Sun", "mqtt:gatehouse/sergeant/sun", later));
        assertTrue(h.deliver(CONSUMER, "alerts", "w1#escalation-2", "c1",
                alert("w1", "c1", "WELFARE_INACTIVITY", "r1", "Escalated to police Sergeant Sun")).ok());
        assertEquals(List.of("gatehouse/officer/wang w1/contact-0 Officer Wang",
                "gatehouse/sergeant/sun w1/contact-2 Sergeant Sun"), published, "only the contact of the escalation");

        JsonNode body = EventFields.JSON.readTree(office.appliedBody.get("w1/contact-1"));
        assertEquals("Staff Qian", body.get("name").asText());
        assertEquals("no passage", body.get("message").asText());
        assertEquals("w1", body.get("alertId").asText());
        assertTrue(h.sentTo.contains("mqtt:tcp://broker:1883/x"), "audited where it went: " + h.sentTo);
    }

    @Test
    void otherAlertsAndUnservedChannelsAreLeftAlone() throws Exception {
        start();
        assertTrue(h.deliver(CONSUMER, "alerts", "x1", "c1", alert("x1", "c1", "CODE_GUESSING", "gate", "codes")).ok());
        assertTrue(h.deliver(CONSUMER, "alerts", "nocase", "c1", alert("nocase", "c1", "WELFARE_INACTIVITY", "r", "m")).ok(),
                "an alert without a case notifies nobody");
        cases.open(new Alert("w2", "c1", AlertType.WELFARE_INACTIVITY, AlertSeverity.CRITICAL, AlertStatus.OPEN, "r2",
                "m", RAISED, null), new WelfareCase("w2", "c1", AlertType.WELFARE_INACTIVITY, AlertStatus.OPEN, "r2",
                "h2", RAISED, RAISED, RAISED, "m", List.of(new Escalation(0, "property", "Qian", "sms:13800000003", RAISED),
                new Escalation(1, "police", "Zhao", "webhook:nosuch", RAISED)), null, null, null, null, null, null,
                null, List.of(), ""));
        assertTrue(h.deliver(CONSUMER, "alerts", "w2", "c1", alert("w2", "c1", "WELFARE_INACTIVITY", "r2", "m")).ok(),
                "an sms channel and a missing target are logged and skipped");
        assertTrue(published.isEmpty());
        assertTrue(office.requests.isEmpty());
    }
}

package org.gatehouse.integration.internal;

import static org.gatehouse.integration.internal.FeedHarness.alert;
import static org.gatehouse.integration.internal.FeedHarness.config;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.gatehouse.api.service.Scope;
import org.gatehouse.core.internal.camel.Delivery;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An mqtt target against a real broker: Debian's mosquitto started on a free loopback port (skipped, saying so, where
 * it is not installed; .ci/run installs it). Events arrive at QoS 1 on the topic with the community filled in; a broker
 * that is down fails the delivery (tried again) and the event arrives once it is back.
 */
class MqttTargetTest {
    static final String CONSUMER = "alerts/gatehouse-integration-phones-alerts";
    @TempDir
    Path dir;
    private Process broker;
    private int port;
    private MqttClient subscriber;
    private final List<String> received = new CopyOnWriteArrayList<>();

    static Path mosquitto() {
        for (String d : List.of("/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin")) {
            Path p = Path.of(d, "mosquitto");
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    @BeforeEach
    void startBroker() throws Exception {
        Path exe = mosquitto();
        Assumptions.assumeTrue(exe != null, "SKIPPED: mosquitto is not installed (apt-get install mosquitto; .ci/run "
                + "installs it): the MQTT target is not tested against a real broker on this machine");
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        startMosquitto(exe);
    }

    private void startMosquitto(Path exe) throws Exception {
        Path conf = dir.resolve("mosquitto.conf");
        Files.writeString(conf, "listener " + port + " 127.0.0.1\nallow_anonymous true\npersistence false\n");
        broker = new ProcessBuilder(exe.toString(), "-c", conf.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("mosquitto.log").toFile()).start();
        long deadline = System.currentTimeMillis() + 10_000;
        while (true) {
            try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException notYet) {
                if (System.currentTimeMillis() > deadline || !broker.isAlive()) {
                    throw new IllegalStateException("mosquitto did not start: "
                            + Files.readString(dir.resolve("mosquitto.log")));
                }
                Thread.sleep(50);
            }
        }
    }

    private void stopBroker() throws InterruptedException {
        if (broker != null) {
            broker.destroy();
            if (!broker.waitFor(5, TimeUnit.SECONDS)) {
                broker.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    @AfterEach
    void stop() throws Exception {
        if (subscriber != null && subscriber.isConnected()) {
            subscriber.disconnect();
        }
        stopBroker();
    }

    private void subscribe(String filter) throws Exception {
        subscriber = new MqttClient("tcp://127.0.0.1:" + port, "test-subscriber", new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(true);
        subscriber.connect(o);
        subscriber.subscribe(filter, 1, (topic, message) ->
                received.add(topic + " " + new String(message.getPayload(), StandardCharsets.UTF_8)));
    }

    private void await(int n) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (received.size() < n && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
    }

    @Test
    void alertsArriveOnTheCommunitysTopicAndABrokerOutageLosesNothing() throws Exception {
        subscribe("gatehouse/#");
        TargetBoard board = new TargetBoard();
        IntegrationTarget phones = new IntegrationTarget(board, config("name", "phones", "kind", "mqtt", "brokerUrl",
                "tcp://127.0.0.1:" + port, "topic", "gatehouse/{community}/alerts", "streams", "alerts",
                "fields", new String[] {"type", "message"}, "timeoutSeconds", 2), Clock.systemUTC());
        try (FeedHarness h = new FeedHarness().routes(phones)) {
            assertTrue(h.deliver(CONSUMER, "alerts", "a1", "c1", alert("a1", "c1", "WELFARE_INACTIVITY", "r1",
                    "3号楼1203 未出门")).ok());
            await(1);
            assertEquals(List.of("gatehouse/c1/alerts {\"id\":\"a1\",\"type\":\"WELFARE_INACTIVITY\","
                    + "\"message\":\"3号楼1203 未出门\"}"), received);

            subscriber.disconnect();
            stopBroker();
            Delivery down = h.deliver(CONSUMER, "alerts", "a2", "c2", alert("a2", "c2", "IDLE_UNIT", "h1", "idle"));
            assertFalse(down.ok(), "a broker that is down fails the delivery: it is tried again");
            assertEquals("FAILING", board.views(Scope.all()).get(0).state());

            startMosquitto(mosquitto());
            received.clear();
            subscribe("gatehouse/#");
            assertTrue(h.deliver(CONSUMER, "alerts", "a2", "c2", alert("a2", "c2", "IDLE_UNIT", "h1", "idle")).ok());
            await(1);
            assertEquals(List.of("gatehouse/c2/alerts {\"id\":\"a2\",\"type\":\"IDLE_UNIT\",\"message\":\"idle\"}"),
                    received);
            assertEquals("OK", board.views(Scope.all()).get(0).state());
            assertTrue(h.sentTo.stream().allMatch(s -> s.startsWith("mqtt:tcp://127.0.0.1:" + port)), h.sentTo.toString());
        } finally {
            phones.deactivate();
        }
    }
}

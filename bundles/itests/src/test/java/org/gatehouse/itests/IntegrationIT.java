package org.gatehouse.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import org.apache.karaf.features.FeaturesService;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.gatehouse.api.model.Community;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Issue 15's integration half in the built distribution, with real peers started here on loopback: a receiving HTTP
 * server that checks each request's HMAC-SHA256 signature and applies each event id once, and Debian's mosquitto
 * (installed by .ci/run). A move-in reaches the webhook exactly once although the receiver answers 500 twice first; a
 * flagged resident's inactivity alert (evaluated as of a time) reaches the webhook and the MQTT topic of the community,
 * the officer's phone topic and the property staff's webhook; its escalation reaches the duty desk's topic.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class IntegrationIT extends GatehouseTestSupport {
    static final String SECRET = "itest-hook-secret";
    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

    @Inject
    BundleContext context;

    @Inject
    ConfigurationAdmin configurations;

    @Inject
    FeaturesService features;

    @Inject
    org.apache.karaf.shell.api.console.SessionFactory sessionFactory;

    @Configuration
    public Option[] config() {
        return baseOptions().toArray(new Option[0]);
    }

    /** What the receiver applied: event id → body; and every request's status, in order. */
    final Map<String, String> applied = new ConcurrentHashMap<>();
    final List<String> answered = new CopyOnWriteArrayList<>();
    final AtomicInteger failNext = new AtomicInteger();
    final List<String> badSignatures = new CopyOnWriteArrayList<>();
    final Map<String, List<String>> mqtt = new ConcurrentHashMap<>();

    @Test
    public void feedsAndWelfareNotificationsReachRealPeers() throws Exception {
        Path mosquitto = List.of("/usr/sbin/mosquitto", "/usr/bin/mosquitto").stream().map(Path::of)
                .filter(Files::isExecutable).findFirst().orElse(null);
        assertNotNull("mosquitto is not installed (apt-get install mosquitto; .ci/run installs it)", mosquitto);
        DemoSite site = demoSite(context, 60000);
        Community demo = site.demo();
        HttpServer receiver = receiver();
        int mqttPort = freePort();
        Path dir = Files.createTempDirectory("itest-mosquitto");
        Process broker = broker(mosquitto, mqttPort, dir);
        MqttClient subscriber = null;
        try {
            subscriber = new MqttClient("tcp://127.0.0.1:" + mqttPort, "itest-subscriber", new MemoryPersistence());
            MqttConnectOptions options = new MqttConnectOptions();
            options.setCleanSession(true);
            subscriber.connect(options);
            subscriber.subscribe("gatehouse/#", 1, (topic, message) -> mqtt.computeIfAbsent(topic,
                    t -> new CopyOnWriteArrayList<>()).add(new String(message.getPayload(), StandardCharsets.UTF_8)));

            String hook = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
            target("itest-hook", Map.of("kind", "webhook", "url", hook, "secret", SECRET,
                    "streams", new String[] {"population-changes", "alerts"}, "communities", new String[] {demo.id()}));
            target("itest-mqtt", Map.of("kind", "mqtt", "brokerUrl", "tcp://127.0.0.1:" + mqttPort,
                    "topic", "gatehouse/{community}/events", "streams", new String[] {"alerts"}));
            org.osgi.service.cm.Configuration notify = configurations.getConfiguration("org.gatehouse.integration", "?");
            Hashtable<String, Object> n = new Hashtable<>();
            n.put("notifyMqttTarget", "itest-mqtt");
            notify.update(n);
            welfareContacts(configurations, demo.id(), "police|民警 王警官|mqtt:gatehouse/itest/officer",
                    "property|物业 李|webhook:itest-hook", "police|值班室|mqtt:gatehouse/itest/desk");
            await("both targets running", 60000, () -> targetsOk("itest-hook", "itest-mqtt"));
            String status = shell(sessionFactory, "gatehouse:status");
            assertTrue(status, status.contains("Integration targets") && status.contains("itest-hook")
                    && status.contains("itest-mqtt"));

            // a move-in, while the receiver answers 500 twice: delivered once the receiver takes it, applied once
            failNext.set(2);
            Response created = http("POST", "/households/" + site.home().id() + "/residents", OFFICE,
                    "{\"name\":\"独居 对接\",\"role\":\"CO_RESIDENT\",\"birthDate\":\"1940-02-02\","
                            + "\"careFlags\":[\"LIVES_ALONE\"]}");
            assertEquals(created.body(), 201, created.status());
            String residentId = JsonBodies.text(created.body(), "/resident/id");
            await("the move-in at the receiver", 120000, () -> applied.values().stream()
                    .anyMatch(b -> b.contains("MOVE_IN") && b.contains(residentId)));
            assertTrue("the receiver refused twice first: " + answered, answered.subList(0, 2).equals(List.of("500", "500")));
            assertEquals("no request with a wrong signature", List.of(), badSignatures);
            long moveIns = applied.values().stream().filter(b -> b.contains("MOVE_IN") && b.contains(residentId)).count();
            assertEquals("applied once", 1, moveIns);

            // the resident's inactivity alert, as of a day and more later: webhook, community topic, phones
            Instant due = noonAfter(Instant.now().plus(25, ChronoUnit.HOURS));
            check(due);
            await("the alert on the webhook and the community's topic, and the first two contacts told", 120000, () ->
                    applied.values().stream().anyMatch(b -> b.contains("WELFARE_INACTIVITY") && b.contains(residentId))
                            && topic("gatehouse/" + demo.id() + "/events").stream()
                            .anyMatch(m -> m.contains("WELFARE_INACTIVITY"))
                            && !topic("gatehouse/itest/officer").isEmpty()
                            && applied.values().stream().anyMatch(b -> b.contains("\"channel\":\"webhook:itest-hook\"")));
            assertTrue(topic("gatehouse/itest/officer").toString(),
                    topic("gatehouse/itest/officer").get(0).contains("民警 王警官"));
            assertTrue("the duty desk is told only on escalation", topic("gatehouse/itest/desk").isEmpty());

            // nobody acknowledged: 90 minutes later the duty desk
            check(due.plus(90, ChronoUnit.MINUTES));
            await("the escalation on the duty desk's topic", 120000, () -> !topic("gatehouse/itest/desk").isEmpty());
            assertEquals("no request with a wrong signature", List.of(), badSignatures);
        } finally {
            if (subscriber != null && subscriber.isConnected()) {
                subscriber.disconnect();
            }
            broker.destroy();
            broker.waitFor(5, TimeUnit.SECONDS);
            receiver.stop(0);
        }
    }

    private List<String> topic(String name) {
        return mqtt.getOrDefault(name, List.of());
    }

    private void target(String name, Map<String, Object> settings) throws Exception {
        org.osgi.service.cm.Configuration c =
                configurations.createFactoryConfiguration("org.gatehouse.integration.target", "?");
        Hashtable<String, Object> props = new Hashtable<>(settings);
        props.put("name", name);
        c.update(props);
    }

    private boolean targetsOk(String... names) {
        try {
            Response r = http("GET", "/integration/targets", admin(), null);
            if (r.status() != 200) {
                return false;
            }
            int ok = 0;
            for (JsonNode t : JsonBodies.parse(r.body())) {
                for (String name : names) {
                    if (name.equals(t.path("name").asText()) && "OK".equals(t.path("state").asText())) {
                        ok++;
                    }
                }
            }
            return ok == names.length;
        } catch (Exception e) {
            return false;
        }
    }

    private void check(Instant asOf) throws Exception {
        Response r = http("POST", "/welfare/check?asOf=" + URLEncoder.encode(asOf.atZone(ZONE).toOffsetDateTime()
                .toString(), StandardCharsets.UTF_8), OFFICE, null);
        assertEquals(r.body(), 200, r.status());
    }

    static Instant noonAfter(Instant t) {
        ZonedDateTime local = t.atZone(ZONE);
        ZonedDateTime noon = local.with(LocalTime.NOON);
        return (noon.isBefore(local) ? noon.plusDays(1) : noon).toInstant();
    }

    /** Checks the signature; answers 500 while failNext > 0; applies each event id once (a repeat is answered 200). */
    private HttpServer receiver() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/hook", ex -> {
            try (ex) {
                byte[] body = ex.getRequestBody().readAllBytes();
                String signature = ex.getRequestHeaders().getFirst("X-Gatehouse-Signature");
                String id = ex.getRequestHeaders().getFirst("X-Gatehouse-Event-Id");
                int status;
                if (!("sha256=" + hmac(body)).equals(signature) || id == null) {
                    badSignatures.add(id + " " + signature);
                    status = 401;
                } else if (failNext.getAndUpdate(v -> Math.max(0, v - 1)) > 0) {
                    status = 500;
                } else {
                    applied.putIfAbsent(id, new String(body, StandardCharsets.UTF_8));
                    status = 200;
                }
                answered.add(String.valueOf(status));
                ex.sendResponseHeaders(status, -1);
            }
        });
        server.start();
        return server;
    }

    static String hmac(byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Process broker(Path exe, int port, Path dir) throws Exception {
        Path conf = dir.resolve("mosquitto.conf");
        Files.writeString(conf, "listener " + port + " 127.0.0.1\nallow_anonymous true\npersistence false\n");
        Process p = new ProcessBuilder(exe.toString(), "-c", conf.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("mosquitto.log").toFile()).start();
        long deadline = System.currentTimeMillis() + 10_000;
        while (true) {
            try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return p;
            } catch (IOException notYet) {
                if (System.currentTimeMillis() > deadline || !p.isAlive()) {
                    fail("mosquitto did not start: " + Files.readString(dir.resolve("mosquitto.log")));
                }
                Thread.sleep(50);
            }
        }
    }
}

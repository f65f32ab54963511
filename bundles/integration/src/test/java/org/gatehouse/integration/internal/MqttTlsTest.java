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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.gatehouse.api.service.Scope;
import org.gatehouse.core.internal.camel.Delivery;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An mqtt target over TLS with credentials, against Debian's mosquitto (skipped, saying so, where it is not
 * installed): one broker with three TLS listeners on free loopback ports — a certificate of the test CA for 127.0.0.1,
 * one of the test CA for another host, one of another CA — with {@code allow_anonymous false} and a password file
 * ({@code mosquitto_passwd}; without it the credentials are not tested, saying so). The target is configured as an
 * operator would: {@code ssl://} broker URL, {@code username}, {@code passwordFile}, the CA as {@code trustStore}.
 */
class MqttTlsTest {
    static final String CONSUMER = "alerts/gatehouse-integration-phones-alerts";
    static final String USER = "gatehouse";
    static final String PASSWORD = "broker-pw-7";
    @TempDir
    static Path dir;
    private static Process broker;
    private static int port;
    private static int elsewherePort;
    private static int roguePort;
    private static TestPki pki;
    /** mosquitto_passwd is there: the broker wants user name and password. */
    private static boolean credentials;
    private final TargetBoard board = new TargetBoard();
    private final List<AutoCloseable> open = new ArrayList<>();
    private final List<String> received = new CopyOnWriteArrayList<>();

    static Path mosquittoPasswd() {
        for (String d : List.of("/usr/bin", "/usr/sbin", "/usr/local/bin")) {
            Path p = Path.of(d, "mosquitto_passwd");
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    @BeforeAll
    static void startBroker() throws Exception {
        Path exe = MqttTargetTest.mosquitto();
        Assumptions.assumeTrue(exe != null, "SKIPPED: mosquitto is not installed (apt-get install mosquitto; .ci/run "
                + "installs it): MQTT over TLS with credentials is not tested against a real broker on this machine");
        pki = TestPki.create(dir, "gatehouse");
        TestPki rogue = TestPki.create(dir, "rogue");
        TestPki.Server good = pki.server("broker", "ip:127.0.0.1,dns:localhost");
        TestPki.Server elsewhere = pki.server("elsewhere", "dns:elsewhere.example");
        TestPki.Server rogueCert = rogue.server("broker", "ip:127.0.0.1,dns:localhost");
        try (ServerSocket a = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             ServerSocket b = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             ServerSocket c = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = a.getLocalPort();
            elsewherePort = b.getLocalPort();
            roguePort = c.getLocalPort();
        }
        Path passwd = mosquittoPasswd();
        credentials = passwd != null;
        // started as root, mosquitto would change to user mosquitto, who cannot read the test's private folder
        StringBuilder conf = new StringBuilder("persistence false\nper_listener_settings false\nuser ")
                .append(System.getProperty("user.name")).append('\n');
        if (credentials) {
            Path file = dir.resolve("passwd");
            run(passwd.toString(), "-c", "-b", file.toString(), USER, PASSWORD);
            run(passwd.toString(), "-b", file.toString(), "subscriber", "sub-pw");
            conf.append("allow_anonymous false\npassword_file ").append(file).append('\n');
        } else {
            System.err.println("MqttTlsTest: mosquitto_passwd is not installed: the broker allows anonymous clients "
                    + "and user name and password are NOT tested (apt-get install mosquitto-clients or mosquitto)");
            conf.append("allow_anonymous true\n");
        }
        listener(conf, port, pki, good);
        listener(conf, elsewherePort, pki, elsewhere);
        listener(conf, roguePort, rogue, rogueCert);
        Path confFile = Files.writeString(dir.resolve("mosquitto.conf"), conf.toString());
        Path log = dir.resolve("mosquitto.log");
        broker = new ProcessBuilder(exe.toString(), "-c", confFile.toString()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        long deadline = System.currentTimeMillis() + 10_000;
        for (int p : new int[] {port, elsewherePort, roguePort}) {
            while (true) {
                try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), p)) {
                    break;
                } catch (IOException notYet) {
                    if (System.currentTimeMillis() > deadline || !broker.isAlive()) {
                        stopBroker();
                        throw new IllegalStateException("mosquitto did not start: " + Files.readString(log));
                    }
                    Thread.sleep(50);
                }
            }
        }
    }

    private static void listener(StringBuilder conf, int p, TestPki ca, TestPki.Server cert) {
        conf.append("listener ").append(p).append(" 127.0.0.1\n")
                .append("cafile ").append(ca.caPem).append('\n')
                .append("certfile ").append(cert.certPem()).append('\n')
                .append("keyfile ").append(cert.keyPem()).append('\n');
    }

    private static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
        }
    }

    @AfterAll
    static void stopBroker() throws InterruptedException {
        if (broker != null) {
            broker.destroy();
            if (!broker.waitFor(5, TimeUnit.SECONDS)) {
                broker.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            broker = null;
        }
    }

    @BeforeEach
    void subscribe() throws Exception {
        // the test's own subscriber, over TLS trusting the test CA, with credentials of its own
        MqttClient subscriber = new MqttClient("ssl://127.0.0.1:" + port, "test-subscriber", new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(true);
        o.setSocketFactory(pki.clientContext().getSocketFactory());
        if (credentials) {
            o.setUserName("subscriber");
            o.setPassword("sub-pw".toCharArray());
        }
        subscriber.connect(o);
        subscriber.subscribe("gatehouse/#", 1, (topic, message) ->
                received.add(topic + " " + new String(message.getPayload(), StandardCharsets.UTF_8)));
        open.add(() -> {
            subscriber.disconnect();
            subscriber.close();
        });
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private FeedHarness phones(int brokerPort, Object... more) throws Exception {
        Map<String, Object> c = config("name", "phones", "kind", "mqtt", "brokerUrl", "ssl://127.0.0.1:" + brokerPort,
                "topic", "gatehouse/{community}/alerts", "streams", "alerts", "fields", new String[] {"type"},
                "timeoutSeconds", 5);
        if (credentials) {
            c.put("username", USER);
            c.put("passwordFile", Files.writeString(dir.resolve("mqtt.password"), PASSWORD + "\n").toString());
        }
        for (int i = 0; i < more.length; i += 2) {
            c.put((String) more[i], more[i + 1]);
        }
        IntegrationTarget target = new IntegrationTarget(board, c, Clock.systemUTC());
        FeedHarness h = new FeedHarness().routes(target);
        open.add(0, h);
        open.add(0, target::deactivate);
        return h;
    }

    private Object[] trustingTheCa() {
        return new Object[] {"trustStore", pki.trustStore.toString(), "trustStorePassword", TestPki.PASSWORD};
    }

    private Delivery deliver(FeedHarness h, String id) {
        return h.deliver(CONSUMER, "alerts", id, "c1", alert(id, "c1", "WELFARE_INACTIVITY", "r1", "x"));
    }

    private void await(int n) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (received.size() < n && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
    }

    private TargetStatus.View status() {
        return board.views(Scope.all()).get(0);
    }

    @Test
    void deliveredOverTlsWithCredentialsWhenTheTargetTrustsTheBrokersCa() throws Exception {
        FeedHarness h = phones(port, trustingTheCa());
        Delivery d = deliver(h, "a1");
        assertTrue(d.ok(), d + " " + status());
        await(1);
        assertEquals(List.of("gatehouse/c1/alerts {\"id\":\"a1\",\"type\":\"WELFARE_INACTIVITY\"}"), received);
        assertEquals("OK", status().state());
        assertEquals(List.of("mqtt:ssl://127.0.0.1:" + port + "/gatehouse/{community}/alerts"), h.sentTo);
    }

    @Test
    void aWrongPasswordIsRefusedAtOnceWithAClearError() throws Exception {
        Assumptions.assumeTrue(credentials, "SKIPPED: mosquitto_passwd is not installed, the broker cannot check "
                + "passwords here: a wrong password is not tested");
        FeedHarness h = phones(port, append(trustingTheCa(), "passwordFile", "", "password", "not-the-password"));
        long started = System.nanoTime();
        Delivery d = deliver(h, "a1");
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertFalse(d.ok(), "not delivered: tried again (the operator fixes the password, nothing is lost)");
        assertTrue(millis < 5_000, "answered, not waited for: " + millis + " ms");
        TargetStatus.View v = status();
        assertEquals("FAILING", v.state());
        assertTrue(v.lastError().startsWith("mqtt:ssl://127.0.0.1:" + port), v.lastError());
        assertTrue(v.lastError().contains("cannot connect: the broker refused")
                && v.lastError().contains("username '" + USER + "'"), v.lastError());
        assertFalse(v.lastError().contains("not-the-password"), "no secret in the status: " + v.lastError());
        Thread.sleep(300);
        assertTrue(received.isEmpty(), received.toString());
    }

    @Test
    void noCredentialsAreRefusedToo() throws Exception {
        Assumptions.assumeTrue(credentials, "SKIPPED: mosquitto_passwd is not installed: anonymous clients are "
                + "allowed on this machine's test broker");
        FeedHarness h = phones(port, append(trustingTheCa(), "username", "", "passwordFile", ""));
        assertFalse(deliver(h, "a1").ok());
        assertTrue(status().lastError().contains("cannot connect: the broker refused"), status().lastError());
    }

    @Test
    void aBrokerCertificateOfAnotherCaIsRefused() throws Exception {
        FeedHarness h = phones(roguePort, trustingTheCa());
        long started = System.nanoTime();
        assertFalse(deliver(h, "a1").ok(), "a certificate the trustStore does not vouch for is not trusted");
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) < 5_000);
        String error = status().lastError();
        assertEquals("FAILING", status().state());
        assertTrue(error.contains("cannot connect") && error.contains("PKIX path")
                && error.contains("TLS handshake failed") && error.contains(pki.trustStore.toString()), error);
    }

    @Test
    void withoutATrustStoreOnlyTheJvmsCasAreTrusted() throws Exception {
        FeedHarness h = phones(port);
        assertFalse(deliver(h, "a1").ok(), "no silent trust-all: the test CA is not one of the JVM's");
        String error = status().lastError();
        assertTrue(error.contains("PKIX path") && error.contains("the JVM's trusted CAs"), error);
        Thread.sleep(300);
        assertTrue(received.isEmpty(), received.toString());
    }

    @Test
    void aBrokerCertificateForAnotherHostIsRefused() throws Exception {
        FeedHarness h = phones(elsewherePort, trustingTheCa());
        assertFalse(deliver(h, "a1").ok(), "the host name is checked");
        String error = status().lastError();
        assertTrue(error.contains("TLS handshake failed") && error.contains("127.0.0.1"), error);
    }

    private static Object[] append(Object[] a, Object... b) {
        Object[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}

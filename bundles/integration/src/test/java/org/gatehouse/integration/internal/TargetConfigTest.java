package org.gatehouse.integration.internal;

import static org.gatehouse.integration.internal.FeedHarness.config;
import static org.gatehouse.integration.internal.FeedHarness.populationChange;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import org.gatehouse.api.service.Scope;
import org.gatehouse.integration.internal.TargetSpec.InvalidTargetException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A malformed target says what is wrong, in the log and in its status, runs nothing and disturbs no other target. */
class TargetConfigTest {
    @TempDir
    Path dir;

    static String problem(Object... kv) {
        return assertThrows(InvalidTargetException.class, () -> TargetSpec.parse(config(kv))).getMessage();
    }

    @Test
    void eachMistakeIsNamed() {
        assertEquals("target 'x': kind 'ftp' is unknown: use webhook, csv or mqtt", problem("name", "x", "kind", "ftp"));
        assertEquals("target 'x': url is required for a webhook", problem("name", "x", "kind", "webhook", "secret", "k"));
        assertTrue(problem("name", "x", "kind", "webhook", "url", "ftp://h/x", "secret", "k")
                .contains("url 'ftp://h/x' must be http://host/... or https://host/..."));
        assertTrue(problem("name", "x", "kind", "webhook", "url", "https://h/x").contains("secret (or secretFile) is required"));
        assertEquals("target 'x': brokerUrl 'mqtt://broker' must be tcp://host:port or ssl://host:port",
                problem("name", "x", "kind", "mqtt", "brokerUrl", "mqtt://broker"));
        assertEquals("target 'x': directory is required for a csv target", problem("name", "x", "kind", "csv"));
        assertTrue(problem("name", "x", "kind", "csv", "directory", "/d", "streams", "passages")
                .contains("stream 'passages' is not one of population-changes, alerts, passages-summary (or none alone)"));
        assertTrue(problem("name", "x", "kind", "csv", "directory", "/d", "streams", "alerts,none")
                .contains("stream 'none' is not one of"));
        assertTrue(problem("name", "a b", "kind", "csv", "directory", "/d").contains("name 'a b' must be"));
        assertTrue(problem("name", "x", "kind", "csv", "directory", "/d", "zone", "Mars/Olympus")
                .contains("zone 'Mars/Olympus' is not a time zone"));
        assertTrue(problem("name", "x", "kind", "webhook", "url", "https://h/x", "secretFile", "/nonexistent/secret")
                .contains("secretFile '/nonexistent/secret' cannot be read"));
    }

    @Test
    void aSecretFromAFileAndTheDefaults() throws Exception {
        Path secret = Files.writeString(dir.resolve("secret"), "from-file\n");
        TargetSpec spec = TargetSpec.parse(config("name", "police", "kind", "WEBHOOK", "url", "https://registry/x",
                "secretFile", secret.toString()));
        assertEquals("from-file", new String(spec.secret()));
        assertEquals(List.of("population-changes"), spec.streams());
        assertEquals("population-changes/gatehouse-integration-police-population-changes",
                spec.consumerId("population-changes"));
        assertEquals("passages/gatehouse-integration-police-passages-summary", spec.consumerId("passages-summary"));
        assertEquals("Asia/Shanghai", spec.zone().getId());
        assertEquals("gatehouse-police", TargetSpec.parse(config("name", "police", "kind", "mqtt", "brokerUrl",
                "ssl://broker:8883")).clientId());
    }

    @Test
    void aRejectedTargetRunsNothingShowsWhyAndTheOthersGoOn() throws Exception {
        TargetBoard board = new TargetBoard();
        IntegrationTarget bad = new IntegrationTarget(board, config("name", "broken", "kind", "mqtt",
                "brokerUrl", "localhost"), Clock.systemUTC());
        IntegrationTarget unknown = new IntegrationTarget(board, config("name", "odd", "kind", "fax"), Clock.systemUTC());
        IntegrationTarget good = new IntegrationTarget(board, config("name", "registry", "kind", "csv", "directory",
                dir.toString()), Clock.systemUTC());
        IntegrationTarget twin = new IntegrationTarget(board, config("name", "registry", "kind", "csv", "directory",
                dir.resolve("other").toString()), Clock.systemUTC());
        try (FeedHarness h = new FeedHarness().routes(bad).routes(unknown).routes(good).routes(twin)) {
            assertEquals(java.util.Set.of("population-changes/gatehouse-integration-registry-population-changes"),
                    h.streams.liveConsumerIds(), "only the good target reads a stream");
            assertTrue(h.deliver("population-changes/gatehouse-integration-registry-population-changes",
                    "population-changes", "e1", "c1", populationChange("e1", "c1", "MOVE_IN", "Li")).ok());
        }
        Map<String, TargetStatus.View> views = new java.util.HashMap<>();
        board.views(Scope.all()).forEach(v -> views.put(v.name(), v));
        assertEquals("MISCONFIGURED", views.get("broken").state());
        assertEquals("target 'broken': brokerUrl 'localhost' must be tcp://host:port or ssl://host:port",
                views.get("broken").configError());
        assertEquals("MISCONFIGURED", views.get("odd").state());
        assertTrue(views.get("odd").configError().contains("kind 'fax' is unknown"));
        assertEquals("OK", views.get("registry").state());
        assertTrue(views.get("registry").destination().startsWith("csv:" + dir), "the first of two twins runs");
        assertTrue(board.views(Scope.of("c9")).stream().noneMatch(v -> v.name().equals("broken")),
                "a rejected configuration is shown to the city administrators only");
        assertTrue(twin.status() == null || !"OK".equals(twin.status().view(Map.of()).state()));
    }

    @Test
    void aTrustStoreThatCannotBeUsedIsNamed() throws Exception {
        TestPki pki = TestPki.create(dir, "config");
        String p12 = pki.trustStore.toString();
        assertTrue(problem("name", "x", "kind", "mqtt", "brokerUrl", "ssl://b:8883", "trustStore", "/nonexistent/ca.p12")
                .contains("trustStore '/nonexistent/ca.p12' (PKCS12) cannot be used: no such file"));
        String wrongPassword = problem("name", "x", "kind", "mqtt", "brokerUrl", "ssl://b:8883", "trustStore", p12,
                "trustStorePassword", "wrong");
        assertTrue(wrongPassword.contains("trustStore '" + p12 + "' (PKCS12) cannot be used"), wrongPassword);
        assertTrue(problem("name", "x", "kind", "webhook", "url", "https://h/x", "secret", "k", "trustStore", p12,
                "trustStorePassword", TestPki.PASSWORD, "trustStoreType", "PEM").contains("cannot be used"),
                "a PKCS12 file read as PEM");
        assertTrue(problem("name", "x", "kind", "mqtt", "brokerUrl", "tcp://b:1883", "trustStore", p12,
                "trustStorePassword", TestPki.PASSWORD)
                .contains("trustStore is for ssl:// brokers, but brokerUrl 'tcp://b:1883' is tcp:// (no TLS)"));
        assertTrue(problem("name", "x", "kind", "webhook", "url", "http://h/x", "secret", "k", "trustStore",
                pki.caPem.toString(), "trustStoreType", "PEM")
                .contains("trustStore is for https:// urls, but url 'http://h/x' is plain http"));
        Path empty = Files.writeString(dir.resolve("empty.pem"), "");
        assertTrue(problem("name", "x", "kind", "webhook", "url", "https://h/x", "secret", "k", "trustStore",
                empty.toString(), "trustStoreType", "PEM").contains("holds no trusted certificate"));

        TargetSpec pem = TargetSpec.parse(config("name", "x", "kind", "webhook", "url", "https://h/x", "secret", "k",
                "trustStore", pki.caPem.toString(), "trustStoreType", "pem"));
        assertTrue(pem.tls() != null);
        TargetSpec none = TargetSpec.parse(config("name", "x", "kind", "mqtt", "brokerUrl", "ssl://b:8883"));
        assertTrue(none.tls() == null, "no trustStore: the JVM's trusted CAs");
    }
}

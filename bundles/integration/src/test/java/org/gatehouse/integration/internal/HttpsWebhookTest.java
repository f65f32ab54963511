package org.gatehouse.integration.internal;

import static org.gatehouse.integration.internal.FeedHarness.config;
import static org.gatehouse.integration.internal.FeedHarness.populationChange;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.gatehouse.api.service.Scope;
import org.gatehouse.core.internal.camel.Delivery;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A webhook target against an HTTPS receiver on loopback (the JDK's HttpsServer with a certificate made in the test
 * by a throwaway CA): delivered and correctly signed when the target's trustStore holds that CA (given as PEM or as
 * PKCS12); not delivered, saying why, when the receiver's certificate is signed by another CA, when no trustStore is
 * configured (the JVM's CAs do not know the test CA), or when the certificate is not issued for the host.
 */
class HttpsWebhookTest {
    static final String CONSUMER = "population-changes/gatehouse-integration-police-population-changes";
    @TempDir
    static Path dir;
    private static TestPki pki;
    private static TestPki rogue;
    /** Signed by the test CA for 127.0.0.1 and localhost. */
    private static TestPki.Server receiverCert;
    /** Signed by the test CA for another host. */
    private static TestPki.Server elsewhereCert;
    /** Signed by another CA for 127.0.0.1 and localhost. */
    private static TestPki.Server rogueCert;
    private final List<AutoCloseable> open = new ArrayList<>();
    private final TargetBoard board = new TargetBoard();

    @BeforeAll
    static void pki() throws Exception {
        pki = TestPki.create(dir, "gatehouse");
        rogue = TestPki.create(dir, "rogue");
        receiverCert = pki.server("receiver", "ip:127.0.0.1,dns:localhost");
        elsewhereCert = pki.server("elsewhere", "dns:elsewhere.example");
        rogueCert = rogue.server("receiver", "ip:127.0.0.1,dns:localhost");
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private WebhookReceiver receiver(String secret, TestPki.Server cert) throws Exception {
        WebhookReceiver r = new WebhookReceiver(secret, TestPki.serverContext(cert));
        open.add(r);
        return r;
    }

    private FeedHarness feed(IntegrationTarget target) throws Exception {
        FeedHarness h = new FeedHarness().routes(target);
        open.add(0, h);
        open.add(0, target::deactivate);
        return h;
    }

    private IntegrationTarget police(String url, String secret, Object... more) {
        Map<String, Object> c = config("name", "police", "kind", "webhook", "url", url, "secret", secret,
                "streams", new String[] {"population-changes"}, "timeoutSeconds", 5);
        for (int i = 0; i < more.length; i += 2) {
            c.put((String) more[i], more[i + 1]);
        }
        return new IntegrationTarget(board, c, Clock.systemUTC());
    }

    private Delivery deliver(FeedHarness h, String id) {
        return h.deliver(CONSUMER, "population-changes", id, "c1", populationChange(id, "c1", "MOVE_IN", "王建国"));
    }

    @Test
    void deliveredAndSignedWhenTheTargetTrustsTheReceiversCaGivenAsPem() throws Exception {
        WebhookReceiver r = receiver("s3cret", receiverCert);
        FeedHarness h = feed(police(r.url(), "s3cret", "trustStore", pki.caPem.toString(), "trustStoreType", "PEM"));
        Delivery d = deliver(h, "e1");
        assertTrue(d.ok() && !d.handled(), String.valueOf(d) + " " + board.views(Scope.all()));
        assertEquals(List.of("e1 200"), r.requests, "the receiver checked the signature over HTTPS");
        byte[] body = r.appliedBody.get("e1").getBytes(StandardCharsets.UTF_8);
        assertEquals(WebhookSink.signature("s3cret".getBytes(StandardCharsets.UTF_8), body),
                r.headers.get("X-Gatehouse-Signature"), "HMAC-SHA256 of the exact body bytes received");
        assertTrue(r.appliedBody.get("e1").contains("王建国"));
        assertEquals(List.of("webhook:https://127.0.0.1:" + r.port() + "/hook"), h.sentTo);
        assertEquals("OK", board.views(Scope.all()).get(0).state());
    }

    @Test
    void aWrongSecretOverHttpsIsStillRefused() throws Exception {
        WebhookReceiver r = receiver("the-receivers-secret", receiverCert);
        FeedHarness h = feed(police(r.url(), "not-the-same", "trustStore", pki.trustStore.toString(),
                "trustStorePassword", TestPki.PASSWORD));
        Delivery d = deliver(h, "e1");
        assertTrue(d.ok() && d.handled(), "TLS was fine, the receiver refused the signature: " + d);
        assertEquals(List.of("e1 401"), r.requests);
        assertTrue(board.views(Scope.all()).get(0).lastRefusal().contains("HTTP 401"));
    }

    @Test
    void deliveredWithTheCaAsAPkcs12TrustStore() throws Exception {
        WebhookReceiver r = receiver("k", receiverCert);
        FeedHarness h = feed(police(r.url(), "k", "trustStore", pki.trustStore.toString(),
                "trustStorePassword", TestPki.PASSWORD, "trustStoreType", "PKCS12"));
        assertTrue(deliver(h, "e1").ok());
        assertEquals(List.of("e1"), r.appliedIds());
    }

    @Test
    void aCertificateOfAnotherCaIsRefusedWithAClearError() throws Exception {
        WebhookReceiver r = receiver("k", rogueCert);
        FeedHarness h = feed(police(r.url(), "k", "trustStore", pki.caPem.toString(), "trustStoreType", "PEM"));
        Delivery d = deliver(h, "e1");
        assertFalse(d.ok(), "not delivered: tried again later");
        assertTrue(r.requests.isEmpty(), "nothing was posted: " + r.requests);
        TargetStatus.View v = board.views(Scope.all()).get(0);
        assertEquals("FAILING", v.state());
        assertTrue(v.lastError().contains("not reached with event e1"), v.lastError());
        assertTrue(v.lastError().contains("PKIX path"), v.lastError());
        assertTrue(v.lastError().contains("TLS handshake failed") && v.lastError().contains(pki.caPem.toString()),
                v.lastError());
    }

    @Test
    void withoutATrustStoreOnlyTheJvmsCasAreTrusted() throws Exception {
        WebhookReceiver r = receiver("k", receiverCert);
        FeedHarness h = feed(police(r.url(), "k"));
        assertFalse(deliver(h, "e1").ok(), "a certificate of an unknown CA is not trusted silently");
        assertTrue(r.requests.isEmpty());
        String error = board.views(Scope.all()).get(0).lastError();
        assertTrue(error.contains("PKIX path") && error.contains("the JVM's trusted CAs"), error);
    }

    @Test
    void aCertificateForAnotherHostIsRefused() throws Exception {
        WebhookReceiver r = receiver("k", elsewhereCert);
        FeedHarness h = feed(police(r.url(), "k", "trustStore", pki.caPem.toString(), "trustStoreType", "PEM"));
        assertFalse(deliver(h, "e1").ok(), "the host name is checked");
        assertTrue(r.requests.isEmpty());
        String error = board.views(Scope.all()).get(0).lastError();
        assertTrue(error.contains("127.0.0.1") && error.contains("TLS handshake failed"), error);
    }
}

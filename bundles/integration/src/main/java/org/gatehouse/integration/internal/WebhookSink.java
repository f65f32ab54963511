package org.gatehouse.integration.internal;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.net.ssl.SSLContext;

/**
 * POSTs each event as JSON with {@code X-Gatehouse-Signature: sha256=<hex HMAC-SHA256 of the body bytes>} and
 * {@code X-Gatehouse-Event-Id} (the idempotency key). 2xx: taken. 408, 429 and 5xx, a timeout or a refused
 * connection: not reached (tried again). Any other 4xx: refused for good. An https receiver must present a
 * certificate for its host name signed by a CA of the target's {@code trustStore} (or the JVM's CAs without one);
 * otherwise the event is not reached, the message says why.
 */
public final class WebhookSink implements FeedSink {
    public static final String SIGNATURE = "X-Gatehouse-Signature";
    public static final String EVENT_ID = "X-Gatehouse-Event-Id";
    public static final String STREAM = "X-Gatehouse-Stream";
    private final URI url;
    private final byte[] secret;
    private final Duration timeout;
    private final HttpClient client;

    private final String trustStore;

    public WebhookSink(URI url, byte[] secret, Duration timeout) {
        this(url, secret, timeout, null, "");
    }

    /**
     * {@code tls}: for an https URL, the context trusting the configured {@code trustStore} (named for the error
     * messages); null for the JVM's trusted CAs. The JDK client checks the certificate and the host name either way.
     */
    public WebhookSink(URI url, byte[] secret, Duration timeout, SSLContext tls, String trustStore) {
        this.url = url;
        this.secret = secret.clone();
        this.timeout = timeout;
        this.trustStore = trustStore;
        HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER);
        if (tls != null) {
            builder.sslContext(tls);
        }
        this.client = builder.build();
    }

    /** {@code sha256=} and the lower-case hex HMAC-SHA256 of {@code body} with {@code secret}. */
    public static String signature(byte[] secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }

    @Override
    public void send(Outgoing event) throws Exception {
        byte[] body = event.body();
        HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout)
                .header("Content-Type", "application/json; charset=utf-8")
                .header(SIGNATURE, signature(secret, body))
                .header(EVENT_ID, event.eventId())
                .header(STREAM, event.feed())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        HttpResponse<String> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IOException(describe() + " not reached with event " + event.eventId() + ": " + e
                    + Tls.hint(e, url.getHost(), trustStore), e);
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return;
        }
        String answer = "HTTP " + status + abbreviate(response.body());
        if (status >= 400 && status < 500 && status != 408 && status != 429) {
            throw new TargetRefusedException(describe() + " refused event " + event.eventId() + ": " + answer);
        }
        throw new IOException(describe() + " failed event " + event.eventId() + ": " + answer);
    }

    private static String abbreviate(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String line = body.strip().replaceAll("\\s+", " ");
        return " " + (line.length() > 200 ? line.substring(0, 200) + "…" : line);
    }

    @Override
    public String describe() {
        return "webhook:" + url.getScheme() + "://" + url.getAuthority() + (url.getPath() == null ? "" : url.getPath());
    }
}

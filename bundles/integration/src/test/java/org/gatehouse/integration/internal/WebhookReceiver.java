package org.gatehouse.integration.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

/**
 * A receiving system on loopback, as an integrator would write it: checks the HMAC signature with its own secret
 * (401 when it does not match), applies each event id once (a repeated id is answered 200 and not applied again) and
 * can be told to answer 500 or to hang.
 */
final class WebhookReceiver implements AutoCloseable {
    enum Mode { OK, FAIL, HANG }

    private final HttpServer server;
    private final byte[] secret;
    volatile Mode mode = Mode.OK;
    /** Every request, as "id status". */
    final List<String> requests = new CopyOnWriteArrayList<>();
    /** Applied events by id, in order, with how many times each was applied. */
    final Map<String, Integer> appliedCount = new LinkedHashMap<>();
    final Map<String, String> appliedBody = new LinkedHashMap<>();
    final Map<String, String> headers = new LinkedHashMap<>();
    private final CountDownLatch release = new CountDownLatch(1);

    WebhookReceiver(String secret) throws IOException {
        this(secret, null);
    }

    /** {@code tls}: an HTTPS receiver presenting that context's certificate; null for plain HTTP. */
    WebhookReceiver(String secret, SSLContext tls) throws IOException {
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        if (tls == null) {
            server = HttpServer.create(loopback, 0);
        } else {
            HttpsServer https = HttpsServer.create(loopback, 0);
            https.setHttpsConfigurator(new HttpsConfigurator(tls));
            server = https;
        }
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/hook", this::handle);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    String url() {
        return (server instanceof HttpsServer ? "https" : "http") + "://127.0.0.1:" + port() + "/hook";
    }

    private void handle(HttpExchange ex) throws IOException {
        byte[] body = ex.getRequestBody().readAllBytes();
        String id = ex.getRequestHeaders().getFirst("X-Gatehouse-Event-Id");
        int status;
        Mode now = mode;
        if (now == Mode.HANG) {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            status = 503;
        } else if (now == Mode.FAIL) {
            status = 500;
        } else if (!WebhookSink.signature(secret, body).equals(ex.getRequestHeaders().getFirst("X-Gatehouse-Signature"))) {
            status = 401;
        } else {
            status = 200;
            synchronized (this) {
                String text = new String(body, StandardCharsets.UTF_8);
                if (!appliedCount.containsKey(id)) {
                    appliedBody.put(id, text);
                }
                appliedCount.merge(id, 1, (a, b) -> a); // a repeated id is acknowledged, not applied again
                headers.put("Content-Type", ex.getRequestHeaders().getFirst("Content-Type"));
                headers.put("X-Gatehouse-Stream", ex.getRequestHeaders().getFirst("X-Gatehouse-Stream"));
                headers.put("X-Gatehouse-Signature", ex.getRequestHeaders().getFirst("X-Gatehouse-Signature"));
            }
        }
        requests.add(id + " " + status);
        byte[] answer = (status == 401 ? "bad signature" : "").getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
        if (answer.length > 0) {
            ex.getResponseBody().write(answer);
        }
        ex.close();
    }

    synchronized List<String> appliedIds() {
        return List.copyOf(appliedCount.keySet());
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
    }
}

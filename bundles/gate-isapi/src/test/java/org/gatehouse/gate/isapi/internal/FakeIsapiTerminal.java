package org.gatehouse.gate.isapi.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A tiny ISAPI terminal on loopback: Digest auth (MD5, qop=auth; a 401 with the challenge first), persons, cards,
 * door state and a queue of access events. {@code failNext} makes the next requests answer a given status,
 * {@code malformedNext} answer non-JSON, {@code hangMillis} wait before answering; {@link #stop()} takes it offline
 * and {@link #start()} brings it back on the same port.
 */
final class FakeIsapiTerminal {
    static final String REALM = "DS-K1T341";
    private static final ObjectMapper JSON = new ObjectMapper();

    final Map<String, JsonNode> persons = new LinkedHashMap<>();
    final Map<String, String> cards = new LinkedHashMap<>();
    final List<String> doorLog = new CopyOnWriteArrayList<>();
    final List<JsonNode> events = new CopyOnWriteArrayList<>();
    final List<String> requests = new CopyOnWriteArrayList<>();
    final AtomicInteger failNext = new AtomicInteger();
    volatile int failStatus = 500;
    volatile boolean malformedNext;
    volatile long hangMillis;
    /** Offline: every connection is dropped without an answer (a terminal whose network is gone). */
    volatile boolean offline;
    private final String user;
    private final String password;
    private final String nonce = "4e6f6e6365" + System.nanoTime();
    private HttpServer server;
    private int port;

    FakeIsapiTerminal(String user, String password) {
        this.user = user;
        this.password = password;
    }

    synchronized FakeIsapiTerminal start() throws IOException {
        for (int attempt = 0; ; attempt++) {
            try {
                server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
                break;
            } catch (java.net.BindException e) {
                if (attempt == 50) {
                    throw e;
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException i) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
        port = server.getAddress().getPort();
        server.createContext("/ISAPI/", this::handle);
        server.start();
        return this;
    }

    synchronized void stop() {
        server.stop(0);
    }

    URI base() {
        return URI.create("http://127.0.0.1:" + port);
    }

    void addEvent(long serialNo, String time, int minor, String employeeNo, String verifyMode) {
        ObjectNode e = JSON.createObjectNode().put("major", 5).put("minor", minor).put("time", time)
                .put("serialNo", serialNo).put("employeeNoString", employeeNo).put("doorNo", 1)
                .put("currentVerifyMode", verifyMode).put("mask", "yes").put("currTemperature", 36.5);
        events.add(e);
    }

    private void handle(HttpExchange ex) throws IOException {
        if (offline) {
            ex.getResponseBody().close();
            ex.getRequestBody().close();
            ex.close();
            return;
        }
        try (ex) {
            String path = ex.getRequestURI().getRawPath();
            String query = ex.getRequestURI().getRawQuery();
            String uri = path + (query == null ? "" : "?" + query);
            if (!authorized(ex, uri)) {
                ex.getResponseHeaders().add("WWW-Authenticate", "Digest qop=\"auth\", realm=\"" + REALM
                        + "\", nonce=\"" + nonce + "\", stale=\"FALSE\"");
                send(ex, 401, "");
                return;
            }
            requests.add(ex.getRequestMethod() + " " + path);
            if (failNext.get() > 0) {
                failNext.decrementAndGet();
                send(ex, failStatus, "{\"statusCode\":6,\"statusString\":\"Invalid Content\"}");
                return;
            }
            if (hangMillis > 0) {
                Thread.sleep(hangMillis);
            }
            if (malformedNext) {
                malformedNext = false;
                send(ex, 200, "<html>not json");
                return;
            }
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            route(ex, path, body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized void route(HttpExchange ex, String path, String body) throws IOException {
        switch (path) {
            case "/ISAPI/AccessControl/UserInfo/Record" -> {
                JsonNode info = JSON.readTree(body).path("UserInfo");
                String no = info.path("employeeNo").asText();
                if (persons.containsKey(no)) {
                    send(ex, 400, "{\"statusCode\":6,\"statusString\":\"Invalid Content\","
                            + "\"subStatusCode\":\"employeeNoAlreadyExist\"}");
                    return;
                }
                persons.put(no, info);
                ok(ex);
            }
            case "/ISAPI/AccessControl/UserInfo/Modify" -> {
                JsonNode info = JSON.readTree(body).path("UserInfo");
                persons.put(info.path("employeeNo").asText(), info);
                ok(ex);
            }
            case "/ISAPI/AccessControl/UserInfo/Delete" -> {
                for (JsonNode n : JSON.readTree(body).path("UserInfoDelCond").path("EmployeeNoList")) {
                    String no = n.path("employeeNo").asText();
                    persons.remove(no);
                    cards.values().removeIf(no::equals);
                }
                ok(ex);
            }
            case "/ISAPI/AccessControl/UserInfo/Search" -> {
                JsonNode cond = JSON.readTree(body).path("UserInfoSearchCond");
                int from = cond.path("searchResultPosition").asInt();
                int max = cond.path("maxResults").asInt(30);
                List<JsonNode> all = new ArrayList<>(persons.values());
                ObjectNode out = JSON.createObjectNode();
                ObjectNode search = out.putObject("UserInfoSearch");
                ArrayNode list = search.putArray("UserInfo");
                all.stream().skip(from).limit(max).forEach(list::add);
                search.put("responseStatusStrg", from + max < all.size() ? "MORE" : "OK");
                search.put("totalMatches", all.size());
                send(ex, 200, out.toString());
            }
            case "/ISAPI/AccessControl/CardInfo/Record" -> {
                JsonNode info = JSON.readTree(body).path("CardInfo");
                cards.put(info.path("cardNo").asText(), info.path("employeeNo").asText());
                ok(ex);
            }
            case "/ISAPI/AccessControl/AcsEvent" -> {
                JsonNode cond = JSON.readTree(body).path("AcsEventCond");
                int from = cond.path("searchResultPosition").asInt();
                int max = cond.path("maxResults").asInt(30);
                ObjectNode out = JSON.createObjectNode();
                ObjectNode ev = out.putObject("AcsEvent");
                ev.put("searchID", cond.path("searchID").asText());
                ArrayNode list = ev.putArray("InfoList");
                events.stream().skip(from).limit(max).forEach(list::add);
                ev.put("responseStatusStrg", from + max < events.size() ? "MORE" : "OK");
                ev.put("totalMatches", events.size());
                send(ex, 200, out.toString());
            }
            default -> {
                if (path.startsWith("/ISAPI/AccessControl/RemoteControl/door/") && body.contains("<cmd>open</cmd>")) {
                    doorLog.add("open " + path.substring(path.lastIndexOf('/') + 1));
                    send(ex, 200, "<ResponseStatus><statusCode>1</statusCode><statusString>OK</statusString>"
                            + "</ResponseStatus>");
                } else {
                    send(ex, 404, "{\"statusCode\":4,\"statusString\":\"Invalid Operation\"}");
                }
            }
        }
    }

    private boolean authorized(HttpExchange ex, String uri) {
        String header = ex.getRequestHeaders().getFirst("Authorization");
        if (header == null || !header.startsWith("Digest ")) {
            return false;
        }
        Map<String, String> p = DigestAuth.params(header.substring(7));
        if (!user.equals(p.get("username")) || !nonce.equals(p.get("nonce")) || !uri.equals(p.get("uri"))) {
            return false;
        }
        String ha1 = DigestAuth.md5(user + ":" + REALM + ":" + password);
        String ha2 = DigestAuth.md5(ex.getRequestMethod() + ":" + uri);
        String expected = DigestAuth.md5(ha1 + ":" + nonce + ":" + p.get("nc") + ":" + p.get("cnonce") + ":auth:" + ha2);
        return "auth".equals(p.get("qop")) && expected.equals(p.get("response"));
    }

    private static void ok(HttpExchange ex) throws IOException {
        send(ex, 200, "{\"statusCode\":1,\"statusString\":\"OK\",\"subStatusCode\":\"ok\"}");
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            ex.getResponseBody().write(bytes);
        }
    }
}

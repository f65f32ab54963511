package org.gatehouse.testing.isapi;

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
 * face pictures (FDLib, FPID = employeeNo; deleting a person deletes its face, as the real terminals do), door state
 * and a queue of access events. Its Digest check is written apart from the client's, so it tests the client. Used
 * by the gate-isapi unit tests and, as a bundle, by the Pax Exam tests (it needs only Jackson and the JDK's
 * {@code com.sun.net.httpserver}, which Karaf boot-delegates). {@code failNext} makes the next requests answer a given status,
 * {@code malformedNext} answer non-JSON, {@code hangMillis} wait before answering; {@link #stop()} takes it offline
 * and {@link #start()} brings it back on the same port.
 */
public final class FakeIsapiTerminal {
    public static final String REALM = "DS-K1T341";
    private static final ObjectMapper JSON = new ObjectMapper();

    public final Map<String, JsonNode> persons = new LinkedHashMap<>();
    public final Map<String, String> cards = new LinkedHashMap<>();
    /** Face pictures by FPID (the employeeNo): the JPEG bytes the terminal was given. */
    public final Map<String, byte[]> faces = new java.util.concurrent.ConcurrentHashMap<>();
    public final List<String> doorLog = new CopyOnWriteArrayList<>();
    public final List<JsonNode> events = new CopyOnWriteArrayList<>();
    public final List<String> requests = new CopyOnWriteArrayList<>();
    public final AtomicInteger failNext = new AtomicInteger();
    public volatile int failStatus = 500;
    public volatile boolean malformedNext;
    public volatile long hangMillis;
    /** Offline: every connection is dropped without an answer (a terminal whose network is gone). */
    public volatile boolean offline;
    private final String user;
    private final String password;
    private final String nonce = "4e6f6e6365" + System.nanoTime();
    private HttpServer server;
    private int port;

    public FakeIsapiTerminal(String user, String password) {
        this.user = user;
        this.password = password;
    }

    public synchronized FakeIsapiTerminal start() throws IOException {
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

    public synchronized void stop() {
        server.stop(0);
    }

    public URI base() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public void addEvent(long serialNo, String time, int minor, String employeeNo, String verifyMode) {
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
            byte[] raw = ex.getRequestBody().readAllBytes();
            String type = ex.getRequestHeaders().getFirst("Content-Type");
            if (path.equals("/ISAPI/Intelligent/FDLib/FDSetUp")) {
                setUpFace(ex, type, raw);
                return;
            }
            route(ex, path, new String(raw, StandardCharsets.UTF_8));
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
                    faces.remove(no);
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
            case "/ISAPI/Intelligent/FDLib/FDSearch/Delete" -> {
                for (JsonNode n : JSON.readTree(body).path("FPID")) {
                    faces.remove(n.path("value").asText());
                }
                ok(ex);
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

    /**
     * {@code FDSetUp}: multipart/form-data with a {@code FaceDataRecord} JSON part (faceLibType, FDID, FPID) and an
     * {@code img} JPEG part; refused unless the FPID is a person the terminal has and the picture is a JPEG.
     */
    private synchronized void setUpFace(HttpExchange ex, String contentType, byte[] raw) throws IOException {
        Map<String, byte[]> parts = multipart(contentType, raw);
        byte[] record = parts.get("FaceDataRecord");
        byte[] img = parts.get("img");
        if (record == null || img == null) {
            send(ex, 400, "{\"statusCode\":6,\"statusString\":\"Invalid Content\",\"subStatusCode\":\"badParameters\"}");
            return;
        }
        JsonNode r = JSON.readTree(record);
        String fpid = r.path("FPID").asText();
        if (!persons.containsKey(fpid) || !"blackFD".equals(r.path("faceLibType").asText())) {
            send(ex, 400, "{\"statusCode\":6,\"statusString\":\"Invalid Content\",\"subStatusCode\":\"employeeNoNotExist\"}");
            return;
        }
        if (img.length < 3 || (img[0] & 0xff) != 0xff || (img[1] & 0xff) != 0xd8) {
            send(ex, 400, "{\"statusCode\":6,\"statusString\":\"Invalid Content\",\"subStatusCode\":\"faceDataPicError\"}");
            return;
        }
        faces.put(fpid, img);
        ok(ex);
    }

    /** The parts of a multipart/form-data body by name (enough of RFC 7578 for one client's requests). */
    static Map<String, byte[]> multipart(String contentType, byte[] raw) {
        Map<String, byte[]> parts = new LinkedHashMap<>();
        int b = contentType == null ? -1 : contentType.indexOf("boundary=");
        if (b < 0) {
            return parts;
        }
        String boundary = contentType.substring(b + 9).replace("\"", "").trim();
        String text = new String(raw, StandardCharsets.ISO_8859_1); // byte-for-byte
        String delimiter = "--" + boundary;
        int at = text.indexOf(delimiter);
        while (at >= 0) {
            int start = at + delimiter.length();
            if (text.startsWith("--", start)) {
                break;
            }
            int headersEnd = text.indexOf("\r\n\r\n", start);
            int next = text.indexOf("\r\n" + delimiter, start);
            if (headersEnd < 0 || next < 0) {
                break;
            }
            String headers = text.substring(start, headersEnd);
            int n = headers.indexOf("name=\"");
            if (n >= 0) {
                String name = headers.substring(n + 6, headers.indexOf('"', n + 6));
                parts.put(name, text.substring(headersEnd + 4, next).getBytes(StandardCharsets.ISO_8859_1));
            }
            at = next + 2;
        }
        return parts;
    }

    private boolean authorized(HttpExchange ex, String uri) {
        String header = ex.getRequestHeaders().getFirst("Authorization");
        if (header == null || !header.startsWith("Digest ")) {
            return false;
        }
        Map<String, String> p = new LinkedHashMap<>();
        for (java.util.regex.Matcher m = PARAM.matcher(header.substring(7)); m.find(); ) {
            p.put(m.group(1).toLowerCase(java.util.Locale.ROOT), m.group(2) != null ? m.group(2) : m.group(3).trim());
        }
        if (!user.equals(p.get("username")) || !nonce.equals(p.get("nonce")) || !uri.equals(p.get("uri"))) {
            return false;
        }
        String ha1 = md5(user + ":" + REALM + ":" + password);
        String ha2 = md5(ex.getRequestMethod() + ":" + uri);
        String expected = md5(ha1 + ":" + nonce + ":" + p.get("nc") + ":" + p.get("cnonce") + ":auth:" + ha2);
        return "auth".equals(p.get("qop")) && expected.equals(p.get("response"));
    }

    private static final java.util.regex.Pattern PARAM =
            java.util.regex.Pattern.compile("(\\w+)=(?:\"([^\"]*)\"|([^,]*))");

    private static String md5(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
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

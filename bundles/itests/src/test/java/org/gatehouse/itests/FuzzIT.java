package org.gatehouse.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

import javax.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.gatehouse.api.model.Community;
import org.gatehouse.api.model.Household;
import org.gatehouse.api.model.Resident;
import org.gatehouse.api.service.CommunityRepository;
import org.gatehouse.api.service.HouseholdRepository;
import org.gatehouse.api.service.Scope;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;

/**
 * No input earns a 500: a seeded fuzz of every route in {@code /api/openapi.json} — malformed and deeply
 * nested JSON, wrong types, huge strings, odd ids and query values (broken %-escapes among them), corrupted
 * and truncated JPEGs, broken multipart bodies — at least {@value #REQUESTS} requests, bounded in time.
 * Every answer must be below 500 and arrive on a connection that was not dropped; the platform must be
 * healthy afterwards. A failure prints the seed and the request, so it can be replayed
 * ({@code -Dgatehouse.fuzz.seed=…}).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class FuzzIT extends GatehouseTestSupport {
    static final int REQUESTS = 10_000;
    static final long MAX_MILLIS = 240_000;

    @Inject
    BundleContext context;

    @Configuration
    public Option[] config() {
        List<Option> options = baseOptions();
        options.add(org.ops4j.pax.exam.CoreOptions.systemProperty("gatehouse.itest.fixtures")
                .value(new java.io.File(System.getProperty("gatehouse.fixtures")).getAbsolutePath()));
        options.add(org.ops4j.pax.exam.CoreOptions.systemProperty("gatehouse.fuzz.seed")
                .value(System.getProperty("gatehouse.fuzz.seed", "20261201")));
        return options.toArray(new Option[0]);
    }

    record Route(String method, String path, boolean json) {
    }

    @Test
    public void noInputEarnsA5xxNorADroppedConnection() throws Exception {
        await("health 200", 60000, () -> {
            try {
                return http("GET", "/health", null, null).status() == 200;
            } catch (IOException e) {
                return false;
            }
        });
        long seed = Long.getLong("gatehouse.fuzz.seed");
        Random random = new Random(seed);
        String admin = admin();
        List<Route> routes = routes();
        assertTrue("routes from the OpenAPI document: " + routes.size(), routes.size() > 40);
        List<String> ids = realIds();
        // a terminal of its own, so that the routes only a device may call are fuzzed past their login too
        CommunityRepository communities = service(context, CommunityRepository.class);
        String demo = communities.communityByCode(Scope.all(), "SUNSHINE").orElseThrow().id();
        var terminal = service(context, org.gatehouse.api.service.DeviceRepository.class).register(Scope.all(), demo,
                communities.buildings(Scope.all(), demo).get(0).id(), "fuzz-gate", "fuzz terminal",
                org.gatehouse.api.model.DeviceKind.FACE_TERMINAL, org.gatehouse.api.model.Direction.IN);
        String device = "Bearer " + terminal.token();
        String adminAuth = basic(admin);
        byte[] jpeg = Files.readAllBytes(Paths.get(System.getProperty("gatehouse.itest.fixtures"), "George_W_Bush_0001.jpg"));

        Map<Integer, Integer> statuses = new TreeMap<>();
        long start = System.currentTimeMillis();
        int sent = 0;
        while (sent < REQUESTS && System.currentTimeMillis() - start < MAX_MILLIS) {
            Route route = routes.get(random.nextInt(routes.size()));
            boolean deviceRoute = route.path().startsWith("/devices/") || route.path().equals("/passages")
                    || route.path().endsWith("/pass-check") || route.path().startsWith("/faces/");
            boolean asDevice = deviceRoute && random.nextBoolean();
            String path = fillPath(asDevice ? route.path().replace("/devices/{id}", "/devices/" + terminal.device().id())
                    .replace("/communities/{id}", "/communities/" + demo) : route.path(), random, ids)
                    + query(random, ids);
            String credentials = random.nextInt(20) == 0 ? null : random.nextInt(30) == 0 ? basic("fuzzer:wrong")
                    : asDevice ? device : adminAuth;
            Body body = body(route, random, jpeg);
            int status;
            try {
                status = send(route.method(), path, credentials, body);
            } catch (IOException dropped) {
                throw new AssertionError("seed " + seed + ", request " + sent + ": " + route.method() + " " + path
                        + " " + body.describe() + " — connection dropped: " + dropped);
            }
            statuses.merge(status, 1, Integer::sum);
            assertTrue("seed " + seed + ", request " + sent + ": " + route.method() + " " + path + " "
                    + body.describe() + " answered " + status, status < 500);
            sent++;
        }
        long millis = System.currentTimeMillis() - start;
        System.out.println("FuzzIT: " + sent + " requests over " + routes.size() + " routes in " + millis
                + " ms, seed " + seed + ", statuses " + statuses);
        assertTrue("at least " + REQUESTS + " requests within " + MAX_MILLIS + " ms: " + sent, sent >= REQUESTS);
        assertEquals("healthy afterwards", 200, http("GET", "/health", null, null).status());

        // a request line beyond the server's header limit is refused by Jetty itself, with a clear status
        assertEquals(414, send("GET", "/communities?q=" + "x".repeat(20_000), adminAuth, new Body(null, null, "none")));
        assertEquals("healthy after an oversized request line", 200, http("GET", "/health", null, null).status());
        // a malformed URI is refused by Jetty before the body is read: the answer arrives while 8 MB still go out
        assertEquals(400, send("POST", "/communities/%ZZ/households", adminAuth,
                new Body("application/json", new byte[8 << 20], "8 MB of zeros")));
        assertEquals("healthy after a refused upload", 200, http("GET", "/health", null, null).status());
    }

    private List<Route> routes() throws IOException {
        JsonNode doc = new ObjectMapper().readTree(http("GET", "/openapi.json", null, null).body());
        List<Route> routes = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.get("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> p = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = p.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                routes.add(new Route(op.getKey().toUpperCase(), p.getKey(),
                        op.getValue().at("/requestBody/content/application~1json").isObject()));
            }
        }
        return routes;
    }

    /** Ids that exist, so that some requests reach the handlers' deeper checks. */
    private List<String> realIds() throws InterruptedException {
        CommunityRepository communities = service(context, CommunityRepository.class);
        HouseholdRepository households = service(context, HouseholdRepository.class);
        await("demo community", 60000, () -> communities.communityByCode(Scope.all(), "SUNSHINE").isPresent()
                && !households.households(Scope.all(), communities.communityByCode(Scope.all(), "SUNSHINE")
                        .orElseThrow().id()).isEmpty());
        List<String> ids = new ArrayList<>();
        for (Community c : communities.communities(Scope.all())) {
            ids.add(c.id());
            communities.buildings(Scope.all(), c.id()).forEach(b -> ids.add(b.id()));
            for (Household h : households.households(Scope.all(), c.id())) {
                ids.add(h.id());
                for (Resident r : households.residents(Scope.all(), h.id())) {
                    ids.add(r.id());
                }
            }
        }
        return ids;
    }

    static final String[] ODD_IDS = {"x", "%ZZ", "%", "..%2F..%2Fetc%2Fpasswd", "0", "-1", "' OR 1=1 --", "null",
            "00000000-0000-0000-0000-000000000000", "%E4%BD%A0%E5%A5%BD", "a%00b", "%C3%28", "9".repeat(400)};

    private static String fillPath(String template, Random random, List<String> ids) {
        StringBuilder sb = new StringBuilder();
        for (String segment : template.split("/")) {
            if (segment.isEmpty()) {
                continue;
            }
            sb.append('/');
            if (segment.startsWith("{")) {
                sb.append(random.nextInt(3) == 0 ? ODD_IDS[random.nextInt(ODD_IDS.length)]
                        : ids.get(random.nextInt(ids.size())));
            } else {
                sb.append(segment);
            }
        }
        return sb.toString();
    }

    static final String[] QUERY_NAMES = {"communityId", "limit", "from", "to", "k", "since", "status", "residentId",
            "offset", "q"};
    static final String[] QUERY_VALUES = {"%ZZ", "%", "-5", "0", "99999999999999999999", "1e9", "2026-13-45T99:00:00Z",
            "yesterday", "", "%E4%BD%A0", "a+b", "%00", "true"};

    private static String query(Random random, List<String> ids) {
        int n = random.nextInt(4);
        if (n == 0) {
            return "";
        }
        StringBuilder sb = new StringBuilder("?");
        boolean huge = false;
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append('&');
            }
            sb.append(QUERY_NAMES[random.nextInt(QUERY_NAMES.length)]).append('=');
            // one huge value at most: the request line stays within Jetty's 8 KB header limit (beyond it Jetty
            // answers 414 and closes the connection before anything of Gatehouse runs: see uriBeyondTheLimit)
            if (!huge && random.nextInt(10) == 0) {
                huge = true;
                sb.append("x".repeat(5000));
            } else {
                sb.append(random.nextInt(3) == 0 ? ids.get(random.nextInt(ids.size()))
                        : QUERY_VALUES[random.nextInt(QUERY_VALUES.length)]);
            }
        }
        return sb.toString();
    }

    record Body(String contentType, byte[] bytes, String kind) {
        String describe() {
            return "[" + kind + ", " + (contentType == null ? "no type" : contentType) + ", "
                    + (bytes == null ? 0 : bytes.length) + " bytes]";
        }
    }

    static final String[] FIELDS = {"code", "name", "address", "unitId", "role", "kind", "direction", "gate",
            "buildingId", "number", "floor", "purpose", "noticeVersion", "channel", "validFrom", "validUntil",
            "reference", "phone", "birthDate", "hostHouseholdId", "expectedFrom", "expectedUntil", "uses", "code",
            "deviceId", "verdict", "occurredAt", "subjectId", "careFlags", "gates"};

    private static Body body(Route route, Random random, byte[] jpeg) {
        if ("GET".equals(route.method()) || "DELETE".equals(route.method())) {
            return new Body(null, null, "none");
        }
        int choice = random.nextInt(route.json() ? 14 : 10);
        switch (choice) {
            case 0:
                return new Body(null, null, "empty");
            case 1:
                return multipart(random, "image", jpeg, "valid jpeg");
            case 2:
                return multipart(random, "image", java.util.Arrays.copyOf(jpeg, 1 + random.nextInt(jpeg.length)),
                        "truncated jpeg");
            case 3: {
                byte[] corrupt = jpeg.clone();
                for (int i = 0; i < 40; i++) {
                    corrupt[random.nextInt(corrupt.length)] = (byte) random.nextInt();
                }
                return multipart(random, "image", corrupt, "corrupted jpeg");
            }
            case 4:
                return new Body("multipart/form-data", "--x\r\nContent-Disposition: form-data; name=\"image\"\r\n\r\nabc"
                        .getBytes(StandardCharsets.UTF_8), "multipart without boundary");
            case 5:
                return new Body("multipart/form-data; boundary=zzz", "--other\r\n\r\n--".getBytes(StandardCharsets.UTF_8),
                        "multipart with a wrong boundary");
            case 6:
                return multipart(random, random.nextBoolean() ? "csv" : "photos",
                        "building,flat\n1,101\n\u0000\u00ff".getBytes(StandardCharsets.ISO_8859_1), "broken csv");
            case 7:
                return new Body("application/json", "{\"a\":".repeat(1 + random.nextInt(3)).getBytes(StandardCharsets.UTF_8),
                        "malformed json");
            case 8:
                return new Body("application/json", "[".repeat(5000 + random.nextInt(50_000))
                        .getBytes(StandardCharsets.UTF_8), "deeply nested json");
            case 9:
                return new Body("text/plain", "code=A&name=B".getBytes(StandardCharsets.UTF_8), "form text");
            default:
                return new Body("application/json", randomObject(random).getBytes(StandardCharsets.UTF_8), "json object");
        }
    }

    private static Body multipart(Random random, String part, byte[] content, String kind) {
        String boundary = "fuzz" + random.nextInt(1_000_000);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + part
                + "\"; filename=\"f.jpg\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        out.writeBytes(content);
        out.writeBytes(("\r\n--" + boundary + (random.nextInt(5) == 0 ? "" : "--") + "\r\n").getBytes(StandardCharsets.UTF_8));
        return new Body("multipart/form-data; boundary=" + boundary, out.toByteArray(), kind);
    }

    /** A JSON object with known field names and values of any type, sometimes huge or odd. */
    private static String randomObject(Random random) {
        StringBuilder sb = new StringBuilder("{");
        int n = random.nextInt(6);
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append('"').append(FIELDS[random.nextInt(FIELDS.length)]).append("\":").append(randomValue(random, 0));
        }
        return sb.append('}').toString();
    }

    private static String randomValue(Random random, int depth) {
        switch (random.nextInt(depth > 2 ? 9 : 11)) {
            case 0: return "null";
            case 1: return String.valueOf(random.nextInt());
            case 2: return "-1.5e308";
            case 3: return "true";
            case 4: return "\"" + "字".repeat(random.nextInt(3) == 0 ? 100_000 : 3) + "\"";
            case 5: return "\"2026-02-30\"";
            case 6: return "\"\\u0000\\ud800\"";
            case 7: return "\"TENANT\"";
            case 8: return "\"" + Long.toHexString(random.nextLong()) + "\"";
            case 9: return "[" + randomValue(random, depth + 1) + "," + randomValue(random, depth + 1) + "]";
            default: return randomObject(random);
        }
    }

    /**
     * One request on its own connection, written on another thread while the answer is read: Jetty refuses a
     * malformed request line or URI itself (400 or 414, {@code Connection: close}) without reading the body, as
     * HTTP allows, and a client that reads while it writes (curl, browsers) gets that answer. A connection that
     * closes before a status line arrives is a dropped connection.
     */
    private static String basic(String userAndPassword) {
        return "Basic " + Base64.getEncoder().encodeToString(userAndPassword.getBytes(StandardCharsets.UTF_8));
    }

    /** @param authorization the Authorization header's value, or null for none */
    private static int send(String method, String path, String authorization, Body body) throws IOException {
        URL url = new URL(api(path));
        boolean withBody = body.bytes() != null || "POST".equals(method) || "PUT".equals(method);
        byte[] content = body.bytes() == null ? new byte[0] : body.bytes();
        StringBuilder head = new StringBuilder()
                .append(method).append(' ').append(url.getFile()).append(" HTTP/1.1\r\n")
                .append("Host: ").append(url.getHost()).append(':').append(url.getPort()).append("\r\n")
                .append("Connection: close\r\n");
        if (authorization != null) {
            head.append("Authorization: ").append(authorization).append("\r\n");
        }
        if (withBody) {
            head.append("Content-Type: ").append(body.contentType() == null ? "" : body.contentType()).append("\r\n")
                    .append("Content-Length: ").append(content.length).append("\r\n");
        }
        head.append("\r\n");
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(url.getHost(), url.getPort()), 5000);
            socket.setSoTimeout(60000);
            OutputStream out = socket.getOutputStream();
            CompletableFuture<IOException> writing = CompletableFuture.supplyAsync(() -> {
                try {
                    out.write(head.toString().getBytes(StandardCharsets.UTF_8));
                    out.write(content);
                    out.flush();
                    return null;
                } catch (IOException e) {
                    return e;
                }
            });
            InputStream in = socket.getInputStream();
            String statusLine = readLine(in);
            if (statusLine == null || !statusLine.startsWith("HTTP/1.1 ")) {
                IOException writeFailure = writing.join();
                throw new IOException("no answer (" + statusLine + ")"
                        + (writeFailure == null ? "" : "; writing the request: " + writeFailure));
            }
            try {
                in.transferTo(OutputStream.nullOutputStream());
            } catch (IOException afterTheAnswer) {
                // the answer has arrived; a reset while the rest of a refused body was still going out is fine
            }
            writing.join();
            return Integer.parseInt(statusLine.substring(9, 12));
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            if (b != '\r') {
                line.write(b);
            }
        }
        return b == -1 && line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }
}

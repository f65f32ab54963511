package org.gatehouse.itests.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import org.gatehouse.itests.JsonBodies;
import org.junit.jupiter.api.Test;

/**
 * What an integrator writes: a {@code *.camel.xml} file in {@code deploy/} that sends population changes to a police
 * registry's REST endpoint, started here on loopback — the worked example {@code docs/examples/police-registry.camel.xml}
 * as it is documented. The distribution (run as a process of its own, as the fault
 * suite does) ships the components such a feed needs offline: HTTP, JSONPath, Jackson — and the HTTP component's
 * exception class is visible to the route file, so it can handle the registry's refusals itself.
 */
class DropInRouteIT {
    /** The worked example of the docs, as an integrator copies it into {@code deploy/}. */
    static final Path EXAMPLE = Path.of("../../docs/examples/police-registry.camel.xml");


    @Test
    void aDropInHttpRouteFeedsARegistryAndHandlesItsRefusals() throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        HttpServer registry = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        registry.createContext("/registry", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            received.add(exchange.getRequestHeaders().getFirst("X-Change-Type") + " " + body);
            // the registry refuses move-outs it cannot match (as the housing authority's did)
            exchange.sendResponseHeaders(body.contains("\"MOVE_OUT\"") ? 422 : 200, -1);
            exchange.close();
        });
        registry.start();
        try (RunningGatehouse gatehouse = RunningGatehouse.unpack("drop-in-route")) {
            Path refused = gatehouse.home.resolve("data/registry-refused");
            // the example as documented, with the address of this test's registry
            Files.writeString(gatehouse.home.resolve("deploy/police-registry.camel.xml"), Files.readString(EXAMPLE)
                    .replace("127.0.0.1:8099", "127.0.0.1:" + registry.getAddress().getPort()));
            gatehouse.start();
            gatehouse.awaitUp(CrashFaultIT.BOOT_MILLIS);
            String admin = gatehouse.admin();
            awaitRoute(gatehouse, admin, "police-registry-feed");

            String community = CrashFaultIT.firstId(gatehouse.request("GET", "/api/communities", admin, null, null)
                    .body());
            String household = CrashFaultIT.ids(gatehouse.request("GET", "/api/communities/" + community
                    + "/households", admin, null, null).body()).get(0);
            var added = gatehouse.json("POST", "/api/households/" + household + "/residents", admin,
                    "{\"name\":\"住户 Zhao\",\"role\":\"CO_RESIDENT\"}");
            assertEquals(201, added.status(), added.body());
            String resident = JsonBodies.text(added.body(), "/resident/id");
            assertEquals(204, gatehouse.request("DELETE", "/api/residents/" + resident, admin, null, null).status());

            // the demo community's seeding sent its own move-ins before: look for this resident's two events
            long until = System.currentTimeMillis() + 60_000;
            while (System.currentTimeMillis() < until && (about(received, resident).size() < 2
                    || files(refused).isEmpty())) {
                Thread.sleep(200);
            }
            List<String> ours = about(received, resident);
            assertEquals(2, ours.size(), "the registry got the move-in and the move-out, once each: " + ours);
            assertTrue(ours.get(0).startsWith("MOVE_IN "), "the JSONPath header, in order: " + ours);
            JsonNode moveIn = JsonBodies.parse(ours.get(0).substring("MOVE_IN ".length()));
            assertEquals(household, moveIn.path("householdId").asText(), "reshaped by Jackson, fields intact");
            assertTrue(ours.get(1).startsWith("MOVE_OUT "), String.valueOf(ours));
            // the 422 was handled by the route file's own onException: the event is not retried for ever
            List<Path> refusals = files(refused);
            assertEquals(1, refusals.size(), String.valueOf(refusals));
            assertEquals("refused with 422", Files.readString(refusals.get(0)).trim());
            until = System.currentTimeMillis() + 10_000;
            long pending;
            do {
                pending = JsonBodies.number(gatehouse.request("GET", "/api/health", admin, null, null).body(),
                        "/outboxPending", -1);
            } while (pending != 0 && System.currentTimeMillis() < until && sleep());
            assertEquals(0, pending, "nothing left pending behind the refused event");
            gatehouse.stop();
        } finally {
            registry.stop(0);
        }
    }

    private static List<Path> files(Path dir) throws java.io.IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (var files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".txt")).toList();
        }
    }

    /**
     * A route without error handling of its own, whose registry refuses one event: the platform retries that
     * consumer with back-off, then makes the event its dead letter and goes on — while another consumer of the same
     * stream (a file feed) gets every event exactly once and is never held back.
     */
    @Test
    void aRefusedEventBecomesADeadLetterOfItsConsumerAndTheOthersGetEachEventOnce() throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        HttpServer registry = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        registry.createContext("/registry", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            received.add(body);
            exchange.sendResponseHeaders(body.contains("\"MOVE_OUT\"") ? 422 : 200, -1);
            exchange.close();
        });
        registry.start();
        try (RunningGatehouse gatehouse = RunningGatehouse.unpack("dead-letter")) {
            Path cfg = gatehouse.home.resolve("etc/org.gatehouse.core.outbox.cfg");
            RunningGatehouse.set(cfg, "maxAttempts", "3");
            RunningGatehouse.set(cfg, "retryInitialMillis", "300");
            Path feed = gatehouse.home.resolve("data/feed");
            Files.writeString(gatehouse.home.resolve("deploy/registry.camel.xml"), """
                    <routes xmlns="http://camel.apache.org/schema/spring">
                      <route id="strict-registry">
                        <from uri="gatehouse:population-changes"/>
                        <to uri="http://127.0.0.1:PORT/registry?httpMethod=POST"/>
                      </route>
                      <route id="file-feed">
                        <from uri="gatehouse:population-changes"/>
                        <to uri="file:data/feed?fileName=${header.GatehouseEventId}-${exchangeId}.json"/>
                      </route>
                    </routes>
                    """.replace("PORT", String.valueOf(registry.getAddress().getPort())));
            gatehouse.start();
            gatehouse.awaitUp(CrashFaultIT.BOOT_MILLIS);
            String admin = gatehouse.admin();
            awaitRoute(gatehouse, admin, "strict-registry");
            awaitRoute(gatehouse, admin, "file-feed");

            String community = CrashFaultIT.firstId(gatehouse.request("GET", "/api/communities", admin, null, null)
                    .body());
            String household = CrashFaultIT.ids(gatehouse.request("GET", "/api/communities/" + community
                    + "/households", admin, null, null).body()).get(0);
            String resident = JsonBodies.text(gatehouse.json("POST", "/api/households/" + household + "/residents",
                    admin, "{\"name\":\"住户 Qian\",\"role\":\"CO_RESIDENT\"}").body(), "/resident/id");
            assertEquals(204, gatehouse.request("DELETE", "/api/residents/" + resident, admin, null, null).status());
            // after the refused move-out, another change: the registry must not be held back by the dead letter
            String second = JsonBodies.text(gatehouse.json("POST", "/api/households/" + household + "/residents",
                    admin, "{\"name\":\"住户 Sun\",\"role\":\"CO_RESIDENT\"}").body(), "/resident/id");

            long until = System.currentTimeMillis() + 90_000;
            String status = "";
            while (System.currentTimeMillis() < until && (about(received, second).isEmpty()
                    || !status.contains("\"openDeadLetters\":1"))) {
                Thread.sleep(300);
                status = gatehouse.request("GET", "/api/health", admin, null, null).body();
            }
            assertEquals(3, about(received, resident).stream().filter(r -> r.contains("\"MOVE_OUT\"")).count(),
                    "the refused move-out was tried maxAttempts times: " + about(received, resident));
            assertEquals(1, about(received, second).size(), "the next event reached the registry once");
            var health = JsonBodies.parse(status);
            var strict = java.util.stream.StreamSupport.stream(health.path("consumers").spliterator(), false)
                    .filter(c -> c.path("id").asText().equals("population-changes/strict-registry")).findFirst()
                    .orElseThrow(() -> new AssertionError("no consumer report: " + health.path("consumers")));
            assertEquals(1, strict.path("openDeadLetters").asInt(), strict.toString());
            assertTrue(strict.path("lastError").asText().contains("422"), strict.toString());

            // the file feed: every event of this test exactly once, the move-out included, never held back
            until = System.currentTimeMillis() + 30_000;
            List<String> delivered = List.of();
            while (System.currentTimeMillis() < until) {
                delivered = fileFeed(feed);
                if (about(delivered, resident).size() == 2 && about(delivered, second).size() == 1) {
                    break;
                }
                Thread.sleep(200);
            }
            assertEquals(2, about(delivered, resident).size(), "move-in and move-out, once each");
            assertEquals(1, about(delivered, second).size());
            assertEquals(delivered.size(), new java.util.HashSet<>(delivered).size(), "no event twice");
            gatehouse.stop();
        } finally {
            registry.stop(0);
        }
    }

    private static List<String> fileFeed(Path feed) throws java.io.IOException {
        if (!Files.isDirectory(feed)) {
            return List.of();
        }
        try (var files = Files.list(feed)) {
            List<String> bodies = new java.util.ArrayList<>();
            for (Path f : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                bodies.add(Files.readString(f));
            }
            return bodies;
        }
    }

    /** What the registry received about {@code resident}, in order. */
    private static List<String> about(List<String> received, String resident) {
        return received.stream().filter(r -> r.contains("\"residentId\":\"" + resident + "\"")).toList();
    }

    private static void awaitRoute(RunningGatehouse gatehouse, String admin, String routeId) throws Exception {
        long until = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < until) {
            String health = gatehouse.request("GET", "/api/health", admin, null, null).body();
            if (health.contains("\"" + routeId + "\"")) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the route file was not loaded; see " + gatehouse.log());
    }

    private static boolean sleep() throws InterruptedException {
        Thread.sleep(200);
        return true;
    }
}

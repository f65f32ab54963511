package org.gatehouse.itests.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
    /** A made-up resident ID card number (valid form). */
    static final String ID_NUMBER = "11010519491231002X";


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
            // the housing authority's registry is configured for ID numbers (as the example's comment says)
            RunningGatehouse.set(gatehouse.home.resolve("etc/org.gatehouse.core.outbox.cfg"), "consumerPersonFields",
                    "police-registry-feed=name,role,idNumber");
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
            var idCard = gatehouse.json("POST", "/api/residents/" + resident + "/credentials", admin,
                    "{\"kind\":\"ID_CARD\",\"value\":\"" + ID_NUMBER + "\"}");
            assertEquals(201, idCard.status(), idCard.body());
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
            // who moved out of which flat, without calling back (the resident is gone: 404 now)
            JsonNode moveOut = JsonBodies.parse(ours.get(1).substring("MOVE_OUT ".length()));
            assertEquals("住户 Zhao", moveOut.path("person").path("name").asText(), moveOut.toString());
            assertEquals("CO_RESIDENT", moveOut.path("person").path("role").asText());
            assertEquals(ID_NUMBER, moveOut.path("person").path("idNumber").asText(), "configured for ID numbers");
            assertTrue(moveOut.path("person").path("phone").isNull(), "not configured: " + moveOut);
            assertFalse(moveOut.path("flat").path("number").asText("").isEmpty(), moveOut.toString());
            assertFalse(moveOut.path("flat").path("buildingCode").asText("").isEmpty(), moveOut.toString());
            assertEquals(404, gatehouse.request("GET", "/api/residents/" + resident, admin, null, null).status());
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
            // one audit row per outcome, naming the resident: the move-in delivered, the move-out refused by the
            // registry and handled by the route — with the person fields it carried, the ID number among them
            List<JsonNode> rows = new java.util.ArrayList<>();
            JsonBodies.parse(gatehouse.request("GET", "/api/audit?communityId=" + community + "&limit=1000", admin,
                    null, null).body()).forEach(e -> {
                        if (resident.equals(e.path("subjectId").asText())
                                && e.path("action").asText().startsWith("integration.")) {
                            rows.add(e);
                        }
                    });
            assertEquals(2, rows.size(), rows.toString());
            JsonNode refusedRow = rows.stream().filter(r -> r.path("action").asText().equals("integration.refused"))
                    .findFirst().orElseThrow(() -> new AssertionError(rows.toString()));
            assertEquals("route:police-registry-feed", refusedRow.path("actor").asText());
            assertTrue(refusedRow.path("detail").asText().contains("person fields name,role,idNumber"),
                    refusedRow.toString());
            assertTrue(refusedRow.path("detail").asText().contains("http://127.0.0.1:"), refusedRow.toString());
            assertFalse(refusedRow.path("detail").asText().contains(ID_NUMBER), "the number itself is not audited");
            assertTrue(rows.stream().anyMatch(r -> r.path("action").asText().equals("integration.delivered")),
                    rows.toString());
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
            // the dead letter, listed, replayed (the registry still refuses: it stays open) and skipped, through REST
            var letters = JsonBodies.parse(gatehouse.request("GET",
                    "/api/streams/dead-letters?consumer=population-changes/strict-registry", admin, null, null).body());
            assertEquals(1, letters.size(), letters.toString());
            long letter = letters.get(0).path("id").asLong();
            var replay = gatehouse.request("POST", "/api/streams/dead-letters/" + letter + "/replay", admin, null, null);
            assertEquals(502, replay.status(), replay.body());
            assertTrue(replay.body().contains("REPLAY_FAILED") && replay.body().contains("422"), replay.body());
            var skip = gatehouse.json("POST", "/api/streams/dead-letters/" + letter + "/skip", admin,
                    "{\"reason\":\"registry cannot match the person; office informed by phone\"}");
            assertEquals(200, skip.status(), skip.body());
            assertEquals("SKIPPED", JsonBodies.text(skip.body(), "/status"));
            var again = gatehouse.json("POST", "/api/streams/dead-letters/" + letter + "/skip", admin, "{}");
            assertEquals(409, again.status(), again.body());
            assertEquals(4, about(received, resident).stream().filter(r -> r.contains("\"MOVE_OUT\"")).count(),
                    "the replay reached the registry once more");
            assertEquals(1, about(delivered = fileFeed(feed), second).size(), "the file feed untouched by the replay");

            // the log: one line per failure with the next attempt, no stack trace per failed exchange
            List<String> log = Files.readAllLines(gatehouse.log());
            assertEquals(3, log.stream().filter(l -> l.contains("Consumer population-changes/strict-registry")).count(),
                    "two failures and the dead letter, one line each");
            assertTrue(log.stream().noneMatch(l -> l.startsWith("org.apache.camel.http.base.HttpOperationFailedException")),
                    "no stack trace of the registry's refusal in " + gatehouse.log());
            gatehouse.stop();
        } finally {
            registry.stop(0);
        }
    }

    /**
     * The registry is down for a minute: its consumer backs off (visible in the status: attempts, the next attempt
     * further away each time), the events wait for it in the outbox, and when the registry is back it receives every
     * one of them, in order, once. A route added afterwards with {@code ?startAt=oldest} receives the earlier events.
     */
    @Test
    void aReceiverDownForAMinuteGetsEverythingInOrderWhenItReturnsAndANewRouteCanStartFromTheOldest()
            throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        int port = RunningGatehouse.freePort();
        HttpServer registry = registry(port, received);
        try (RunningGatehouse gatehouse = RunningGatehouse.unpack("receiver-down")) {
            Path cfg = gatehouse.home.resolve("etc/org.gatehouse.core.outbox.cfg");
            RunningGatehouse.set(cfg, "maxAttempts", "40"); // an operator expecting outages of minutes
            RunningGatehouse.set(cfg, "retryMaxMillis", "8000");
            Files.writeString(gatehouse.home.resolve("deploy/registry.camel.xml"), """
                    <routes xmlns="http://camel.apache.org/schema/spring">
                      <route id="registry">
                        <from uri="gatehouse:population-changes"/>
                        <to uri="http://127.0.0.1:PORT/registry?httpMethod=POST"/>
                      </route>
                    </routes>
                    """.replace("PORT", String.valueOf(port)));
            gatehouse.start();
            gatehouse.awaitUp(CrashFaultIT.BOOT_MILLIS);
            String admin = gatehouse.admin();
            awaitRoute(gatehouse, admin, "registry");
            String community = CrashFaultIT.firstId(gatehouse.request("GET", "/api/communities", admin, null, null)
                    .body());
            String household = CrashFaultIT.ids(gatehouse.request("GET", "/api/communities/" + community
                    + "/households", admin, null, null).body()).get(0);

            registry.stop(0);
            long downAt = System.currentTimeMillis();
            List<String> residents = new java.util.ArrayList<>();
            for (String name : List.of("住户 Zhou", "住户 Wu", "住户 Zheng")) {
                residents.add(JsonBodies.text(gatehouse.json("POST", "/api/households/" + household + "/residents",
                        admin, "{\"name\":\"" + name + "\",\"role\":\"CO_RESIDENT\"}").body(), "/resident/id"));
            }
            // backing off while it is down: the wait before the next attempt grows, and the status shows it
            JsonNode consumer = null;
            while (System.currentTimeMillis() < downAt + 50_000) {
                consumer = consumer(gatehouse, admin, "population-changes/registry");
                if (consumer.path("attempts").asInt() >= 3) {
                    break;
                }
                Thread.sleep(200);
            }
            assertTrue(consumer.path("attempts").asInt() >= 3, String.valueOf(consumer));
            long wait = java.time.Duration.between(java.time.Instant.parse(consumer.path("lastErrorAt").asText()),
                    java.time.Instant.parse(consumer.path("nextAttemptAt").asText())).toMillis();
            assertTrue(wait >= 3_900, "after 3 failures the next attempt waits 4 s or more: " + consumer);
            assertTrue(consumer.path("lag").asLong() >= 3, "the events wait for it: " + consumer);
            assertTrue(residents.stream().allMatch(r -> about(received, r).isEmpty()), String.valueOf(received));

            Thread.sleep(Math.max(0, downAt + 60_000 - System.currentTimeMillis()));
            assertTrue(consumer(gatehouse, admin, "population-changes/registry").path("openDeadLetters").asInt() == 0);
            registry = registry(port, received); // back after a minute
            long until = System.currentTimeMillis() + 30_000;
            while (System.currentTimeMillis() < until && residents.stream().anyMatch(r -> about(received, r).isEmpty())) {
                Thread.sleep(200);
            }
            List<Integer> order = new java.util.ArrayList<>();
            for (String r : residents) {
                assertEquals(1, about(received, r).size(), "each move-in once: " + about(received, r));
                assertTrue(about(received, r).get(0).contains("\"name\":\"住户 "), "UTF-8 on the wire, the route "
                        + "did nothing for it: " + about(received, r));
                order.add(received.indexOf(about(received, r).get(0)));
            }
            assertEquals(order.stream().sorted().toList(), order, "in the order they happened");
            // the relay writes the consumer's position and clears its attempts when its run ends, a moment after the
            // receiver has the events (on a loaded machine, seconds): wait for that, do not read it mid-run
            long settled = System.currentTimeMillis() + 30_000;
            consumer = consumer(gatehouse, admin, "population-changes/registry");
            while (System.currentTimeMillis() < settled
                    && (consumer.path("attempts").asInt() != 0 || consumer.path("lag").asInt() != 0)) {
                Thread.sleep(200);
                consumer = consumer(gatehouse, admin, "population-changes/registry");
            }
            assertEquals(0, consumer.path("attempts").asInt(), consumer.toString());
            assertEquals(0, consumer.path("lag").asInt(), consumer.toString());

            // a new route starting from the oldest event retention keeps: the earlier events, in order
            Files.writeString(gatehouse.home.resolve("deploy/late.camel.xml"), """
                    <routes xmlns="http://camel.apache.org/schema/spring">
                      <route id="initial-load">
                        <from uri="gatehouse:population-changes?startAt=oldest"/>
                        <setBody><simple trim="false">${body}&#10;</simple></setBody>
                        <to uri="file:data/initial-load?fileName=changes.jsonl&amp;fileExist=Append"/>
                      </route>
                    </routes>
                    """);
            Path load = gatehouse.home.resolve("data/initial-load/changes.jsonl");
            until = System.currentTimeMillis() + 60_000;
            List<String> loaded = List.of();
            while (System.currentTimeMillis() < until) {
                List<String> now = Files.exists(load) ? Files.readAllLines(load) : List.of();
                loaded = now;
                if (residents.stream().allMatch(r -> !about(now, r).isEmpty())) {
                    break;
                }
                Thread.sleep(200);
            }
            List<Integer> loadedOrder = new java.util.ArrayList<>();
            for (String r : residents) {
                assertEquals(1, about(loaded, r).size(), "the earlier move-in, once: " + loaded);
                loadedOrder.add(loaded.indexOf(about(loaded, r).get(0)));
            }
            assertEquals(loadedOrder.stream().sorted().toList(), loadedOrder, "in order");
            assertTrue(loaded.size() > residents.size(), "the demo seeding's earlier changes too: " + loaded.size());
            gatehouse.stop();
        } finally {
            registry.stop(0);
        }
    }

    /** A registry on loopback at {@code port} that takes every change (200). */
    private static HttpServer registry(int port, List<String> received) throws java.io.IOException {
        HttpServer registry = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        registry.createContext("/registry", exchange -> {
            received.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        registry.start();
        return registry;
    }

    /** The consumer's report in the health details. */
    private static JsonNode consumer(RunningGatehouse gatehouse, String admin, String id) throws Exception {
        JsonNode health = JsonBodies.parse(gatehouse.request("GET", "/api/health", admin, null, null).body());
        for (JsonNode c : health.path("consumers")) {
            if (c.path("id").asText().equals(id)) {
                return c;
            }
        }
        throw new AssertionError("no consumer " + id + " in " + health.path("consumers"));
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

package org.gatehouse.itests.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import org.gatehouse.itests.JsonBodies;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The standing fault suite: the built distribution is killed with SIGKILL in the middle of work and started
 * again; everything it answered as done must be there exactly once, the audit chain must verify, and the
 * counts are printed. Each test runs on the embedded H2 and on PostgreSQL (skipped, and listed by
 * {@code ./gatehouse test}, without {@code GATEHOUSE_TEST_PG_URL}). The client is this test JVM, a process of its
 * own; each phase is bounded in count and time.
 */
class CrashFaultIT {
    static final long BOOT_MILLIS = 180_000;

    /** The database under the killed Gatehouse. */
    enum Db {
        H2, POSTGRES;

        /** An unpacked installation on this database (a fresh schema for PostgreSQL, connected directly). */
        RunningGatehouse unpack(String name) throws Exception {
            if (this == H2) {
                return RunningGatehouse.unpack(name);
            }
            PostgresFaultIT.Postgres pg = PostgresFaultIT.Postgres.fresh("gatehouse_crash_" + name);
            RunningGatehouse gatehouse = RunningGatehouse.unpack(name + "-pg");
            pg.configureDirect(gatehouse);
            return gatehouse;
        }
    }

    /**
     * Four terminals post passages; Gatehouse is killed mid-stream. Every passage answered 201 STORED is
     * stored after the restart, the outbox delivers it to an integration route (duplicates only ever with the
     * same event id), the audit chain verifies, and the restart after the kill is timed against a clean one.
     */
    @ParameterizedTest
    @EnumSource(Db.class)
    void passagesAnsweredStoredSurviveKillDuringPostsAndTheOutboxResumes(Db db) throws Exception {
        try (RunningGatehouse gatehouse = db.unpack("passages")) {
            Path feed = deployFeed(gatehouse);
            gatehouse.start();
            long firstBoot = gatehouse.awaitUp(BOOT_MILLIS);
            gatehouse.stop();
            gatehouse.start();
            long cleanRestart = gatehouse.awaitUp(BOOT_MILLIS);
            String token = "Bearer " + gatehouse.deviceTokens().values().iterator().next();

            Terminals terminals = Terminals.start(gatehouse, token, 4);
            Thread.sleep(3000 + new Random().nextInt(2000));
            terminals.awaitAcknowledged(100, 20_000);
            int atKill = terminals.acknowledged.size();
            gatehouse.kill9();
            List<String> acknowledged = terminals.stop();

            gatehouse.start();
            long crashRestart = gatehouse.awaitUp(BOOT_MILLIS);
            String admin = gatehouse.admin();
            int missing = 0;
            for (String id : acknowledged) {
                if (gatehouse.request("GET", "/api/passages/" + id, admin, null, null).status() != 200) {
                    missing++;
                }
            }
            // the outbox resumes: every acknowledged passage reaches the integration route, duplicates (at least
            // once) only ever carry the event id of the passage they are
            Map<String, Integer> finalDeliveries = awaitDelivered(gatehouse, admin, feed, acknowledged);
            long undelivered = acknowledged.stream().filter(id -> !finalDeliveries.containsKey(id)).count();
            int duplicates = finalDeliveries.values().stream().mapToInt(n -> n - 1).sum();
            var audit = gatehouse.request("GET", "/api/audit/verify", admin, null, null);
            System.out.printf("CrashFaultIT passages (" + db + "): %d answered 201 (%d at the kill), %d refused or cut off "
                            + terminals.others + ","
                            + " %d missing after restart, %d not delivered, %d delivered twice (same event id);"
                            + " boot %d ms, clean restart %d ms, restart after kill -9 %d ms%n", acknowledged.size(),
                    atKill, terminals.refused.get(), missing, undelivered, duplicates, firstBoot, cleanRestart, crashRestart);
            assertTrue(atKill > 100, "the terminals were posting when it was killed: " + atKill);
            assertEquals(0, missing, "passages answered 201 STORED lost in the crash");
            assertEquals(0, undelivered, "acknowledged passages never delivered by the outbox");
            assertEquals(200, audit.status(), audit.body());
            assertTrue(audit.body().contains("\"intact\":true"), audit.body());
            // a crash restart is a start: no recovery that takes several times a clean start (17-46 s were reported)
            assertTrue(crashRestart < 2 * cleanRestart + 15_000, "restart after kill -9 " + crashRestart
                    + " ms against a clean restart of " + cleanRestart + " ms");
            gatehouse.stop();
        }
    }

    /**
     * Faces are enrolled one after the other (resident, consent, photo); Gatehouse is killed mid-way. Every
     * resident and consent answered 201 is there after the restart, every enrolment answered 201 has exactly one
     * face credential, and the audit chain verifies.
     */
    @ParameterizedTest
    @EnumSource(Db.class)
    void enrolmentsAnsweredDoneSurviveKillDuringEnrolment(Db db) throws Exception {
        byte[] photo = Files.readAllBytes(Paths.get(System.getProperty("gatehouse.fixtures"), "Colin_Powell_0001.jpg"));
        try (RunningGatehouse gatehouse = db.unpack("enrolments")) {
            gatehouse.start();
            gatehouse.awaitUp(BOOT_MILLIS);
            String admin = gatehouse.admin();
            String households = gatehouse.request("GET", "/api/communities", admin, null, null).body();
            String community = firstId(households);
            List<String> householdIds = ids(gatehouse.request("GET", "/api/communities/" + community + "/households",
                    admin, null, null).body());
            ConcurrentLinkedQueue<String> enrolled = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<String> residentsMade = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<String> consentsGiven = new ConcurrentLinkedQueue<>();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger cutOff = new AtomicInteger();
            ExecutorService client = Executors.newSingleThreadExecutor();
            client.submit(() -> {
                for (int i = 0; i < 500 && !stop.get(); i++) {
                    try {
                        var resident = gatehouse.json("POST", "/api/households/" + householdIds.get(i % householdIds.size())
                                + "/residents", admin, "{\"name\":\"住户" + i + "\",\"role\":\"CO_RESIDENT\"}");
                        if (resident.status() != 201) {
                            continue;
                        }
                        String residentId = firstId(resident.body());
                        residentsMade.add(residentId);
                        var consent = gatehouse.json("POST", "/api/residents/" + residentId + "/consents", admin,
                                "{\"purpose\":\"face-access\",\"noticeVersion\":\"2026-11\",\"channel\":\"paper\"}");
                        if (consent.status() != 201) {
                            continue;
                        }
                        consentsGiven.add(residentId);
                        var face = gatehouse.upload("/api/residents/" + residentId + "/face", admin, "image", photo);
                        if (face.status() == 201) {
                            enrolled.add(residentId);
                        }
                    } catch (IOException | RuntimeException dead) {
                        cutOff.incrementAndGet(); // the server died under this enrolment: not acknowledged
                        return null;
                    }
                }
                return null;
            });
            long until = System.currentTimeMillis() + 60_000;
            while (enrolled.size() < 8 && System.currentTimeMillis() < until) {
                Thread.sleep(100);
            }
            Thread.sleep(new Random().nextInt(500));
            int atKill = enrolled.size();
            gatehouse.kill9();
            stop.set(true);
            client.shutdown();
            assertTrue(client.awaitTermination(60, TimeUnit.SECONDS));

            gatehouse.start();
            long crashRestart = gatehouse.awaitUp(BOOT_MILLIS);
            int missing = 0;
            int twice = 0;
            for (String resident : enrolled) {
                JsonNode credentials = JsonBodies.parse(gatehouse.request("GET", "/api/residents/" + resident
                        + "/credentials", admin, null, null).body());
                int faces = 0;
                for (JsonNode credential : credentials) {
                    faces += "FACE".equals(credential.path("kind").asText()) ? 1 : 0;
                }
                missing += faces == 0 ? 1 : 0;
                twice += faces > 1 ? 1 : 0;
            }
            int residentsLost = 0;
            for (String resident : residentsMade) {
                residentsLost += gatehouse.request("GET", "/api/residents/" + resident, admin, null, null).status()
                        == 200 ? 0 : 1;
            }
            int consentsLost = 0;
            for (String resident : consentsGiven) {
                consentsLost += gatehouse.request("GET", "/api/residents/" + resident + "/consents", admin, null, null)
                        .body().contains("face-access") ? 0 : 1;
            }
            var audit = gatehouse.request("GET", "/api/audit/verify", admin, null, null);
            System.out.printf("CrashFaultIT enrolments (%s): %d residents, %d consents and %d faces answered 201 (%d at"
                    + " the kill), %d cut off; after the restart %d residents, %d consents and %d faces missing, %d"
                    + " residents with two faces; restart after kill -9 %d ms%n", db, residentsMade.size(),
                    consentsGiven.size(), enrolled.size(), atKill, cutOff.get(), residentsLost, consentsLost, missing,
                    twice, crashRestart);
            assertTrue(atKill >= 8, "enrolments were under way when it was killed: " + atKill);
            assertEquals(0, residentsLost, "residents answered 201 lost in the crash");
            assertEquals(0, consentsLost, "consents answered 201 lost in the crash");
            assertEquals(0, missing, "enrolments answered 201 lost in the crash");
            assertEquals(0, twice, "an enrolment answered once left two faces");
            assertTrue(audit.body().contains("\"intact\":true"), audit.body());
            gatehouse.stop();
        }
    }

    /**
     * A bulk import (CSV + photo zip) is killed mid-way. After the restart the job says INTERRUPTED with the
     * rows done so far, a resume finishes it, and every CSV row has exactly one resident; the audit chain verifies.
     */
    @ParameterizedTest
    @EnumSource(Db.class)
    void anImportKilledMidWayIsInterruptedAndResumesWithoutDuplicates(Db db) throws Exception {
        Path fixtures = Paths.get(System.getProperty("gatehouse.fixtures"));
        List<Path> photos;
        try (var files = Files.list(fixtures)) {
            photos = files.filter(f -> f.toString().endsWith(".jpg")).sorted().toList();
        }
        int rows = 48;
        StringBuilder csv = new StringBuilder("building,flat,household,name,role,phone,validFrom,validUntil,photo,faceConsent\n");
        java.io.ByteArrayOutputStream zip = new java.io.ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream out = new java.util.zip.ZipOutputStream(zip)) {
            for (int i = 0; i < photos.size(); i++) {
                out.putNextEntry(new java.util.zip.ZipEntry("p" + i + ".jpg"));
                out.write(Files.readAllBytes(photos.get(i)));
                out.closeEntry();
            }
        }
        String[] flats = {"101", "102", "201", "202", "301", "302"};
        for (int i = 0; i < rows; i++) {
            csv.append("1,").append(flats[i % flats.length]).append(",导入户").append(i).append(",导入住户").append(i)
                    .append(",TENANT,1380000").append(String.format("%04d", i)).append(",,,p").append(i % photos.size())
                    .append(".jpg,yes\n");
        }
        try (RunningGatehouse gatehouse = db.unpack("imports")) {
            gatehouse.start();
            gatehouse.awaitUp(BOOT_MILLIS);
            String admin = gatehouse.admin();
            gatehouse.deviceTokens(); // the demo community is seeded
            String community = firstId(gatehouse.request("GET", "/api/communities", admin, null, null).body());
            var submitted = gatehouse.request("POST", "/api/communities/" + community + "/imports", admin,
                    "multipart/form-data; boundary=imp", multipart(csv.toString().getBytes(StandardCharsets.UTF_8),
                            zip.toByteArray()));
            assertTrue(submitted.status() == 201 || submitted.status() == 202, submitted.body());
            String job = firstId(submitted.body());
            long until = System.currentTimeMillis() + 120_000;
            int doneAtKill = 0;
            while (System.currentTimeMillis() < until) {
                String report = gatehouse.request("GET", "/api/imports/" + job, admin, null, null).body();
                doneAtKill = number(report, "done") + number(report, "failed");
                if (doneAtKill >= 5) {
                    break;
                }
                Thread.sleep(100);
            }
            gatehouse.kill9();

            gatehouse.start();
            long crashRestart = gatehouse.awaitUp(BOOT_MILLIS);
            String interrupted = gatehouse.request("GET", "/api/imports/" + job, admin, null, null).body();
            assertTrue(interrupted.contains("\"status\":\"INTERRUPTED\""), interrupted);
            int doneBefore = number(interrupted, "done") + number(interrupted, "failed");
            var resumed = gatehouse.request("POST", "/api/imports/" + job + "/resume", admin, null, null);
            assertTrue(resumed.status() < 300, resumed.body());
            String report = "";
            until = System.currentTimeMillis() + 180_000;
            while (System.currentTimeMillis() < until) {
                report = gatehouse.request("GET", "/api/imports/" + job, admin, null, null).body();
                if (report.contains("\"status\":\"FINISHED\"") || report.contains("\"status\":\"FAILED\"")) {
                    break;
                }
                Thread.sleep(250);
            }
            assertTrue(report.contains("\"status\":\"FINISHED\""), report);
            // exactly one resident per CSV row: count the imported names over the community's households
            Map<String, Integer> residents = new HashMap<>();
            for (String household : ids(gatehouse.request("GET", "/api/communities/" + community + "/households",
                    admin, null, null).body())) {
                for (JsonNode resident : JsonBodies.parse(gatehouse.request("GET",
                        "/api/households/" + household + "/residents", admin, null, null).body())) {
                    if (resident.path("name").asText().startsWith("导入住户")) {
                        residents.merge(resident.path("name").asText(), 1, Integer::sum);
                    }
                }
            }
            long twice = residents.values().stream().filter(n -> n > 1).count();
            var audit = gatehouse.request("GET", "/api/audit/verify", admin, null, null);
            System.out.printf("CrashFaultIT import (%s): %d rows, %d done when killed, %d after the restart "
                            + "(INTERRUPTED), %d residents after the resume, %d imported twice; restart after kill -9 %d "
                            + "ms%n", db, rows, doneAtKill, doneBefore, residents.size(), twice, crashRestart);
            assertTrue(doneBefore >= doneAtKill, "rows reported done before the kill (" + doneAtKill + ") are done "
                    + "after it: " + doneBefore);
            assertEquals(0, twice, "a resident imported twice: " + residents);
            assertEquals(rows - number(report, "failed"), residents.size(), report);
            assertTrue(audit.body().contains("\"intact\":true"), audit.body());
            gatehouse.stop();
        }
    }

    static byte[] multipart(byte[] csv, byte[] zip) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.writeBytes("--imp\r\nContent-Disposition: form-data; name=\"csv\"; filename=\"r.csv\"\r\n\r\n"
                .getBytes(StandardCharsets.UTF_8));
        out.writeBytes(csv);
        out.writeBytes("\r\n--imp\r\nContent-Disposition: form-data; name=\"photos\"; filename=\"p.zip\"\r\n\r\n"
                .getBytes(StandardCharsets.UTF_8));
        out.writeBytes(zip);
        out.writeBytes("\r\n--imp--\r\n".getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    static int number(String json, String field) {
        return (int) JsonBodies.number(json, "/" + field, 0);
    }

    static String passage(String id) {
        return "{\"id\":\"" + id + "\",\"occurredAt\":\"" + Instant.now() + "\",\"direction\":\"IN\","
                + "\"subjectType\":\"RESIDENT\",\"subjectId\":\"r-" + id.substring(0, 8) + "\",\"credentialKind\":\"CARD\","
                + "\"decision\":{\"verdict\":\"ALLOW\",\"reasons\":[{\"code\":\"WHITELISTED\",\"detail\":\"card\"}],"
                + "\"scores\":{}}}";
    }

    /** A route file in deploy/ that writes every passage event to a folder, named by its event id. */
    static Path deployFeed(RunningGatehouse gatehouse) throws IOException {
        Path feed = Files.createDirectories(gatehouse.home.resolve("feed"));
        Files.writeString(gatehouse.home.resolve("deploy/fault-feed.camel.xml"), """
                <routes xmlns="http://camel.apache.org/schema/spring">
                  <route id="fault-feed">
                    <from uri="gatehouse:passages"/>
                    <setHeader name="CamelFileName"><simple>${header.GatehouseEventId}--${exchangeId}.json</simple></setHeader>
                    <to uri="file:%s"/>
                  </route>
                </routes>
                """.formatted(feed), StandardCharsets.UTF_8);
        return feed;
    }

    /** Waits (up to 2 min) until the feed holds every one of {@code expected} and the outbox is empty. */
    static Map<String, Integer> awaitDelivered(RunningGatehouse gatehouse, String admin, Path feed,
                                               List<String> expected) throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + 120_000;
        Map<String, Integer> delivered = new HashMap<>();
        long pending = -1;
        while (System.currentTimeMillis() < deadline) {
            delivered = deliveries(feed);
            pending = outboxPending(gatehouse, admin);
            if (delivered.keySet().containsAll(expected) && pending == 0) {
                return delivered;
            }
            Thread.sleep(500);
        }
        System.out.printf("awaitDelivered: gave up after 120 s with %d of %d delivered, outbox pending %d: %s%n",
                expected.stream().filter(delivered::containsKey).count(), expected.size(), pending,
                gatehouse.request("GET", "/api/health", admin, null, null).body());
        return delivered;
    }

    /** Event id -> deliveries, from the files the route wrote; a file whose payload is another passage fails. */
    static Map<String, Integer> deliveries(Path feed) throws IOException {
        Map<String, Integer> delivered = new HashMap<>();
        try (var files = Files.list(feed)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".json")).toList()) {
                String name = file.getFileName().toString();
                String eventId = name.substring(0, name.indexOf("--"));
                String payload = Files.readString(file, StandardCharsets.UTF_8);
                if (payload.isEmpty()) {
                    continue; // being written
                }
                assertEquals(eventId, JsonBodies.text(payload, "/id"),
                        "a delivery under event id " + eventId + " carries another passage: " + payload);
                delivered.merge(eventId, 1, Integer::sum);
            }
        }
        return delivered;
    }

    static long outboxPending(RunningGatehouse gatehouse, String admin) throws IOException {
        return JsonBodies.number(gatehouse.request("GET", "/api/health", admin, null, null).body(), "/outboxPending",
                -1);
    }

    /** The id of the first element of an array answer, or of the object answered (a new resident's: its resident). */
    static String firstId(String json) {
        JsonNode answer = JsonBodies.parse(json);
        JsonNode first = answer.isArray() ? answer.path(0) : answer.has("resident") ? answer.path("resident") : answer;
        if (!first.hasNonNull("id")) {
            throw new AssertionError("no id in " + json);
        }
        return first.get("id").asText();
    }

    static List<String> ids(String json) {
        return JsonBodies.each(json, "id");
    }
}

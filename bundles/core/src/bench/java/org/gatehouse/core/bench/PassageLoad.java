package org.gatehouse.core.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Passages per second a running Gatehouse holds with durable acknowledgements: THREADS terminals post
 * passages (as gate terminals report offline decisions) for SECONDS and the answers 201 STORED are counted,
 * with the median and p99 latency. A source-file program, no build needed:
 * <pre>
 *   ./gatehouse start
 *   java bundles/core/src/bench/java/org/gatehouse/core/bench/PassageLoad.java run/gatehouse 20 4
 * </pre>
 * (the installation folder gives the port and a demo terminal's token).
 */
public final class PassageLoad {
    private PassageLoad() {
    }

    public static void main(String[] args) throws Exception {
        Path home = Path.of(args.length > 0 ? args[0] : "run/gatehouse");
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        String port = Files.readAllLines(home.resolve("etc/org.ops4j.pax.web.cfg")).stream()
                .filter(l -> l.startsWith("org.osgi.service.http.port")).map(l -> l.split("=")[1].trim())
                .findFirst().orElse("8181");
        String token = Files.readAllLines(home.resolve("data/gatehouse/demo-device-tokens.properties")).stream()
                .filter(l -> !l.startsWith("#") && l.contains("=")).map(l -> l.substring(l.lastIndexOf(' ') + 1))
                .findFirst().orElseThrow();
        String base = "http://localhost:" + port;
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        AtomicLong stored = new AtomicLong();
        AtomicLong other = new AtomicLong();
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        long end = System.currentTimeMillis() + seconds * 1000L;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        for (int t = 0; t < threads; t++) {
            pool.submit(() -> {
                while (System.currentTimeMillis() < end) {
                    String id = UUID.randomUUID().toString();
                    String body = "{\"id\":\"" + id + "\",\"occurredAt\":\"" + Instant.now() + "\",\"direction\":\"IN\","
                            + "\"subjectType\":\"RESIDENT\",\"subjectId\":\"bench\",\"credentialKind\":\"CARD\","
                            + "\"decision\":{\"verdict\":\"ALLOW\",\"reasons\":[{\"code\":\"WHITELISTED\",\"detail\":\"card\"}],"
                            + "\"scores\":{}}}";
                    long t0 = System.nanoTime();
                    try {
                        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + "/api/passages"))
                                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                                HttpResponse.BodyHandlers.ofString());
                        latencies.add(System.nanoTime() - t0);
                        if (r.statusCode() == 201) {
                            stored.incrementAndGet();
                        } else {
                            other.incrementAndGet();
                        }
                    } catch (Exception e) {
                        other.incrementAndGet();
                    }
                }
                return null;
            });
        }
        pool.shutdown();
        pool.awaitTermination(seconds + 60L, TimeUnit.SECONDS);
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        System.out.printf("%d threads, %d s: %d stored (%.0f/s), %d other answers; latency median %.2f ms, p99 %.2f ms%n",
                threads, seconds, stored.get(), stored.get() / (double) seconds, other.get(),
                sorted.isEmpty() ? 0 : sorted.get(sorted.size() / 2) / 1e6,
                sorted.isEmpty() ? 0 : sorted.get(sorted.size() * 99 / 100) / 1e6);
    }
}

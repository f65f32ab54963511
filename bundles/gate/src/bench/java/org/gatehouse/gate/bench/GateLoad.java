package org.gatehouse.gate.bench;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * The gate's decision latency under an open-loop load: captures ({@code POST /api/devices/{id}/captures}, 640×480 JPEG
 * frames with a real LFW photo pasted into a scene) are <b>scheduled</b> at a fixed rate and each latency is measured
 * from its scheduled send time, so a server that falls behind shows its queue (no coordinated omission); CONNECTIONS
 * worker threads send them (at most that many requests in flight). A source-file program, no build needed:
 * <pre>
 *   ./gatehouse start
 *   java bundles/gate/src/bench/java/org/gatehouse/gate/bench/GateLoad.java run/gatehouse --setup   # once
 *   java bundles/gate/src/bench/java/org/gatehouse/gate/bench/GateLoad.java run/gatehouse --rate 60 --seconds 60
 *   java bundles/gate/src/bench/java/org/gatehouse/gate/bench/GateLoad.java run/gatehouse --sweep
 *   java bundles/gate/src/bench/java/org/gatehouse/gate/bench/GateLoad.java --self-test
 * </pre>
 * {@code --setup} (admin login from {@code etc/gatehouse-admin.password}, demo community SUNSHINE) registers
 * {@code --devices} community-gate terminals (the gate limits each device to 10 captures/s), enrols the first photo of
 * every lfw-dev person with two or more photos as a resident of a demo household (resident, consent, face: the REST
 * path of the README) and pads the gallery to {@code --gallery} templates with {@code gatehouse:bench-gallery-fill}
 * (synthetic random templates in memory only; see the gate README, Performance). It writes what the runs need to
 * {@code HOME/data/gatehouse/gate-bench.properties}. Probes: the other photos of the enrolled people and, as
 * {@code --strangers} (10 %) of the requests, photos of lfw-dev people never enrolled.
 * Every run resets and then reads the server's stage split ({@code GET /api/gate/timings}).
 */
public final class GateLoad {
    private GateLoad() {
    }

    static final Path FACES = Path.of("../shared/data/faces/lfw-dev");

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--self-test")) {
            selfTest();
            return;
        }
        Path home = Path.of(args.length > 0 && !args[0].startsWith("--") ? args[0] : "run/gatehouse");
        Map<String, String> opt = options(args);
        double rate = Double.parseDouble(opt.getOrDefault("rate", "60"));
        int seconds = Integer.parseInt(opt.getOrDefault("seconds", "60"));
        int warmup = Integer.parseInt(opt.getOrDefault("warmup", "10"));
        int connections = Integer.parseInt(opt.getOrDefault("connections", "8"));
        double strangers = Double.parseDouble(opt.getOrDefault("strangers", "0.1"));
        Path faces = Path.of(opt.getOrDefault("faces", FACES.toString()));
        Server server = new Server(home);
        Path state = home.resolve("data/gatehouse/gate-bench.properties");
        if (opt.containsKey("setup")) {
            setup(server, faces, state, Integer.parseInt(opt.getOrDefault("devices", "24")),
                    Integer.parseInt(opt.getOrDefault("gallery", "10000")));
            return;
        }
        if (!Files.exists(state)) {
            throw new IllegalStateException("run --setup first (" + state + " is missing)");
        }
        Map<String, String> st = readProps(state);
        List<String[]> devices = new ArrayList<>();
        for (String line : st.get("devices").split(",")) {
            devices.add(line.split(":", 2));
        }
        List<byte[]> residents = frames(faces, List.of(st.get("probes").split("\\|")), 600, 1);
        List<byte[]> unknown = frames(faces, List.of(st.get("strangers").split("\\|")), 100, 2);
        System.out.printf(Locale.ROOT, "%d resident frames, %d stranger frames (640x480 JPEG, mean %d kB), %d devices, "
                        + "%d connections, strangers %.0f %%%n", residents.size(), unknown.size(),
                residents.stream().mapToInt(b -> b.length).sum() / residents.size() / 1024, devices.size(), connections,
                strangers * 100);
        Load load = new Load(server, devices, residents, unknown, strangers, connections);
        if (warmup > 0) {
            Result w = load.run(Math.min(rate, 30), warmup);
            System.out.println("warm-up: " + w.line());
        }
        if (opt.containsKey("sweep")) {
            double r = Double.parseDouble(opt.getOrDefault("from", "40"));
            double step = Double.parseDouble(opt.getOrDefault("step", "10"));
            double max = Double.parseDouble(opt.getOrDefault("max", "200"));
            double best = 0;
            for (; r <= max; r += step) {
                server.resetTimings();
                Result res = load.run(r, seconds);
                System.out.println(res.line());
                boolean holds = res.p(99) <= 100 && res.errors() == 0;
                if (!holds) {
                    System.out.println("  p99 > 100 ms or errors at " + fmt(r) + "/s: stop");
                    System.out.println(server.timings());
                    break;
                }
                best = r;
            }
            System.out.println("highest rate with p99 <= 100 ms and no errors: " + fmt(best) + "/s (step " + fmt(step) + ")");
            return;
        }
        server.resetTimings();
        Result res = load.run(rate, seconds);
        System.out.println(res.line());
        System.out.println(res.decisionsLine());
        System.out.println("server split (GET /api/gate/timings, ms):");
        System.out.println(server.timings());
    }

    // --------------------------------------------------------------------------------------------------- the load

    /** Open loop: request i is due at start + i / rate; its latency runs from then. */
    static final class Load {
        final Server server;
        final List<String[]> devices;
        final List<byte[]> residents;
        final List<byte[]> unknown;
        final double strangers;
        final int connections;

        Load(Server server, List<String[]> devices, List<byte[]> residents, List<byte[]> unknown, double strangers,
             int connections) {
            this.server = server;
            this.devices = devices;
            this.residents = residents;
            this.unknown = unknown;
            this.strangers = strangers;
            this.connections = connections;
        }

        Result run(double rate, int seconds) throws InterruptedException {
            int count = (int) Math.round(rate * seconds);
            long[] latencies = new long[count];
            Arrays.fill(latencies, -1);
            Map<String, LongAdder> statuses = new ConcurrentHashMap<>();
            Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
            BlockingQueue<Integer> due = new ArrayBlockingQueue<>(count + connections);
            long start = System.nanoTime() + 50_000_000L;
            Random random = new Random(count);
            boolean[] stranger = new boolean[count];
            int[] frame = new int[count];
            for (int i = 0; i < count; i++) {
                stranger[i] = random.nextDouble() < strangers;
                frame[i] = random.nextInt(stranger[i] ? unknown.size() : residents.size());
            }
            AtomicInteger done = new AtomicInteger();
            long[] lastEnd = {0};
            List<Thread> workers = new ArrayList<>();
            for (int c = 0; c < connections; c++) {
                Thread t = new Thread(() -> {
                    while (true) {
                        int i;
                        try {
                            i = due.take();
                        } catch (InterruptedException e) {
                            return;
                        }
                        if (i < 0) {
                            return;
                        }
                        long scheduled = Schedule.due(start, rate, i);
                        String[] device = devices.get(i % devices.size());
                        byte[] jpeg = stranger[i] ? unknown.get(frame[i]) : residents.get(frame[i]);
                        String key;
                        try {
                            HttpResponse<String> r = server.capture(device[0], device[1], jpeg, "bench-" + start + "-" + i);
                            key = String.valueOf(r.statusCode());
                            if (r.statusCode() == 200) {
                                outcomes.computeIfAbsent((stranger[i] ? "stranger " : "resident ")
                                        + field(r.body(), "verdict") + " " + field(r.body(), "faceBand"),
                                        k -> new LongAdder()).increment();
                            } else {
                                key += " " + field(r.body(), "code");
                            }
                        } catch (Exception e) {
                            key = e.getClass().getSimpleName();
                        }
                        long end = System.nanoTime();
                        latencies[i] = end - scheduled;
                        statuses.computeIfAbsent(key, k -> new LongAdder()).increment();
                        synchronized (lastEnd) {
                            lastEnd[0] = Math.max(lastEnd[0], end);
                        }
                        done.incrementAndGet();
                    }
                }, "gate-load-" + c);
                t.setDaemon(true);
                t.start();
                workers.add(t);
            }
            for (int i = 0; i < count; i++) {
                long wait = Schedule.due(start, rate, i) - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                due.add(i); // a request not picked up at once waits here: its latency counts the wait
            }
            for (int c = 0; c < connections; c++) {
                due.add(-1);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30); // bounded: 30 s for the last answers
            for (Thread t : workers) {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            }
            for (Thread t : workers) {
                t.interrupt();
            }
            long[] answered = Arrays.stream(latencies).filter(l -> l >= 0).sorted().toArray();
            int missing = count - answered.length;
            if (missing > 0) {
                statuses.computeIfAbsent("no answer within 30 s", k -> new LongAdder()).add(missing);
            }
            double elapsed = ((lastEnd[0] == 0 ? System.nanoTime() : lastEnd[0]) - start) / 1e9;
            return new Result(rate, seconds, connections, answered, statuses, outcomes, answered.length / elapsed);
        }
    }

    /** The open-loop schedule: request {@code i} is due at {@code start + i / rate} seconds. */
    static final class Schedule {
        private Schedule() {
        }

        static long due(long startNanos, double ratePerSecond, int i) {
            return startNanos + Math.round(i * 1e9 / ratePerSecond);
        }
    }

    record Result(double rate, int seconds, int connections, long[] sorted, Map<String, LongAdder> statuses,
                  Map<String, LongAdder> outcomes, double achieved) {
        double p(double pct) {
            return sorted.length == 0 ? Double.NaN : percentile(sorted, pct) / 1e6;
        }

        long errors() {
            return statuses.entrySet().stream().filter(e -> !e.getKey().equals("200")).mapToLong(e -> e.getValue().sum())
                    .sum();
        }

        String line() {
            return String.format(Locale.ROOT, "rate %s/s for %d s, %d connections: %d answered, achieved %.1f/s; "
                            + "latency from schedule p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms; answers %s",
                    fmt(rate), seconds, connections, sorted.length, achieved, p(50), p(95), p(99),
                    sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1] / 1e6, new TreeMap<>(statuses));
        }

        String decisionsLine() {
            return "decisions: " + new TreeMap<>(outcomes);
        }
    }

    /** Nearest rank: the smallest value with at least {@code pct} % of the values at or below it. */
    static long percentile(long[] sorted, double pct) {
        int rank = (int) Math.ceil(pct / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    static String fmt(double r) {
        return r == Math.rint(r) ? String.valueOf((long) r) : String.valueOf(r);
    }

    // ------------------------------------------------------------------------------------------------- frames

    /**
     * 640×480 JPEG (quality 0.9) door-camera frames: a textured wall, the 250×250 LFW photo (face about 100 px wide,
     * other people in the photo stay in) pasted at a random place in the middle third, scaled 0.9–1.3×.
     */
    static List<byte[]> frames(Path faces, List<String> photos, int max, long seed) throws IOException {
        Random random = new Random(seed);
        List<String> chosen = new ArrayList<>(photos);
        java.util.Collections.shuffle(chosen, random);
        List<byte[]> out = new ArrayList<>();
        for (String p : chosen.subList(0, Math.min(max, chosen.size()))) {
            BufferedImage photo = ImageIO.read(faces.resolve(p).toFile());
            BufferedImage scene = new BufferedImage(640, 480, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = scene.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            int base = 90 + random.nextInt(80);
            g.setPaint(new java.awt.GradientPaint(0, 0, new Color(base, base, base + 10), 640, 480,
                    new Color(base + 60, base + 50, base + 30)));
            g.fillRect(0, 0, 640, 480);
            for (int k = 0; k < 40; k++) { // a door frame, posters, noise: edges for the detector to look at
                g.setColor(new Color(random.nextInt(256), random.nextInt(256), random.nextInt(256)));
                g.fillRect(random.nextInt(640), random.nextInt(480), 5 + random.nextInt(60), 5 + random.nextInt(60));
            }
            double scale = 0.9 + random.nextDouble() * 0.4;
            int w = (int) (250 * scale);
            int x = 640 / 2 - w / 2 + random.nextInt(121) - 60;
            int y = Math.max(0, 480 / 2 - w / 2 + random.nextInt(61) - 30);
            g.drawImage(photo, x, y, w, w, null);
            g.dispose();
            out.add(jpeg(scene));
        }
        return out;
    }

    static byte[] jpeg(BufferedImage img) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam p = writer.getDefaultWriteParam();
        p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        p.setCompressionQuality(0.9f);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(img, null, null), p);
        }
        writer.dispose();
        return bytes.toByteArray();
    }

    // -------------------------------------------------------------------------------------------------- setup

    static void setup(Server server, Path faces, Path state, int deviceCount, int gallery) throws Exception {
        String community = server.communityId("SUNSHINE");
        List<String> households = ids(server.admin("GET", "/api/communities/" + community + "/households", null));
        System.out.println("community SUNSHINE " + community + ", " + households.size() + " households");
        StringBuilder devices = new StringBuilder();
        for (int d = 0; d < deviceCount; d++) {
            String body = server.admin("POST", "/api/communities/" + community + "/devices", "{\"gate\":\"bench-gate-" + d
                    + "\",\"name\":\"bench gate " + d + "\",\"kind\":\"FACE_TERMINAL\",\"direction\":\"IN\"}");
            String token = field(body, "token");
            String id = field(body.substring(body.indexOf("\"device\"")), "id");
            devices.append(d == 0 ? "" : ",").append(id).append(':').append(token);
        }
        System.out.println(deviceCount + " community-gate devices registered");
        List<Path> people;
        try (Stream<Path> s = Files.list(faces)) {
            people = s.filter(Files::isDirectory).sorted().toList();
        }
        List<String> probes = new ArrayList<>();
        List<String> strangers = new ArrayList<>();
        int enrolled = 0;
        int failed = 0;
        for (Path person : people) {
            List<Path> photos;
            try (Stream<Path> s = Files.list(person)) {
                photos = s.filter(p -> p.toString().endsWith(".jpg")).sorted().toList();
            }
            String name = person.getFileName().toString();
            if (photos.size() < 2) {
                strangers.add(name + "/" + photos.get(0).getFileName());
                continue;
            }
            String household = households.get(enrolled % households.size());
            String resident = field(server.admin("POST", "/api/households/" + household + "/residents",
                    "{\"name\":\"" + name.replace('_', ' ') + "\",\"role\":\"CO_RESIDENT\"}"), "id");
            server.admin("POST", "/api/residents/" + resident + "/consents",
                    "{\"purpose\":\"face-access\",\"noticeVersion\":\"2026-11\",\"channel\":\"paper\"}");
            int status = server.enrol(resident, Files.readAllBytes(photos.get(0)));
            if (status / 100 != 2) {
                failed++;
                continue;
            }
            enrolled++;
            for (Path p : photos.subList(1, photos.size())) {
                probes.add(name + "/" + p.getFileName());
            }
        }
        System.out.printf("%d lfw-dev people enrolled (first photo; %d refused by the enrolment quality check), "
                + "%d mated probe photos, %d stranger photos%n", enrolled, failed, probes.size(), strangers.size());
        String fill = server.shell("gatehouse:bench-gallery-fill SUNSHINE " + gallery);
        System.out.println(fill.strip());
        Files.writeString(state, "devices=" + devices + "\nprobes=" + String.join("|", probes) + "\nstrangers="
                + String.join("|", strangers) + "\n");
        System.out.println("written " + state);
    }

    // ------------------------------------------------------------------------------------------------- server

    static final class Server {
        final Path home;
        final String base;
        final String admin;
        final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();

        Server(Path home) throws IOException {
            this.home = home;
            String port = Files.readAllLines(home.resolve("etc/org.ops4j.pax.web.cfg")).stream()
                    .filter(l -> l.startsWith("org.osgi.service.http.port")).map(l -> l.split("=")[1].trim())
                    .findFirst().orElse("8181");
            base = "http://localhost:" + port;
            String password = System.getenv("GATEHOUSE_ADMIN_PASSWORD") != null ? System.getenv("GATEHOUSE_ADMIN_PASSWORD")
                    : Files.readAllLines(home.resolve("etc/gatehouse-admin.password")).get(0).trim();
            admin = "Basic " + Base64.getEncoder().encodeToString(("admin:" + password).getBytes(StandardCharsets.UTF_8));
        }

        String admin(String method, String path, String json) throws IOException, InterruptedException {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", admin)
                    .timeout(Duration.ofSeconds(60));
            b = json == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
                    : b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
            HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2) {
                throw new IOException(method + " " + path + ": " + r.statusCode() + " " + r.body());
            }
            return r.body();
        }

        String communityId(String code) throws IOException, InterruptedException {
            String body = admin("GET", "/api/communities", null);
            Matcher m = Pattern.compile("\\{[^{}]*\"code\"\\s*:\\s*\"" + code + "\"[^{}]*}").matcher(body);
            if (!m.find()) {
                throw new IllegalStateException("no community " + code + " (is the demo enabled?)");
            }
            return field(m.group(), "id");
        }

        int enrol(String resident, byte[] photo) throws IOException, InterruptedException {
            HttpResponse<String> r = client.send(multipart(URI.create(base + "/api/residents/" + resident + "/face"),
                    admin, "image", photo, null), HttpResponse.BodyHandlers.ofString());
            return r.statusCode();
        }

        HttpResponse<String> capture(String device, String token, byte[] jpeg, String requestId)
                throws IOException, InterruptedException {
            return client.send(multipart(URI.create(base + "/api/devices/" + device + "/captures"), "Bearer " + token,
                    "frame", jpeg, requestId), HttpResponse.BodyHandlers.ofString());
        }

        void resetTimings() throws IOException, InterruptedException {
            admin("DELETE", "/api/gate/timings", null);
        }

        String timings() throws IOException, InterruptedException {
            String body = admin("GET", "/api/gate/timings", null);
            StringBuilder out = new StringBuilder("  decisions " + field(body, "decisions") + ", window "
                    + field(body, "window") + "\n");
            out.append(String.format(Locale.ROOT, "  %-8s %7s %7s %7s %7s %7s%n", "stage", "mean", "p50", "p95", "p99",
                    "max"));
            Matcher m = Pattern.compile("\"(\\w+)\"\\s*:\\s*\\{\"mean\":([\\d.E-]+),\"p50\":([\\d.E-]+),\"p95\":([\\d.E-]+),"
                    + "\"p99\":([\\d.E-]+),\"max\":([\\d.E-]+)}").matcher(body);
            while (m.find()) {
                out.append(String.format(Locale.ROOT, "  %-8s %7s %7s %7s %7s %7s%n", m.group(1), m.group(2), m.group(3),
                        m.group(4), m.group(5), m.group(6)));
            }
            return out.toString();
        }

        /** A shell command through bin/client in batch mode (the README's way from a script). */
        String shell(String command) throws IOException, InterruptedException {
            String password = new String(Base64.getDecoder().decode(admin.substring(6)), StandardCharsets.UTF_8)
                    .substring(6);
            Process p = new ProcessBuilder(home.resolve("bin/client").toString(), "-u", "admin", "-p", password, "-r", "3",
                    "-d", "1", "-b").redirectErrorStream(true).start();
            p.getOutputStream().write((command + "\n").getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(120, TimeUnit.SECONDS);
            return out;
        }
    }

    static HttpRequest multipart(URI uri, String authorization, String part, byte[] bytes, String requestId) {
        String boundary = "gateload" + Long.toHexString(System.nanoTime());
        ByteArrayOutputStream body = new ByteArrayOutputStream(bytes.length + 512);
        String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + part
                + "\"; filename=\"frame.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n";
        body.writeBytes(head.getBytes(StandardCharsets.UTF_8));
        body.writeBytes(bytes);
        if (requestId != null) {
            body.writeBytes(("\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"requestId\"\r\n\r\n"
                    + requestId).getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return HttpRequest.newBuilder(uri).header("Authorization", authorization)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary).timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();
    }

    // ------------------------------------------------------------------------------------------------ helpers

    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*(\"([^\"]*)\"|[-\\w.]+)").matcher(json == null ? "" : json);
        return m.find() ? (m.group(2) != null ? m.group(2) : m.group(1)) : null;
    }

    static List<String> ids(String jsonArray) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        int from = -1;
        for (int i = 0; i < jsonArray.length(); i++) {
            char c = jsonArray.charAt(i);
            if (c == '{' && depth++ == 0) {
                from = i;
            } else if (c == '}' && --depth == 0) {
                out.add(field(jsonArray.substring(from, i + 1), "id"));
            }
        }
        return out;
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> out = new TreeMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith("--")) {
                String key = args[i].substring(2);
                boolean flag = i + 1 >= args.length || args[i + 1].startsWith("--");
                out.put(key, flag ? "true" : args[++i]);
            }
        }
        return out;
    }

    static Map<String, String> readProps(Path file) throws IOException {
        return Files.readAllLines(file).stream().filter(l -> l.contains("="))
                .collect(Collectors.toMap(l -> l.substring(0, l.indexOf('=')), l -> l.substring(l.indexOf('=') + 1)));
    }

    /** The arithmetic, checked without a server: {@code java GateLoad.java --self-test}. */
    static void selfTest() {
        long[] v = new long[100];
        for (int i = 0; i < 100; i++) {
            v[i] = i + 1; // 1..100
        }
        check(percentile(v, 50) == 50, "p50 of 1..100");
        check(percentile(v, 99) == 99, "p99 of 1..100");
        check(percentile(v, 100) == 100, "p100 of 1..100");
        check(percentile(new long[] {7}, 99) == 7, "p99 of one value");
        check(percentile(new long[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 1000}, 95) == 1000, "p95 of ten values is the max");
        check(Schedule.due(0, 60, 0) == 0, "first request at the start");
        check(Schedule.due(0, 60, 60) == 1_000_000_000L, "request 60 at 60/s is due after 1 s");
        check(Schedule.due(5, 3, 1) == 5 + 333_333_333L, "1/3 s rounds to the nanosecond");
        // open loop: a server stalled for 1 s at 100/s makes the next requests late by their wait, not only the one
        long[] lat = new long[200];
        long free = 0;
        for (int i = 0; i < 200; i++) {
            long due = Schedule.due(0, 100, i);
            long begin = Math.max(due, free);
            long service = i == 50 ? 1_000_000_000L : 1_000_000L;
            free = begin + service;
            lat[i] = free - due;
        }
        long[] sorted = lat.clone();
        Arrays.sort(sorted);
        check(Arrays.stream(lat).filter(l -> l > 100_000_000L).count() >= 90, "a 1 s stall delays ~100 scheduled requests");
        check(percentile(sorted, 75) > 100_000_000L, "so p75 sees the stall (measured from the send, all but one would say 1 ms)");
        System.out.println("self-test passed");
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }
}

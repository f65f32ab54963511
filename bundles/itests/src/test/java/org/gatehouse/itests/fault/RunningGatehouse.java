package org.gatehouse.itests.fault;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * The built distribution as an operator runs it — unpacked, started with {@code bin/karaf daemon} as a
 * process of its own, on free ports — so that a fault test can kill it with SIGKILL and start it again.
 * The test JVM is the client: a separate process from the one that is killed.
 */
public final class RunningGatehouse implements AutoCloseable {
    public final Path home;
    public final int http;
    private Process process;

    private RunningGatehouse(Path home, int http) {
        this.home = home;
        this.http = http;
    }

    /** Unpacks the distribution the build made into {@code target/faults/name}, on free ports. */
    public static RunningGatehouse unpack(String name) throws IOException {
        Path zip = Paths.get(System.getProperty("gatehouse.distribution", "")).toAbsolutePath();
        if (!Files.isRegularFile(zip)) {
            throw new IllegalStateException("Build the distribution first: " + zip + " is missing");
        }
        Path base = Paths.get("target", "faults", name).toAbsolutePath();
        deleteTree(base);
        Files.createDirectories(base);
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                Path target = base.resolve(e.getName()).normalize();
                if (!target.startsWith(base)) {
                    throw new IOException("zip entry outside the folder: " + e.getName());
                }
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        Path home;
        try (var dirs = Files.list(base)) {
            home = dirs.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        try (var scripts = Files.list(home.resolve("bin"))) {
            scripts.forEach(p -> p.toFile().setExecutable(true));
        }
        int http = freePort();
        set(home.resolve("etc/org.ops4j.pax.web.cfg"), "org.osgi.service.http.port", String.valueOf(http));
        set(home.resolve("etc/org.apache.karaf.shell.cfg"), "sshPort", String.valueOf(freePort()));
        // the portal on a free port too: tests run while a Gatehouse of ./gatehouse run holds 8090
        set(home.resolve("etc/org.gatehouse.portal.cfg"), "port", String.valueOf(freePort()));
        set(home.resolve("etc/org.gatehouse.portal.cfg"), "host", "127.0.0.1");
        set(home.resolve("etc/org.apache.karaf.management.cfg"), "rmiRegistryPort", String.valueOf(freePort()));
        set(home.resolve("etc/org.apache.karaf.management.cfg"), "rmiServerPort", String.valueOf(freePort()));
        // the demo's simulator off (the demo leaves a value that is set alone): its passages are not these tests'
        set(home.resolve("etc/org.gatehouse.gate.simulator.cfg"), "enabled", "false");
        return new RunningGatehouse(home, http);
    }

    /** Sets {@code key = value} in a Karaf configuration file (replacing the key's line, or adding one). */
    public static void set(Path cfg, String key, String value) throws IOException {
        List<String> lines = Files.exists(cfg) ? Files.readAllLines(cfg, StandardCharsets.UTF_8) : List.of();
        StringBuilder out = new StringBuilder();
        boolean done = false;
        for (String line : lines) {
            if (line.matches("\\s*" + java.util.regex.Pattern.quote(key) + "\\s*[=:].*")) {
                if (!done) {
                    out.append(key).append(" = ").append(value).append('\n');
                    done = true;
                }
            } else {
                out.append(line).append('\n');
            }
        }
        if (!done) {
            out.append(key).append(" = ").append(value).append('\n');
        }
        Files.writeString(cfg, out.toString(), StandardCharsets.UTF_8);
    }

    /** Starts Karaf as its own process ({@code bin/karaf daemon}: the process is the JVM). */
    public void start() throws IOException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("already running");
        }
        Files.createDirectories(home.resolve("data/log"));
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/karaf").toString(), "daemon")
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("data/log/console.log").toFile()));
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        process = pb.start();
    }

    /** Milliseconds until {@code /api/health} answers UP, or an error naming the log. */
    public long awaitUp(long timeoutMillis) throws InterruptedException {
        long start = System.currentTimeMillis();
        while (System.currentTimeMillis() - start < timeoutMillis) {
            if (process != null && !process.isAlive()) {
                throw new IllegalStateException("Gatehouse exited (" + process.exitValue() + "); see " + log());
            }
            try {
                if (request("GET", "/api/health", null, null, null).status() == 200) {
                    return System.currentTimeMillis() - start;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("Gatehouse not UP within " + timeoutMillis + " ms; see " + log());
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    /** SIGKILL: no shutdown hook, no flush, nothing the process can do about it. */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the killed process did not exit");
        }
    }

    /** A clean stop (SIGTERM: Karaf shuts down in order). */
    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    public Path log() {
        return home.resolve("data/log/karaf.log");
    }

    String admin() throws IOException {
        return "admin:" + Files.readString(home.resolve("etc/gatehouse-admin.password")).strip();
    }

    /** The demo terminals' tokens: name -> token (the demo community is seeded in the background). */
    Map<String, String> deviceTokens() throws IOException, InterruptedException {
        Path file = home.resolve("data/gatehouse/demo-device-tokens.properties");
        long deadline = System.currentTimeMillis() + 60_000;
        while (!Files.isRegularFile(file) && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
        }
        Map<String, String> tokens = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            if (!line.startsWith("#") && line.contains("=")) {
                String[] parts = line.substring(line.indexOf('=') + 1).trim().split("\\s+");
                tokens.put(line.substring(0, line.indexOf('=')).trim(), parts[parts.length - 1]);
            }
        }
        return tokens;
    }

    public record Response(int status, String body) {
    }

    /**
     * One HTTP request. {@code credentials}: {@code user:password} (Basic) or {@code Bearer TOKEN};
     * {@code contentType} null sends no body.
     */
    public Response request(String method, String path, String credentials, String contentType, byte[] body)
            throws IOException {
        HttpURLConnection c = (HttpURLConnection) new URL("http://localhost:" + http + path).openConnection();
        c.setRequestMethod(method);
        c.setConnectTimeout(2000);
        c.setReadTimeout(60000);
        if (credentials != null) {
            c.setRequestProperty("Authorization", credentials.startsWith("Bearer ") ? credentials
                    : "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        }
        if (contentType != null) {
            c.setDoOutput(true);
            c.setRequestProperty("Content-Type", contentType);
            try (OutputStream out = c.getOutputStream()) {
                out.write(body);
            }
        }
        int status = c.getResponseCode();
        try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
            return new Response(status, in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    public Response json(String method, String path, String credentials, String json) throws IOException {
        return request(method, path, credentials, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    /** POSTs one file as the multipart part {@code part}. */
    Response upload(String path, String credentials, String part, byte[] content) throws IOException {
        String boundary = "fault" + System.nanoTime();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + part
                + "\"; filename=\"f.jpg\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        out.writeBytes(content);
        out.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return request("POST", path, credentials, "multipart/form-data; boundary=" + boundary, out.toByteArray());
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}

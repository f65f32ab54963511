package org.gatehouse.itests.portal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.gatehouse.itests.fault.RunningGatehouse;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The portal in a real browser: Debian's chromium, headless, driven by playwright-core (from npm at build time, never
 * a downloaded browser) against the built distribution started as an operator starts it. What is tried and what must
 * happen is in {@code src/test/browser/portal.mjs}: a wrong password refused, a resident added and a face enrolled
 * after the verdict, a CSV imported to 100 %, a passage pushed into the live feed, a door opened with a reason,
 * English and back, a police officer who cannot change residents or open the import, an office clerk who cannot
 * open another community's resident by URL. Screenshots of every screen in both languages go to
 * {@code target/screenshots/}.
 */
class PortalBrowserIT {
    static final Path CHROMIUM = Paths.get(System.getProperty("gatehouse.chromium", "/usr/bin/chromium"));
    static final Path SCRIPT = Paths.get("src/test/browser/portal.mjs").toAbsolutePath();
    static final Path NODE_MODULES = Paths.get("target/browser/node_modules/playwright-core").toAbsolutePath();

    @Test
    void anOfficeWorksInThePortal() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM), "skipped: no chromium at " + CHROMIUM
                + " (.ci/run installs Debian's chromium; apt-get install chromium fonts-noto-cjk)");
        assertTrue(Files.isDirectory(NODE_MODULES), "the build installs playwright-core into " + NODE_MODULES);
        try (RunningGatehouse gatehouse = RunningGatehouse.unpack("portal")) {
            int portal = RunningGatehouse.freePort();
            RunningGatehouse.set(gatehouse.home.resolve("etc/org.gatehouse.portal.cfg"), "port", String.valueOf(portal));
            RunningGatehouse.set(gatehouse.home.resolve("etc/org.gatehouse.portal.cfg"), "host", "127.0.0.1");
            // a login ends after a minute without use (the test waits it out once)
            RunningGatehouse.set(gatehouse.home.resolve("etc/org.gatehouse.portal.cfg"), "sessionTimeoutMinutes", "1");
            gatehouse.start();
            gatehouse.awaitUp(180_000);
            String admin = Files.readString(gatehouse.home.resolve("etc/gatehouse-admin.password"),
                    StandardCharsets.UTF_8).strip();
            String adminAuth = "admin:" + admin;
            awaitDemo(gatehouse, adminAuth);
            awaitPortal(portal, 120_000);
            String other = residentOfAnotherCommunity(gatehouse, adminAuth);

            Path screenshots = Paths.get("target/screenshots").toAbsolutePath();
            RunningGatehouse.deleteTree(screenshots); // no screenshot of an earlier run is taken for this one
            Path face = Paths.get(System.getProperty("gatehouse.fixtures"), "Colin_Powell_0001.jpg").toAbsolutePath();
            // beside its node_modules: an ES module finds its imports from where it lies
            Path script = Files.copy(SCRIPT, Paths.get("target/browser/portal.mjs").toAbsolutePath(),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            ProcessBuilder pb = new ProcessBuilder("node", script.toString())
                    .directory(script.getParent().toFile()).redirectErrorStream(true);
            pb.environment().put("PORTAL", "http://127.0.0.1:" + portal);
            pb.environment().put("API", "http://127.0.0.1:" + gatehouse.http + "/api");
            pb.environment().put("ADMIN_PASSWORD", admin);
            pb.environment().put("FACE", face.toString());
            pb.environment().put("TWO_FACES", twoFaces(face, Paths.get(System.getProperty("gatehouse.fixtures"),
                    "George_W_Bush_0001.jpg"), Paths.get("target/browser/two-faces.jpg")).toString());
            pb.environment().put("NO_FACE", noFace(Paths.get("target/browser/no-face.jpg")).toString());
            pb.environment().put("CAMERA_FEED", y4m(face, Paths.get("target/browser/camera-face.y4m")).toString());
            pb.environment().put("OTHER_RESIDENT", other);
            pb.environment().put("SCREENSHOTS", screenshots.toString());
            pb.environment().put("USERS_FILE", gatehouse.home.resolve("etc/users.properties").toString());
            pb.environment().put("CHROMIUM", CHROMIUM.toString());
            pb.environment().put("KARAF_CLIENT", gatehouse.home.resolve("bin/client") + " -a " + sshPort(gatehouse)
                    + " -u admin -p " + admin + " -b");
            pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
            Process node = pb.start();
            String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            boolean done = node.waitFor(10, TimeUnit.MINUTES);
            System.out.println(out);
            assertTrue(done, "the browser run took more than 10 minutes");
            assertEquals(0, node.exitValue(), "browser steps failed (screenshots in " + screenshots + "):\n" + out
                    + "\nGatehouse log: " + gatehouse.log());
            assertTrue(Files.exists(screenshots.resolve("residents-en.png")) && Files.exists(screenshots.resolve(
                    "residents-zh.png")), "screenshots in both languages");
        }
    }

    /**
     * The photo as a short Y4M video (1280×720, the face scaled to the frame's height on grey), which chromium's fake
     * camera plays ({@code --use-file-for-fake-video-capture}): the office's camera pointed at the resident.
     */
    static Path y4m(Path photo, Path out) throws IOException {
        java.awt.image.BufferedImage src = javax.imageio.ImageIO.read(photo.toFile());
        int w = 1280;
        int h = 720;
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(w, h,
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = img.createGraphics();
        g.setColor(java.awt.Color.GRAY);
        g.fillRect(0, 0, w, h);
        g.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION,
                java.awt.RenderingHints.VALUE_INTERPOLATION_BICUBIC);
        g.drawImage(src, (w - h) / 2, 0, h, h, null);
        g.dispose();
        byte[] y = new byte[w * h];
        byte[] u = new byte[w * h / 4];
        byte[] v = new byte[w * h / 4];
        for (int j = 0; j < h; j++) {
            for (int i = 0; i < w; i++) {
                int rgb = img.getRGB(i, j);
                int r = (rgb >> 16) & 255;
                int gr = (rgb >> 8) & 255;
                int b = rgb & 255;
                y[j * w + i] = clamp(0.299 * r + 0.587 * gr + 0.114 * b);
                if (j % 2 == 0 && i % 2 == 0) {
                    u[(j / 2) * (w / 2) + i / 2] = clamp(128 - 0.168736 * r - 0.331264 * gr + 0.5 * b);
                    v[(j / 2) * (w / 2) + i / 2] = clamp(128 + 0.5 * r - 0.418688 * gr - 0.081312 * b);
                }
            }
        }
        Files.createDirectories(out.getParent());
        try (java.io.OutputStream o = new java.io.BufferedOutputStream(Files.newOutputStream(out))) {
            o.write(("YUV4MPEG2 W" + w + " H" + h + " F30:1 Ip A1:1 C420jpeg\n").getBytes(StandardCharsets.US_ASCII));
            for (int f = 0; f < 2; f++) {
                o.write("FRAME\n".getBytes(StandardCharsets.US_ASCII));
                o.write(y);
                o.write(u);
                o.write(v);
            }
        }
        return out.toAbsolutePath();
    }

    /** A photo of a plain wall: no face in it. */
    static Path noFace(Path out) throws IOException {
        java.awt.image.BufferedImage wall = new java.awt.image.BufferedImage(640, 480,
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = wall.createGraphics();
        g.setPaint(new java.awt.GradientPaint(0, 0, new java.awt.Color(200, 190, 170), 640, 480,
                new java.awt.Color(150, 140, 120)));
        g.fillRect(0, 0, 640, 480);
        g.dispose();
        Files.createDirectories(out.getParent());
        javax.imageio.ImageIO.write(wall, "jpg", out.toFile());
        return out.toAbsolutePath();
    }

    /** Two photos side by side in one JPEG: two people in front of the camera. */
    static Path twoFaces(Path left, Path right, Path out) throws IOException {
        java.awt.image.BufferedImage a = javax.imageio.ImageIO.read(left.toFile());
        java.awt.image.BufferedImage b = javax.imageio.ImageIO.read(right.toFile());
        java.awt.image.BufferedImage both = new java.awt.image.BufferedImage(a.getWidth() + b.getWidth(),
                Math.max(a.getHeight(), b.getHeight()), java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = both.createGraphics();
        g.drawImage(a, 0, 0, null);
        g.drawImage(b, a.getWidth(), 0, null);
        g.dispose();
        Files.createDirectories(out.getParent());
        javax.imageio.ImageIO.write(both, "jpg", out.toFile());
        return out.toAbsolutePath();
    }

    private static byte clamp(double value) {
        return (byte) Math.max(0, Math.min(255, (int) Math.round(value)));
    }

    /** The Karaf shell's SSH port of this Gatehouse (free, set by {@link RunningGatehouse#unpack}). */
    static String sshPort(RunningGatehouse gatehouse) throws IOException {
        for (String line : Files.readAllLines(gatehouse.home.resolve("etc/org.apache.karaf.shell.cfg"))) {
            Matcher m = Pattern.compile("\\s*sshPort\\s*=\\s*(\\d+)\\s*").matcher(line);
            if (m.matches()) {
                return m.group(1);
            }
        }
        throw new IllegalStateException("no sshPort in etc/org.apache.karaf.shell.cfg");
    }

    /** The demo community is seeded in the background after the API is up. */
    private static void awaitDemo(RunningGatehouse gatehouse, String auth) throws Exception {
        long until = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < until) {
            RunningGatehouse.Response r = gatehouse.request("GET", "/api/communities", auth, null, null);
            if (r.status() == 200 && r.body().contains("阳光")) {
                String id = id(r.body());
                RunningGatehouse.Response residents = gatehouse.request("GET", "/api/communities/" + id + "/residents",
                        auth, null, null);
                if (residents.status() == 200 && residents.body().contains("陈桂兰")) {
                    return;
                }
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the demo community was not seeded within 2 minutes; see " + gatehouse.log());
    }

    private static void awaitPortal(int port, long timeoutMillis) throws Exception {
        long until = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < until) {
            try {
                HttpURLConnection c = (HttpURLConnection) new URL("http://127.0.0.1:" + port + "/login").openConnection();
                c.setConnectTimeout(1000);
                if (c.getResponseCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // starting
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the portal did not answer on port " + port);
    }

    /** A community of its own with one resident, made through the API as the administrator: its id. */
    private static String residentOfAnotherCommunity(RunningGatehouse g, String auth) throws IOException {
        String community = id(ok(g.json("POST", "/api/communities", auth,
                "{\"code\":\"OTHER\",\"name\":\"别的小区 Other\",\"address\":\"-\"}")));
        String building = id(ok(g.json("POST", "/api/communities/" + community + "/buildings", auth,
                "{\"code\":\"9\",\"name\":\"9号楼\"}")));
        String flat = id(ok(g.json("POST", "/api/buildings/" + building + "/flats", auth,
                "{\"stairway\":\"1\",\"floor\":1,\"number\":\"101\",\"areaSquareMetres\":40.0}")));
        String household = id(ok(g.json("POST", "/api/communities/" + community + "/households", auth,
                "{\"unitId\":\"" + flat + "\",\"name\":\"别家\"}")));
        String created = ok(g.json("POST", "/api/households/" + household + "/residents", auth,
                "{\"name\":\"别的小区的住户\",\"role\":\"TENANT\"}"));
        Matcher m = Pattern.compile("\"resident\"\\s*:\\s*\\{\\s*\"id\"\\s*:\\s*\"([^\"]+)\"").matcher(created);
        assertTrue(m.find(), created);
        return m.group(1);
    }

    private static String ok(RunningGatehouse.Response r) {
        assertTrue(r.status() < 300, r.status() + " " + r.body());
        return r.body();
    }

    /** The first "id" of a JSON answer. */
    private static String id(String json) {
        Matcher m = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
        assertTrue(m.find(), json);
        return m.group(1);
    }
}

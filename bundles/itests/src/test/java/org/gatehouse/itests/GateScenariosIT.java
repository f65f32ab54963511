package org.gatehouse.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import javax.imageio.ImageIO;
import javax.inject.Inject;

import org.apache.karaf.features.FeaturesService;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.gatehouse.api.model.Alert;
import org.gatehouse.api.model.AlertStatus;
import org.gatehouse.api.model.AlertType;
import org.gatehouse.api.model.Building;
import org.gatehouse.api.model.Community;
import org.gatehouse.api.model.Household;
import org.gatehouse.api.service.AlertRepository;
import org.gatehouse.api.service.DoorCommands;
import org.gatehouse.api.service.Scope;
import org.gatehouse.faces.api.FaceRegistry;
import org.gatehouse.recognition.api.GalleryBands;
import org.gatehouse.recognition.api.OperatingBands;
import org.junit.Before;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.MethodSorters;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Issue 14's "Done when" scenarios in the built distribution, through the generic HTTP terminal
 * ({@code POST /api/devices/{id}/captures} with a 640×480 JPEG scene and readings JSON,
 * {@code POST /api/devices/{id}/credentials}) with devices registered over REST, in the demo community, with the
 * LFW photos committed with the recognition bundle (see its {@code faces/NOTICE}): Colin Powell and George W. Bush
 * are residents of building 1, Tony Blair is the stranger. Configuration is changed through ConfigurationAdmin and
 * put back after each scenario.
 *
 * <p>Not covered here: the ISAPI terminal (its own module tests), and <b>the database stopped mid-stream</b>. The
 * distribution's store is embedded H2 in the container's own JVM; nothing in the product or the test support makes it
 * unavailable and brings it back in place (no switch in the store, no H2 TCP server or proxy between the store and its
 * file). The existing coverage is out of container and not on the gate's path: {@code fault/PostgresFaultIT} cuts a
 * TCP proxy in front of PostgreSQL (needs {@code GATEHOUSE_TEST_PG_URL}) and {@code fault/CrashFaultIT} kills the
 * JVM, both while terminals post {@code POST /api/passages} (the PassageRecorder journal), not gate decisions. No
 * test method stands for it here: an Assume inside the container would be reported as a pass.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class GateScenariosIT extends GatehouseTestSupport {
    static final String GATE_PID = "org.gatehouse.gate";
    static final String BANDS_PID = "org.gatehouse.recognition.bands";
    static final String TEMPERATURE_PID = "org.gatehouse.screening.temperature";
    static final String IDCARD_PID = "org.gatehouse.screening.idcard";

    @Inject
    BundleContext context;

    @Inject
    SessionFactory sessionFactory;

    @Inject
    FeaturesService features;

    @Inject
    ConfigurationAdmin configurations;

    /** Set up once per container (the methods share it; PerClass: one container). */
    static World world;
    static final AtomicInteger REQUESTS = new AtomicInteger();

    record Door(String id, String gate, String token) {
    }

    record World(Community demo, String household, Door door1, Door door2, Door compoundGate, Door simDoor,
                 String powell, String bush) {
    }

    @Configuration
    public Option[] config() {
        List<Option> options = baseOptions();
        options.add(systemProperty("gatehouse.itest.fixtures")
                .value(new File(System.getProperty("gatehouse.fixtures")).getAbsolutePath()));
        // this module's own fixture (the photo in the VERIFY band, see faces/NOTICE)
        options.add(systemProperty("gatehouse.itest.gatefixtures")
                .value(new File("src/test/resources/faces").getAbsolutePath()));
        File lfw7 = new File(System.getProperty("gatehouse.lfw7", "")).getAbsoluteFile();
        if (lfw7.isDirectory()) {
            options.add(systemProperty("gatehouse.itest.lfw7").value(lfw7.getPath()));
        }
        return options.toArray(new Option[0]);
    }

    // ------------------------------------------------------------------------------------------------ set-up

    @Before
    public void world() throws Exception {
        if (world != null) {
            return;
        }
        DemoSite site = demoSite(context, 120000);
        Community demo = site.demo();
        Building b1 = site.building1();
        Building b2 = site.building2();
        Household home = site.home();

        // the simulator brings the door adapter of kind "simulator" (in system/, not started by default)
        features.installFeature("gatehouse-gate-simulator");
        assertTrue(features.isInstalled(features.getFeature("gatehouse-gate-simulator")));

        Door door1 = device(demo, b1.id(), "GSC-1");
        Door door2 = device(demo, b2.id(), "GSC-2");
        Door compound = device(demo, null, "GSC-G");
        Door simDoor = device(demo, b1.id(), "GSC-SIM");

        String powell = resident(home.id(), "鲍威尔 Powell", "GSC-CARD-POWELL", "Colin_Powell_0001");
        String bush = resident(home.id(), "布什 Bush", "GSC-CARD-BUSH", "George_W_Bush_0001");

        // the gate: the stranger rule of the demo community set explicitly (3 sightings within 10 minutes) and the
        // simulated door for one device; the gate component restarts with it, wait until it has
        configure(GATE_PID, "strangerRules", demo.id() + "=3/10", "doorAdapters", simDoor.id() + "=simulator");
        world = new World(demo, home.id(), door1, door2, compound, simDoor, powell, bush);
    }

    static Door device(Community demo, String buildingId, String gate) throws Exception {
        Response r = http("POST", "/communities/" + demo.id() + "/devices", OFFICE, "{"
                + (buildingId == null ? "" : "\"buildingId\":\"" + buildingId + "\",")
                + "\"gate\":\"" + gate + "\",\"name\":\"" + gate + "\",\"kind\":\"FACE_TERMINAL\",\"direction\":\"IN\"}");
        assertEquals(r.body(), 201, r.status());
        return new Door(field(r.body(), "/device/id"), gate, "Bearer " + field(r.body(), "/token"));
    }

    /** A co-resident with consent, an enrolled face (a real photo) and a card. */
    static String resident(String household, String name, String card, String photo) throws Exception {
        Response r = http("POST", "/households/" + household + "/residents", OFFICE,
                "{\"name\":\"" + name + "\",\"role\":\"CO_RESIDENT\"}");
        assertEquals(r.body(), 201, r.status());
        String id = field(r.body(), "/resident/id");
        Response consent = http("POST", "/residents/" + id + "/consents", OFFICE,
                "{\"purpose\":\"face-access\",\"noticeVersion\":\"2026-11\",\"channel\":\"paper\"}");
        assertEquals(consent.body(), 201, consent.status());
        Response face = upload("/residents/" + id + "/face", OFFICE, "image", fixture(photo), null);
        assertTrue(face.body(), face.status() / 100 == 2);
        Response credential = http("POST", "/residents/" + id + "/credentials", OFFICE,
                "{\"kind\":\"CARD\",\"value\":\"" + card + "\"}");
        assertEquals(credential.body(), 201, credential.status());
        return id;
    }

    // ------------------------------------------------------------------------------------------------ scenarios

    /** 1. A resident's face opens their own building's door (ACCEPT) and not another building's. */
    @Test
    public void s1FaceOpensOwnBuildingNotAnother() throws Exception {
        byte[] frame = frame(fixture("Colin_Powell_0003"), 0, 0);
        Response own = capture(world.door1(), frame, null);
        assertEquals(own.body(), 200, own.status());
        assertEquals(own.body(), "ALLOW", field(own.body(), "/verdict"));
        assertEquals(own.body(), "ACCEPT", field(own.body(), "/faceBand"));
        assertEquals(own.body(), world.powell(), field(own.body(), "/subjectId"));
        assertTrue(own.body(), own.body().contains("FACE_ACCEPTED") && own.body().contains("OWN_BUILDING"));

        Response other = capture(world.door2(), frame, null);
        assertEquals(other.body(), 200, other.status());
        assertEquals(other.body(), "DENY", field(other.body(), "/verdict"));
        assertEquals(other.body(), world.powell(), field(other.body(), "/subjectId"));
        assertTrue(other.body(), other.body().contains("OTHER_BUILDING"));
    }

    /** 2. A stranger is denied; the third sighting within 10 minutes raises exactly one STRANGER alert naming the door. */
    @Test
    public void s2StrangerDeniedAndWarnedOnce() throws Exception {
        AlertRepository alerts = service(context, AlertRepository.class);
        byte[] blair = fixture("Tony_Blair_0001");
        // the same person, framed a little differently each time (as a camera would see them walk up)
        for (int i = 0; i < 4; i++) {
            Response r = capture(world.compoundGate(), frame(blair, i * 17 - 25, i * 9 - 12), null);
            assertEquals(r.body(), 200, r.status());
            assertEquals(r.body(), "DENY", field(r.body(), "/verdict"));
            assertEquals(r.body(), "REJECT", field(r.body(), "/faceBand"));
            assertTrue(r.body(), r.body().contains("STRANGER"));
            List<Alert> raised = strangerAlerts(alerts);
            assertEquals("STRANGER alerts after sighting " + (i + 1) + ": " + raised, i < 2 ? 0 : 1, raised.size());
        }
        Alert alert = strangerAlerts(alerts).get(0);
        assertTrue(alert.message(), alert.message().contains(world.compoundGate().id())
                && alert.message().contains(world.compoundGate().gate()));
    }

    private List<Alert> strangerAlerts(AlertRepository alerts) {
        return alerts.alerts(Scope.all(), world.demo().id(), AlertStatus.OPEN, 1000).stream()
                .filter(a -> a.type() == AlertType.STRANGER).toList();
    }

    /**
     * 3. The grey band asks for a second factor; the resident's own card completes it, another resident's card does
     * not.
     *
     * <p>How the face gets into the VERIFY band: the band is [verify, accept) where verify is the 1:1 threshold
     * (0.402 with the shipped calibration) and accept follows the gallery's size; with the two templates of this
     * community accept is about 0.41, so the band is nearly empty. The test raises accept honestly through the
     * product's own setting — {@code targetFpir} of PID {@code org.gatehouse.recognition.bands} to 1e-6 (the lowest
     * the metatype allows; a stricter gallery) — leaving the verify threshold as shipped, then measures real photos
     * of Colin Powell framed as the terminal sends them and uses the first one whose best score falls in
     * [verify, accept) for him: the committed fixtures, then this module's {@code faces/Colin_Powell_0024.jpg} (copied
     * from lfw7 because it measured 0.569 in [0.402, 0.598)), then ../shared lfw7 when present. No photo in the band
     * fails with the scores seen (an Assume inside the container would count as a pass). The setting is put back
     * afterwards.
     */
    @Test
    public void s3GreyBandAsksForSecondFactor() throws Exception {
        Dictionary<String, Object> before = configure(BANDS_PID, "targetFpir", "0.000001");
        try {
            await("bands at targetFpir 1e-6", 60000,
                    () -> bandsNow().targetFpir() < 1e-5);
            OperatingBands bands = service(context, GalleryBands.class).bands(world.demo().id());
            FaceRegistry faces = service(context, FaceRegistry.class);
            byte[] chosen = null;
            List<String> seen = new ArrayList<>();
            for (Path photo : powellPhotos()) {
                byte[] frame = frame(Files.readAllBytes(photo), 0, 0);
                FaceRegistry.Identification id;
                try {
                    id = faces.identify(Scope.all(), world.demo().id(), frame, 3);
                } catch (RuntimeException unusable) {
                    continue;
                }
                String best = id.candidates().isEmpty() ? null : id.candidates().get(0).subjectId();
                seen.add(photo.getFileName() + "=" + id.score() + ":" + id.band());
                if (id.band() == OperatingBands.Band.VERIFY && world.powell().equals(best)) {
                    chosen = frame;
                    System.out.println("GateScenariosIT: VERIFY band [" + bands.verify() + ", " + bands.accept()
                            + ") with " + photo + " at " + id.score());
                    break;
                }
            }
            assertTrue("no photo of Colin Powell scores in the VERIFY band [" + bands.verify() + ", "
                    + bands.accept() + "): " + seen, chosen != null);

            Response asked = capture(world.door1(), chosen, null);
            assertEquals(asked.body(), 200, asked.status());
            assertEquals(asked.body(), "VERIFY", field(asked.body(), "/faceBand"));
            assertEquals(asked.body(), "true", field(asked.body(), "/secondFactorRequested"));
            Response completed = card(world.door1(), "GSC-CARD-POWELL", null);
            assertEquals(completed.body(), "ALLOW", field(completed.body(), "/verdict"));
            assertEquals(completed.body(), world.powell(), field(completed.body(), "/subjectId"));
            assertTrue(completed.body(), completed.body().contains("FACE_VERIFIED"));

            Response askedAgain = capture(world.door1(), chosen, null);
            assertEquals(askedAgain.body(), "true", field(askedAgain.body(), "/secondFactorRequested"));
            Response otherCard = card(world.door1(), "GSC-CARD-BUSH", null);
            assertEquals(otherCard.body(), "DENY", field(otherCard.body(), "/verdict"));
            assertTrue(otherCard.body(), otherCard.body().contains("FACE_MISMATCH"));
        } finally {
            restore(BANDS_PID, before);
            await("bands back to the shipped targetFpir", 60000,
                    () -> bandsNow().targetFpir() > 1e-4);
        }
    }

    /** The demo's bands from the GalleryBands registered now (it restarts on a change of its configuration). */
    private OperatingBands bandsNow() {
        ServiceReference<GalleryBands> ref = context.getServiceReference(GalleryBands.class);
        return context.getService(ref).bands(world.demo().id());
    }

    private static List<Path> powellPhotos() throws IOException {
        List<Path> photos = new ArrayList<>();
        Path fixtures = Paths.get(System.getProperty("gatehouse.itest.fixtures"));
        photos.add(fixtures.resolve("Colin_Powell_0002.jpg"));
        photos.add(fixtures.resolve("Colin_Powell_0003.jpg"));
        photos.add(Paths.get(System.getProperty("gatehouse.itest.gatefixtures"), "Colin_Powell_0024.jpg"));
        String lfw7 = System.getProperty("gatehouse.itest.lfw7");
        if (lfw7 != null && Files.isDirectory(Paths.get(lfw7, "Colin_Powell"))) {
            try (Stream<Path> files = Files.list(Paths.get(lfw7, "Colin_Powell"))) {
                files.filter(p -> p.toString().endsWith(".jpg"))
                        .filter(p -> !p.getFileName().toString().equals("Colin_Powell_0001.jpg"))
                        .sorted().forEach(photos::add);
            }
        }
        return photos;
    }

    /** 4. A visitor's pass opens the gate it names, not another; used up and expired it no longer opens. */
    @Test
    public void s4VisitorPass() throws Exception {
        Instant now = Instant.now();
        String registration = "{\"name\":\"访客 GSC\",\"phone\":\"13700000001\","
                + "\"hostHouseholdId\":\"" + world.household() + "\",\"purpose\":\"visit\",\"expectedFrom\":\""
                + now.minus(1, ChronoUnit.HOURS) + "\",\"expectedUntil\":\"" + now.plus(1, ChronoUnit.DAYS)
                + "\",\"preApproved\":true}";
        // s3 put the gallery bands back: the modules that use them restart their components, the visitor REST
        // routes among them, for a moment after the configuration event
        Response[] first = new Response[1];
        await("the visitor routes back after the bands changed", 30_000, () -> {
            try {
                first[0] = http("POST", "/visitors", OFFICE, registration);
            } catch (Exception e) {
                return false;
            }
            return !(first[0].status() == 404 && first[0].body().contains("No API route"));
        });
        Response visitor = first[0];
        assertEquals(visitor.body(), 201, visitor.status());
        String visitorId = field(visitor.body(), "/id");
        String code = pass(visitorId, now.minus(1, ChronoUnit.MINUTES), now.plus(2, ChronoUnit.HOURS), 1);

        Response wrongGate = passCode(world.compoundGate(), code);
        assertEquals(wrongGate.body(), "DENY", field(wrongGate.body(), "/verdict"));
        assertTrue(wrongGate.body(), wrongGate.body().contains("PASS_WRONG_GATE"));
        Response open = passCode(world.door1(), code);
        assertEquals(open.body(), "ALLOW", field(open.body(), "/verdict"));
        assertEquals(open.body(), "VISITOR", field(open.body(), "/subjectType"));
        assertTrue(open.body(), open.body().contains("PASS_VALID"));
        Response usedUp = passCode(world.door1(), code);
        assertEquals(usedUp.body(), "DENY", field(usedUp.body(), "/verdict"));
        assertTrue(usedUp.body(), usedUp.body().contains("PASS_NO_USES_LEFT"));

        // a pass valid for a few more seconds: it opens now, and no longer once its window ended
        Instant until = Instant.now().plusSeconds(6);
        String brief = pass(visitorId, now.minus(1, ChronoUnit.MINUTES), until, 5);
        Response inTime = passCode(world.door1(), brief);
        assertEquals(inTime.body(), "ALLOW", field(inTime.body(), "/verdict"));
        while (Instant.now().isBefore(until.plusMillis(500))) {
            Thread.sleep(250);
        }
        Response expired = passCode(world.door1(), brief);
        assertEquals(expired.body(), "DENY", field(expired.body(), "/verdict"));
        assertTrue(expired.body(), expired.body().contains("PASS_EXPIRED"));
    }

    private String pass(String visitorId, Instant from, Instant until, int uses) throws Exception {
        Response pass = http("POST", "/visitors/" + visitorId + "/passes", OFFICE, "{\"validFrom\":\"" + from
                + "\",\"validUntil\":\"" + until + "\",\"maxUses\":" + uses + ",\"gates\":[\"" + world.door1().gate()
                + "\"]}");
        assertEquals(pass.body(), 201, pass.status());
        return field(pass.body(), "/code");
    }

    /**
     * 5. Screening: a feverish resident is denied under the hard rule and flagged (allowed) under the soft one, with a
     * SCREENING_FAILURE alert; an ID-card photo of someone else is denied under the hard id-card rule.
     */
    @Test
    public void s5Screening() throws Exception {
        AlertRepository alerts = service(context, AlertRepository.class);
        String fever = "{\"temperatureCelsius\":38.5}";
        Dictionary<String, Object> before = configure(TEMPERATURE_PID, "communities", world.demo().id() + "=HARD");
        try {
            awaitScreening(TEMPERATURE_PID, world.demo().id() + "=HARD");
            Response hard = card(world.door1(), "GSC-CARD-POWELL", fever);
            assertEquals(hard.body(), "DENY", field(hard.body(), "/verdict"));
            assertTrue(hard.body(), hard.body().contains("SCREENING_FAILED") && hard.body().contains("code=FEVER"));
            String hardPassage = field(hard.body(), "/passageId");
            Response normal = card(world.door1(), "GSC-CARD-POWELL", "{\"temperatureCelsius\":36.6}");
            assertEquals(normal.body(), "ALLOW", field(normal.body(), "/verdict"));

            configure(TEMPERATURE_PID, "communities", world.demo().id() + "=SOFT");
            awaitScreening(TEMPERATURE_PID, world.demo().id() + "=SOFT");
            Response soft = card(world.door1(), "GSC-CARD-POWELL", fever);
            assertEquals(soft.body(), "ALLOW", field(soft.body(), "/verdict"));
            assertTrue(soft.body(), soft.body().contains("SCREENING_FLAGGED") && soft.body().contains("code=FEVER"));
            String softPassage = field(soft.body(), "/passageId");
            List<Alert> raised = alerts.alerts(Scope.all(), world.demo().id(), AlertStatus.OPEN, 1000).stream()
                    .filter(a -> a.type() == AlertType.SCREENING_FAILURE).toList();
            for (String passage : List.of(hardPassage, softPassage)) {
                assertEquals("one SCREENING_FAILURE alert for " + passage + ": " + raised, 1,
                        raised.stream().filter(a -> passage.equals(a.subjectId())).count());
            }
        } finally {
            restoreScreening(TEMPERATURE_PID, before);
        }

        before = configure(IDCARD_PID, "communities", world.demo().id() + "=HARD");
        try {
            awaitScreening(IDCARD_PID, world.demo().id() + "=HARD");
            byte[] face = frame(fixture("Colin_Powell_0003"), 0, 0);
            Response someoneElses = capture(world.door1(), face, "{\"idCardPhoto\":\""
                    + Base64.getEncoder().encodeToString(fixture("George_W_Bush_0002")) + "\"}");
            assertEquals(someoneElses.body(), 200, someoneElses.status());
            assertEquals(someoneElses.body(), "DENY", field(someoneElses.body(), "/verdict"));
            assertTrue(someoneElses.body(), someoneElses.body().contains("code=ID_PHOTO_MISMATCH"));
            Response own = capture(world.door1(), face, "{\"idCardPhoto\":\""
                    + Base64.getEncoder().encodeToString(fixture("Colin_Powell_0002")) + "\"}");
            assertEquals(own.body(), "ALLOW", field(own.body(), "/verdict"));
        } finally {
            restoreScreening(IDCARD_PID, before); // s6 and later must not meet the id-card check still HARD
        }
    }

    /** 6. A card opens when no face is used. */
    @Test
    public void s6CardWithoutFace() throws Exception {
        Response r = card(world.door1(), "GSC-CARD-BUSH", null);
        assertEquals(r.body(), 200, r.status());
        assertEquals(r.body(), "ALLOW", field(r.body(), "/verdict"));
        assertEquals(r.body(), world.bush(), field(r.body(), "/subjectId"));
        assertTrue(r.body(), r.body().contains("CREDENTIAL_VALID") && r.body().contains("OWN_BUILDING"));
        assertFalse(r.body(), r.body().contains("FACE_"));
        Response stored = http("GET", "/passages/" + field(r.body(), "/passageId"), OFFICE, null);
        assertEquals(stored.body(), 200, stored.status());
        assertTrue(stored.body(), stored.body().contains("\"credentialKind\":\"CARD\""));
    }

    /** 7. A one-click open (visitor module, as the residents' app) moves the simulated door. */
    @Test
    public void s7OneClickOpenMovesTheSimulatedDoor() throws Exception {
        Path users = Paths.get(System.getProperty("karaf.etc"), "users.properties");
        Files.writeString(users, "\ngsc = gsc,resident,community:SUNSHINE,household:" + world.household()
                + ",resident:" + world.powell() + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        Response[] open = new Response[1];
        await("the app login known", 30000, () -> {
            try {
                open[0] = http("POST", "/gates/" + world.simDoor().id() + "/open", "gsc:gsc", "{}");
                return open[0].status() != 401;
            } catch (IOException e) {
                return false;
            }
        });
        assertEquals(open[0].body(), 202, open[0].status());
        assertTrue(open[0].body(), open[0].body().contains("OPENED"));
        String passage = field(open[0].body(), "/passageId");
        String moves = shell(sessionFactory, "gatehouse:sim-doors");
        assertTrue(moves, moves.contains(world.simDoor().id()) && moves.contains(passage));
        Response explained = http("GET", "/passages/" + passage + "/explanation", OFFICE, null);
        assertEquals(explained.body(), 200, explained.status());
        assertTrue(explained.body(), explained.body().contains("REMOTE_OPEN"));
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static String field(String json, String pointer) {
        return JsonBodies.text(json, pointer);
    }

    static byte[] fixture(String name) throws IOException {
        return Files.readAllBytes(Paths.get(System.getProperty("gatehouse.itest.fixtures"), name + ".jpg"));
    }

    /** A 640×480 JPEG scene (wall, door frame, floor) with the photo pasted near the middle, 250 px high. */
    static byte[] frame(byte[] photo, int dx, int dy) throws IOException {
        BufferedImage face = ImageIO.read(new ByteArrayInputStream(photo));
        BufferedImage scene = new BufferedImage(640, 480, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = scene.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.setColor(new Color(150, 150, 145));
        g.fillRect(0, 0, 640, 480);
        g.setColor(new Color(90, 80, 70));
        g.fillRect(0, 400, 640, 80);
        g.setColor(new Color(60, 55, 50));
        g.setStroke(new BasicStroke(12));
        g.drawRect(150, 40, 340, 420);
        int h = 250;
        int w = face.getWidth() * h / face.getHeight();
        g.drawImage(face, 320 - w / 2 + dx, 220 - h / 2 + dy, w, h, null);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(scene, "jpg", out);
        return out.toByteArray();
    }

    private static String requestId() {
        return "gsc-" + System.nanoTime() + "-" + REQUESTS.incrementAndGet();
    }

    static Response card(Door door, String number, String readings) throws IOException {
        return http("POST", "/devices/" + door.id() + "/credentials", door.token(), "{\"kind\":\"CARD\",\"value\":\""
                + number + "\",\"requestId\":\"" + requestId() + "\"" + (readings == null ? "" : ",\"readings\":"
                + readings) + "}");
    }

    static Response passCode(Door door, String code) throws IOException {
        Response r = http("POST", "/devices/" + door.id() + "/credentials", door.token(),
                "{\"kind\":\"PASS_CODE\",\"value\":\"" + code + "\",\"requestId\":\"" + requestId() + "\"}");
        assertEquals(r.body(), 200, r.status());
        return r;
    }

    /** {@code POST /api/devices/{id}/captures}: multipart {@code frame} (JPEG), {@code readings}, {@code requestId}. */
    static Response capture(Door door, byte[] frame, String readings) throws IOException {
        return capture(door, frame, readings, requestId());
    }

    static Response capture(Door door, byte[] frame, String readings, String requestId) throws IOException {
        String boundary = "gsc-" + System.nanoTime();
        HttpURLConnection c = (HttpURLConnection) new URL(api("/devices/" + door.id() + "/captures")).openConnection();
        c.setRequestMethod("POST");
        c.setDoOutput(true);
        c.setConnectTimeout(5000);
        c.setReadTimeout(60000);
        c.setRequestProperty("Authorization", door.token());
        c.setRequestProperty("Content-Type", "multipart/form-data; boundary=" + boundary);
        try (OutputStream out = c.getOutputStream()) {
            part(out, boundary, "frame", "frame.jpg", "image/jpeg", frame);
            if (readings != null) {
                part(out, boundary, "readings", null, "application/json", readings.getBytes(StandardCharsets.UTF_8));
            }
            part(out, boundary, "requestId", null, "text/plain", requestId.getBytes(StandardCharsets.UTF_8));
            out.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        }
        int status = c.getResponseCode();
        InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
        return new Response(status, in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }

    private static void part(OutputStream out, String boundary, String name, String filename, String type,
                             byte[] content) throws IOException {
        out.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\""
                + (filename == null ? "" : "; filename=\"" + filename + "\"") + "\r\nContent-Type: " + type
                + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        out.write(content);
        out.write("\r\n".getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Sets keys of a PID through ConfigurationAdmin (keeping its other keys) and returns what it held before. For the
     * gate's PID, waits until the restarted gate component carries the new values (DS puts the configuration into
     * the service properties of DoorCommands, the gate's second service).
     */
    private Dictionary<String, Object> configure(String pid, String... keyValues) throws Exception {
        org.osgi.service.cm.Configuration c = configurations.getConfiguration(pid, null);
        Dictionary<String, Object> before = copy(c.getProperties());
        Dictionary<String, Object> next = copy(c.getProperties());
        for (int i = 0; i < keyValues.length; i += 2) {
            next.put(keyValues[i], keyValues[i + 1]);
        }
        c.update(next);
        if (GATE_PID.equals(pid)) {
            await("the gate with " + List.of(keyValues), 60000, () -> {
                ServiceReference<DoorCommands> ref = context.getServiceReference(DoorCommands.class);
                if (ref == null) {
                    return false;
                }
                for (int i = 0; i < keyValues.length; i += 2) {
                    if (!keyValues[i + 1].equals(String.valueOf(ref.getProperty(keyValues[i])))) {
                        return false;
                    }
                }
                return true;
            });
        }
        return before;
    }

    private void restore(String pid, Dictionary<String, Object> before) throws Exception {
        org.osgi.service.cm.Configuration c = configurations.getConfiguration(pid, null);
        Dictionary<String, Object> props = before == null ? new Hashtable<>() : before;
        c.update(props);
    }

    private static Dictionary<String, Object> copy(Dictionary<String, Object> d) {
        Hashtable<String, Object> copy = new Hashtable<>();
        if (d != null) {
            for (Enumeration<String> keys = d.keys(); keys.hasMoreElements(); ) {
                String k = keys.nextElement();
                copy.put(k, d.get(k));
            }
        }
        return copy;
    }

    /** Restores a screening check's configuration and waits until its service shows it again. */
    private void restoreScreening(String pid, Dictionary<String, Object> before) throws Exception {
        restore(pid, before);
        awaitScreening(pid, before == null ? null : before.get("communities"));
    }

    /** Waits until the check of {@code pid} (a ScreeningCheck service, @Modified in place) shows the setting. */
    private void awaitScreening(String pid, Object communities) throws InterruptedException {
        await(pid + " communities=" + communities, 60000, () -> {
            try {
                ServiceReference<?>[] refs = context.getServiceReferences("org.gatehouse.gate.api.ScreeningCheck",
                        "(service.pid=" + pid + ")");
                return refs != null && refs.length == 1
                        && java.util.Objects.equals(communities, refs[0].getProperty("communities"));
            } catch (org.osgi.framework.InvalidSyntaxException e) {
                throw new IllegalStateException(e);
            }
        });
    }
}

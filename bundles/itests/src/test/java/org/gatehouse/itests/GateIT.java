package org.gatehouse.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;

import javax.imageio.ImageIO;
import javax.inject.Inject;

import org.gatehouse.api.model.Building;
import org.gatehouse.api.model.Community;
import org.gatehouse.api.model.Household;
import org.gatehouse.api.model.PassageEvent;
import org.gatehouse.api.model.Verdict;
import org.gatehouse.api.service.DoorCommands;
import org.gatehouse.api.service.PassageRepository;
import org.gatehouse.api.service.Scope;
import org.gatehouse.api.service.TerminalFaceDemand;
import org.gatehouse.testing.isapi.FakeIsapiTerminal;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.CoreOptions;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.apache.karaf.features.FeaturesService;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The gate in the built distribution, through the generic HTTP terminal: a resident's card opens the unit door of
 * their own building and is refused at another building's; a terminal cannot act as another; the passage is explained.
 * And an ISAPI terminal (the fake from gatehouse-testing, on loopback inside the container): it receives the
 * whitelist with face pictures, loses a withdrawn face, its access events become passages, and the gate opens its
 * door through it.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class GateIT extends GatehouseTestSupport {
    @Inject
    BundleContext context;

    @Inject
    FeaturesService features;

    @Inject
    ConfigurationAdmin configurations;

    @Configuration
    public Option[] config() {
        List<Option> options = baseOptions();
        options.add(CoreOptions.bundle(helperBundleFile("isapi-fake", "com.fasterxml.jackson.core,"
                + "com.fasterxml.jackson.databind,com.fasterxml.jackson.databind.node", FakeIsapiTerminal.class)));
        options.add(CoreOptions.systemProperty("gatehouse.itest.fixtures")
                .value(new File(System.getProperty("gatehouse.fixtures")).getAbsolutePath()));
        return options.toArray(new Option[0]);
    }

    private static String field(String json, String pointer) {
        return JsonBodies.text(json, pointer);
    }

    @Test
    public void aResidentsCardOpensTheirBuildingsDoorAndNotAnotherBuildings() throws Exception {
        DemoSite site = demoSite(context, 60000);
        Community demo = site.demo();
        Building b1 = site.building1();
        Building b2 = site.building2();
        Household home = site.home();

        // two terminals of our own, with their tokens
        Response door1 = http("POST", "/communities/" + demo.id() + "/devices", OFFICE, "{\"buildingId\":\""
                + b1.id() + "\",\"gate\":\"GateIT-1\",\"name\":\"GateIT door 1\",\"kind\":\"FACE_TERMINAL\","
                + "\"direction\":\"IN\"}");
        assertEquals(door1.body(), 201, door1.status());
        Response door2 = http("POST", "/communities/" + demo.id() + "/devices", OFFICE, "{\"buildingId\":\""
                + b2.id() + "\",\"gate\":\"GateIT-2\",\"name\":\"GateIT door 2\",\"kind\":\"FACE_TERMINAL\","
                + "\"direction\":\"IN\"}");
        assertEquals(door2.body(), 201, door2.status());
        String door1Id = field(door1.body(), "/device/id");
        String door2Id = field(door2.body(), "/device/id");
        String token1 = "Bearer " + field(door1.body(), "/token");
        String token2 = "Bearer " + field(door2.body(), "/token");

        // a resident of building 1 with a card
        Response resident = http("POST", "/households/" + home.id() + "/residents", OFFICE,
                "{\"name\":\"门禁测试\",\"role\":\"CO_RESIDENT\"}");
        assertEquals(resident.body(), 201, resident.status());
        String residentId = field(resident.body(), "/resident/id");
        Response card = http("POST", "/residents/" + residentId + "/credentials", OFFICE,
                "{\"kind\":\"CARD\",\"value\":\"GATEIT-CARD-0001\"}");
        assertEquals(card.body(), 201, card.status());

        String presented = "{\"kind\":\"CARD\",\"value\":\"GATEIT-CARD-0001\",\"requestId\":\"";
        Response own = http("POST", "/devices/" + door1Id + "/credentials", token1, presented + "r-1\"}");
        assertEquals(own.body(), 200, own.status());
        assertEquals(own.body(), "ALLOW", field(own.body(), "/verdict"));
        assertEquals(own.body(), residentId, field(own.body(), "/subjectId"));
        String passageId = field(own.body(), "/passageId");

        Response other = http("POST", "/devices/" + door2Id + "/credentials", token2, presented + "r-2\"}");
        assertEquals(other.body(), 200, other.status());
        assertEquals(other.body(), "DENY", field(other.body(), "/verdict"));
        assertTrue(other.body(), other.body().contains("OTHER_BUILDING"));

        // door 2's terminal claiming door 1
        Response claim = http("POST", "/devices/" + door1Id + "/credentials", token2, presented + "r-3\"}");
        assertEquals(claim.body(), 403, claim.status());
        assertTrue(claim.body(), claim.body().contains("DEVICE_MISMATCH"));

        // the same request again: the same answer, no second passage
        Response again = http("POST", "/devices/" + door1Id + "/credentials", token1, presented + "r-1\"}");
        assertEquals(passageId, field(again.body(), "/passageId"));

        Response explained = http("GET", "/passages/" + passageId + "/explanation", OFFICE, null);
        assertEquals(explained.body(), 200, explained.status());
        assertTrue(explained.body(), explained.body().contains("OWN_BUILDING"));
        Response heartbeat = http("POST", "/devices/" + door1Id + "/heartbeat", token1, null);
        assertEquals(heartbeat.body(), 200, heartbeat.status());
    }

    /**
     * The device adapters that ship in the distribution's system/ repository but are not started install offline
     * from it, and each registers its door adapter (kinds {@code simulator} and {@code isapi}) next to the gate's own.
     */
    @Test
    public void theSimulatorAndIsapiAdaptersInstallFromTheDistribution() throws Exception {
        for (String feature : List.of("gatehouse-gate-simulator", "gatehouse-gate-isapi")) {
            features.installFeature(feature);
            assertTrue(feature + " installed", features.isInstalled(features.getFeature(feature)));
        }
        await("door adapters simulator, isapi and http-terminal", 60000, () -> {
            try {
                return adapterKinds().containsAll(List.of("simulator", "isapi", "http-terminal"));
            } catch (Exception e) {
                return false;
            }
        });
    }

    @Test
    public void anIsapiTerminalGetsTheWhitelistLosesAWithdrawnFaceAndItsEventsBecomePassages() throws Exception {
        features.installFeature("gatehouse-gate-isapi");
        DemoSite site = demoSite(context, 60000);
        Community demo = site.demo();
        Response device = http("POST", "/communities/" + demo.id() + "/devices", OFFICE, "{\"buildingId\":\""
                + site.building1().id() + "\",\"gate\":\"GateIT-ISAPI\",\"name\":\"GateIT ISAPI door\","
                + "\"kind\":\"FACE_TERMINAL\",\"direction\":\"IN\"}");
        assertEquals(device.body(), 201, device.status());
        String deviceId = field(device.body(), "/device/id");
        String token = "Bearer " + field(device.body(), "/token");

        FakeIsapiTerminal fake = new FakeIsapiTerminal("admin", "Isapi-itest-9").start();
        org.osgi.service.cm.Configuration terminal =
                configurations.createFactoryConfiguration("org.gatehouse.gate.isapi.terminal", "?");
        org.osgi.service.cm.Configuration gate = configurations.getConfiguration("org.gatehouse.gate", null);
        Dictionary<String, Object> gateBefore = gate.getProperties();
        try {
            Hashtable<String, Object> props = new Hashtable<>();
            props.put("deviceId", deviceId);
            props.put("baseUrl", fake.base().toString());
            props.put("user", "admin");
            props.put("password", "Isapi-itest-9");
            props.put("pollSeconds", 1);
            props.put("lookbackMinutes", 60);
            terminal.update(props);
            await("the ISAPI terminal asks for the demo community's face photos", 60000,
                    () -> facePhotosKept(demo.id()));

            // a resident of building 1: card, consent, face
            Response created = http("POST", "/households/" + site.home().id() + "/residents", OFFICE,
                    "{\"name\":\"海康 测试\",\"role\":\"CO_RESIDENT\"}");
            assertEquals(created.body(), 201, created.status());
            String residentId = field(created.body(), "/resident/id");
            String employeeNo = residentId.replace("-", "");
            Response card = http("POST", "/residents/" + residentId + "/credentials", OFFICE,
                    "{\"kind\":\"CARD\",\"value\":\"GATEIT-ISAPI-CARD\"}");
            assertEquals(card.body(), 201, card.status());
            Response consent = http("POST", "/residents/" + residentId + "/consents", OFFICE,
                    "{\"purpose\":\"face-access\",\"noticeVersion\":\"2026-11\",\"channel\":\"paper\"}");
            assertEquals(consent.body(), 201, consent.status());
            Response face = upload("/residents/" + residentId + "/face", OFFICE, "image",
                    Files.readAllBytes(Paths.get(System.getProperty("gatehouse.itest.fixtures"), "Colin_Powell_0001.jpg")),
                    null);
            assertEquals(face.body(), 201, face.status());

            // the terminal receives the person (door right, validity) and a face picture: a small JPEG of the face
            await("the resident and their face on the terminal", 60000,
                    () -> fake.persons.containsKey(employeeNo) && fake.faces.containsKey(employeeNo));
            assertEquals("海康 测试", fake.persons.get(employeeNo).path("name").asText());
            BufferedImage picture = ImageIO.read(new ByteArrayInputStream(fake.faces.get(employeeNo)));
            assertTrue("a picture of at most 320 px: " + picture.getWidth(), picture.getWidth() <= 320
                    && picture.getWidth() == picture.getHeight());

            // consent withdrawn: the face leaves the terminal; the person stays, with their card
            Response withdrawn = http("POST", "/consents/" + field(consent.body(), "/id") + "/withdraw", OFFICE, "{}");
            assertEquals(withdrawn.body(), 200, withdrawn.status());
            await("the withdrawn face deleted from the terminal", 60000, () -> !fake.faces.containsKey(employeeNo));
            assertTrue(fake.persons.containsKey(employeeNo));

            // the terminal's own access events become passages, once each
            String now = OffsetDateTime.now(ZoneId.of("Asia/Shanghai")).withNano(0)
                    .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            fake.addEvent(9001, now, 1, employeeNo, "card");
            fake.addEvent(9002, now, 9, "", "card"); // a card the terminal does not know
            PassageRepository passages = service(context, PassageRepository.class);
            await("the terminal's events as passages", 60000,
                    () -> passages.passage(Scope.all(), "isapi-" + deviceId + "-9001").isPresent()
                            && passages.passage(Scope.all(), "isapi-" + deviceId + "-9002").isPresent());
            PassageEvent granted = passages.passage(Scope.all(), "isapi-" + deviceId + "-9001").orElseThrow();
            assertEquals(residentId, granted.subjectId());
            assertEquals(Verdict.ALLOW, granted.decision().verdict());
            assertEquals(Verdict.DENY,
                    passages.passage(Scope.all(), "isapi-" + deviceId + "-9002").orElseThrow().decision().verdict());

            // the gate opens this device's door through the terminal
            Hashtable<String, Object> gateProps = new Hashtable<>();
            if (gateBefore != null) {
                for (java.util.Enumeration<String> k = gateBefore.keys(); k.hasMoreElements(); ) {
                    String key = k.nextElement();
                    gateProps.put(key, gateBefore.get(key));
                }
            }
            gateProps.put("doorAdapters", deviceId + "=isapi");
            gate.update(gateProps);
            await("the gate with the ISAPI door adapter", 60000, () -> {
                ServiceReference<DoorCommands> ref = context.getServiceReference(DoorCommands.class);
                return ref != null && String.valueOf(ref.getProperty("doorAdapters")).contains(deviceId);
            });
            Response open = http("POST", "/devices/" + deviceId + "/credentials", token,
                    "{\"kind\":\"CARD\",\"value\":\"GATEIT-ISAPI-CARD\",\"requestId\":\"isapi-1\"}");
            assertEquals(open.body(), 200, open.status());
            assertEquals(open.body(), "ALLOW", field(open.body(), "/verdict"));
            assertTrue(fake.doorLog.toString(), fake.doorLog.contains("open 1"));

            // the device list shows it: its adapter, online (it was just heard), and its whitelist sync caught up
            await("the device list with the ISAPI terminal's sync", 60000, () -> {
                try {
                    Response list = http("GET", "/gate/devices?community=" + demo.id(), OFFICE, null);
                    for (com.fasterxml.jackson.databind.JsonNode line : JsonBodies.parse(list.body())) {
                        if (line.path("deviceId").asText().equals(deviceId)) {
                            return "isapi".equals(line.path("adapter").asText())
                                    && line.path("adapterInstalled").asBoolean()
                                    && line.path("online").asBoolean()
                                    && line.path("sync").path("lag").asLong(-1) == 0;
                        }
                    }
                    return false;
                } catch (Exception e) {
                    return false;
                }
            });
        } finally {
            terminal.delete();
            if (gateBefore != null) {
                gate.update(gateBefore);
            }
            fake.stop();
        }
    }

    /** Whether a TerminalFaceDemand service says the community keeps face photos. */
    private boolean facePhotosKept(String communityId) {
        ServiceReference<TerminalFaceDemand> ref = context.getServiceReference(TerminalFaceDemand.class);
        if (ref == null) {
            return false;
        }
        try {
            return context.getService(ref).keepsFacePhotos(communityId);
        } finally {
            context.ungetService(ref);
        }
    }

    /** The kinds of the registered door adapters (by reflection: the probe does not import the gate's API). */
    private java.util.Set<String> adapterKinds() throws Exception {
        java.util.Set<String> kinds = new java.util.HashSet<>();
        ServiceReference<?>[] refs = context.getAllServiceReferences("org.gatehouse.gate.api.DoorAdapter", null);
        for (ServiceReference<?> r : refs == null ? new ServiceReference<?>[0] : refs) {
            Object adapter = context.getService(r);
            try {
                java.lang.reflect.Method kind = adapter.getClass().getMethod("kind");
                kind.setAccessible(true);
                kinds.add((String) kind.invoke(adapter));
            } finally {
                context.ungetService(r);
            }
        }
        return kinds;
    }
}

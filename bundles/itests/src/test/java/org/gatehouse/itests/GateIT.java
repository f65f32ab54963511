package org.gatehouse.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;

import javax.inject.Inject;

import org.gatehouse.api.model.Building;
import org.gatehouse.api.model.Community;
import org.gatehouse.api.model.Household;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.apache.karaf.features.FeaturesService;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * The gate in the built distribution, through the generic HTTP terminal: a resident's card opens the unit door of
 * their own building and is refused at another building's; a terminal cannot act as another; the passage is explained.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class GateIT extends GatehouseTestSupport {
    @Inject
    BundleContext context;

    @Inject
    FeaturesService features;

    @Configuration
    public Option[] config() {
        return baseOptions().toArray(new Option[0]);
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

package org.gatehouse.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import javax.inject.Inject;

import org.gatehouse.api.model.Building;
import org.gatehouse.api.model.Community;
import org.gatehouse.api.model.Device;
import org.gatehouse.api.model.Household;
import org.gatehouse.api.model.Unit;
import org.gatehouse.api.service.CommunityRepository;
import org.gatehouse.api.service.DeviceRepository;
import org.gatehouse.api.service.HouseholdRepository;
import org.gatehouse.api.service.Scope;
import org.gatehouse.visitor.api.PassCheck;
import org.gatehouse.visitor.api.VisitorPasses;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;

/** Visitors, temporary passes, one-click open, the visitor log, retention and subject access in the distribution. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class VisitorPrivacyIT extends GatehouseTestSupport {
    @Inject
    BundleContext context;

    @Configuration
    public Option[] config() {
        return baseOptions().toArray(new Option[0]);
    }

    private static String field(String json, String name) {
        return JsonBodies.text(json, "/" + name);
    }

    @Test
    public void passesOpenInTheirWindowOneClickOpenIsForTheOwnBuildingAndEverythingIsLogged() throws Exception {
        CommunityRepository communities = service(context, CommunityRepository.class);
        HouseholdRepository households = service(context, HouseholdRepository.class);
        DeviceRepository devices = service(context, DeviceRepository.class);
        await("demo community", 60000, () -> communities.communityByCode(Scope.all(), "SUNSHINE").isPresent()
                && !devices.devices(Scope.all(), communities.communityByCode(Scope.all(), "SUNSHINE").orElseThrow().id()).isEmpty());
        Community demo = communities.communityByCode(Scope.all(), "SUNSHINE").orElseThrow();
        List<Building> buildings = communities.buildings(Scope.all(), demo.id());
        Building b1 = buildings.stream().filter(b -> b.code().equals("1")).findFirst().orElseThrow();
        Building b2 = buildings.stream().filter(b -> b.code().equals("2")).findFirst().orElseThrow();
        Unit flat = communities.units(Scope.all(), b1.id()).get(0);
        Household host = households.households(Scope.all(), demo.id()).stream()
                .filter(h -> h.unitId().equals(flat.id())).findFirst().orElseThrow();
        Device door1 = devices.devices(Scope.all(), demo.id()).stream()
                .filter(d -> b1.id().equals(d.buildingId())).findFirst().orElseThrow();
        Device door2 = devices.devices(Scope.all(), demo.id()).stream()
                .filter(d -> b2.id().equals(d.buildingId())).findFirst().orElseThrow();

        // a resident of the host household, as the residents' app logs in
        Path users = Paths.get(System.getProperty("karaf.etc"), "users.properties");
        Files.writeString(users, "\nwang = wang,resident,community:SUNSHINE,household:" + host.id() + "\n",
                StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        String resident = "wang:wang";

        Instant now = Instant.now();
        Response visitor = http("POST", "/visitors", OFFICE, "{\"name\":\"访客 Li\",\"phone\":\"13700000000\","
                + "\"hostHouseholdId\":\"" + host.id() + "\",\"purpose\":\"family visit\",\"expectedFrom\":\""
                + now.minus(1, ChronoUnit.HOURS) + "\",\"expectedUntil\":\"" + now.plus(1, ChronoUnit.DAYS)
                + "\",\"preApproved\":true}");
        assertEquals(visitor.body(), 201, visitor.status());
        String visitorId = field(visitor.body(), "id");
        Response pass = http("POST", "/visitors/" + visitorId + "/passes", resident, "{\"validFrom\":\""
                + now.minus(1, ChronoUnit.MINUTES) + "\",\"validUntil\":\"" + now.plus(2, ChronoUnit.HOURS)
                + "\",\"maxUses\":2,\"gates\":[\"" + door1.gate() + "\"]}");
        assertEquals(pass.body(), 201, pass.status());
        String code = field(pass.body(), "code");
        assertEquals(6, code.length());

        VisitorPasses passes = service(context, VisitorPasses.class);
        assertTrue(passes.check(Scope.all(), demo.id(), code, door1.gate(), Instant.now()).opens());
        assertEquals(PassCheck.Reason.WRONG_GATE,
                passes.check(Scope.all(), demo.id(), code, door2.gate(), Instant.now()).reason());
        assertEquals(PassCheck.Reason.EXPIRED,
                passes.check(Scope.all(), demo.id(), code, door1.gate(), now.plus(3, ChronoUnit.HOURS)).reason());
        assertTrue(passes.check(Scope.all(), demo.id(), code, door1.gate(), Instant.now()).opens());
        assertEquals(PassCheck.Reason.NO_USES_LEFT,
                passes.check(Scope.all(), demo.id(), code, door1.gate(), Instant.now()).reason());
        assertEquals(PassCheck.Reason.UNKNOWN_CODE,
                passes.check(Scope.all(), demo.id(), "000000".equals(code) ? "111111" : "000000", door1.gate(),
                        Instant.now()).reason());

        Response open = http("POST", "/gates/" + door1.id() + "/open", resident, "{}");
        assertEquals(open.body(), 202, open.status());
        Response notMine = http("POST", "/gates/" + door2.id() + "/open", resident, "{}");
        assertEquals(notMine.body(), 403, notMine.status());
        assertEquals(403, http("POST", "/gates/" + door1.id() + "/open", OFFICE, "{}").status());

        String log = http("GET", "/communities/" + demo.id() + "/visit-log?limit=100", OFFICE, null).body();
        for (String event : List.of("REGISTERED", "PASS_ISSUED", "PASS_USED", "PASS_REFUSED", "REMOTE_OPEN",
                "REMOTE_OPEN_REFUSED")) {
            assertTrue(event + " in " + log, log.contains("\"" + event + "\""));
        }

        // privacy: a retention run reports, a resident's data can be exported without secrets
        Response run = http("POST", "/privacy/retention/run", admin(), "{}");
        assertEquals(run.body(), 200, run.status());
        String residentId = households.residents(Scope.all(), host.id()).get(0).id();
        Response export = http("GET", "/privacy/subjects/" + residentId + "/export", OFFICE, null);
        assertEquals(export.body(), 200, export.status());
        for (String section : List.of("\"resident\"", "\"credentials\"", "\"consents\"", "\"passages\"")) {
            assertTrue(section + " in " + export.body(), export.body().contains(section));
        }
        assertFalse(export.body(), export.body().contains("\"vector\""));
        String health = http("GET", "/health", admin(), null).body();
        for (String job : List.of("gatehouse-visitor-sweep", "gatehouse-privacy-retention", "gatehouse-privacy-template-count")) {
            assertTrue("periodic job " + job + " is a platform route: " + health, health.contains("\"" + job + "\""));
        }
        Response templates = http("GET", "/privacy/templates", admin(), null);
        assertEquals(templates.body(), 200, templates.status());
        String audit = http("GET", "/audit?communityId=" + demo.id() + "&limit=500", admin(), null).body();
        assertTrue(audit, audit.contains("export.subject"));
    }
}

package org.gatehouse.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;

import javax.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import org.gatehouse.api.model.Community;
import org.gatehouse.api.service.CommunityRepository;
import org.gatehouse.api.service.HouseholdRepository;
import org.gatehouse.api.service.Scope;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Issue 15's welfare half in the built distribution, through REST as the office works: an elderly resident flagged
 * as living alone, evaluated as of a time 24 h and more after the start of their record, raises one inactivity alert
 * told to the first two contacts of the community; nobody acknowledges, and 90 minutes later it escalates to the
 * third; the resident's card at their building's door closes it by itself. As of 31 days later their flat is an idle
 * flat case; a flat of building 2 whose members have not passed for 30 days and that keeps registering the same visitor
 * is a sublease case listing that evidence. Evaluated times are chosen at noon, Asia/Shanghai, clear of the default quiet hours (23:00–07:00).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class WelfareIT extends GatehouseTestSupport {
    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

    @Inject
    BundleContext context;

    @Inject
    ConfigurationAdmin configurations;

    @Configuration
    public Option[] config() {
        List<Option> options = baseOptions();
        options.add(org.ops4j.pax.exam.CoreOptions.systemProperty("gatehouse.itest.examples")
                .value(new java.io.File("../../docs/examples").getAbsolutePath()));
        return options.toArray(new Option[0]);
    }

    @Test
    public void aSilentResidentLivingAloneRaisesAnAlertThatEscalatesAndTheirPassageClosesIt() throws Exception {
        DemoSite site = demoSite(context, 60000);
        Community demo = site.demo();
        await("the welfare module's REST routes", 60000, () -> {
            try {
                return http("GET", "/welfare/cases?community=" + demo.id(), OFFICE, null).status() == 200;
            } catch (Exception e) {
                return false;
            }
        });
        // the community's contacts, in order: two told at once, the third on escalation
        welfareContacts(configurations, demo.id(), "police|民警 王警官|mqtt:gatehouse/officer/wang",
                "property|物业 李|webhook:property-li", "police|所长 赵|mqtt:gatehouse/officer/zhao");

        Response device = http("POST", "/communities/" + demo.id() + "/devices", OFFICE, "{\"buildingId\":\""
                + site.building1().id() + "\",\"gate\":\"WelfareIT-1\",\"name\":\"WelfareIT door\","
                + "\"kind\":\"FACE_TERMINAL\",\"direction\":\"OUT\"}");
        assertEquals(device.body(), 201, device.status());
        String deviceId = JsonBodies.text(device.body(), "/device/id");
        String token = "Bearer " + JsonBodies.text(device.body(), "/token");

        // the integrator's example for the housing authority, dropped into deploy/ as the README says (writing to a
        // folder of its own here): idle-flat and sublease cases become rows of the day's CSV
        java.nio.file.Path csvDir = java.nio.file.Files.createTempDirectory("itest-housing");
        String example = java.nio.file.Files.readString(java.nio.file.Path.of(
                System.getProperty("gatehouse.itest.examples"), "housing-authority-cases.camel.xml"))
                .replace("file:data/housing-authority", "file:" + csvDir);
        java.nio.file.Files.writeString(java.nio.file.Path.of(System.getProperty("karaf.base"), "deploy",
                "housing-authority-cases.camel.xml"), example);

        Instant start = Instant.now();
        Response created = http("POST", "/households/" + site.home().id() + "/residents", OFFICE,
                "{\"name\":\"独居 测试\",\"role\":\"CO_RESIDENT\",\"birthDate\":\"1941-05-01\","
                        + "\"careFlags\":[\"LIVES_ALONE\"]}");
        assertEquals(created.body(), 201, created.status());
        String residentId = JsonBodies.text(created.body(), "/resident/id");
        Response card = http("POST", "/residents/" + residentId + "/credentials", OFFICE,
                "{\"kind\":\"CARD\",\"value\":\"WELFAREIT-CARD\"}");
        assertEquals(card.body(), 201, card.status());

        // not yet 22 hours after the start of the record (the demo household, created when the container started)
        check(start.plus(22, ChronoUnit.HOURS));
        assertEquals("no alert before the threshold", null, caseOf(demo, "WELFARE_INACTIVITY", residentId));
        Instant due = noonAfter(start.plus(25, ChronoUnit.HOURS));

        // 24 h and more without a passage: one alert, twice evaluated, opened once
        JsonNode first = check(due);
        assertTrue(first.toString(), first.path("opened").size() >= 1);
        check(due);
        JsonNode alert = caseOf(demo, "WELFARE_INACTIVITY", residentId);
        assertNotNull("an inactivity alert for the resident", alert);
        assertEquals("OPEN", alert.path("status").asText());
        assertEquals("the first two contacts told (levels 0 and 1)", 1, alert.path("escalationLevel").asInt());
        String caseId = alert.path("id").asText();
        assertEquals("opened once", 1, casesOf(demo, "WELFARE_INACTIVITY", residentId));

        // the office opens the record: name, age, flat; the view is audited
        Response view = http("GET", "/welfare/cases/" + caseId, OFFICE, null);
        assertEquals(view.body(), 200, view.status());
        assertTrue(view.body(), view.body().contains("独居 测试"));

        // nobody acknowledged: 90 minutes later it goes to the third contact
        JsonNode later = check(due.plus(90, ChronoUnit.MINUTES));
        assertTrue(later.toString(), later.path("escalated").toString().contains(caseId));
        JsonNode escalated = caseOf(demo, "WELFARE_INACTIVITY", residentId);
        assertEquals("the third contact told", 2, escalated.path("escalationLevel").asInt());
        Response detail = http("GET", "/welfare/cases/" + caseId, OFFICE, null);
        assertTrue(detail.body(), detail.body().contains("所长 赵"));

        // the resident passes a door: the alert closes by itself and says so
        Response passage = http("POST", "/devices/" + deviceId + "/credentials", token,
                "{\"kind\":\"CARD\",\"value\":\"WELFAREIT-CARD\",\"requestId\":\"welfare-1\"}");
        assertEquals(passage.body(), 200, passage.status());
        assertEquals(passage.body(), "ALLOW", JsonBodies.text(passage.body(), "/verdict"));
        await("the alert closed by the passage", 60000, () -> {
            try {
                JsonNode c = caseOf(demo, "WELFARE_INACTIVITY", residentId);
                return c != null && "CLOSED".equals(c.path("status").asText());
            } catch (Exception e) {
                return false;
            }
        });
        Response closed = http("GET", "/welfare/cases/" + caseId, OFFICE, null);
        assertTrue(closed.body(), closed.body().contains("\"closedBy\":\"passage\""));

        // a month with nobody of the flat passing in person: an idle flat case, with its purpose statement
        check(noonAfter(Instant.now().plus(31, ChronoUnit.DAYS)));
        JsonNode idle = caseOf(demo, "IDLE_UNIT", site.home().id());
        assertNotNull("an idle flat case for the household", idle);
        Response idleView = http("GET", "/welfare/cases/" + idle.path("id").asText(), OFFICE, null);
        assertTrue(idleView.body(), JsonBodies.text(idleView.body(), "/welfareCase/purpose").length() > 0);

        // sublease signs: a flat of building 2 whose members have not passed since their records started 30 days
        // ago (the demo's leases) keeps registering the same visitor — a sublease case lists it, with its purpose
        HouseholdRepository households = service(context, HouseholdRepository.class);
        CommunityRepository communities = service(context, CommunityRepository.class);
        java.util.Set<String> building2 = communities.units(Scope.all(), site.building2().id()).stream()
                .map(u -> u.id()).collect(java.util.stream.Collectors.toSet());
        String flat = households.households(Scope.all(), demo.id()).stream()
                .filter(h -> building2.contains(h.unitId())).findFirst().orElseThrow().id();
        for (int i = 0; i < 3; i++) {
            Instant from = Instant.now().plus(i, ChronoUnit.HOURS);
            Response visitor = http("POST", "/visitors", OFFICE, "{\"name\":\"租客 张三\",\"phone\":\"13912345678\","
                    + "\"hostHouseholdId\":\"" + flat + "\",\"purpose\":\"visit\",\"expectedFrom\":\"" + from
                    + "\",\"expectedUntil\":\"" + from.plus(2, ChronoUnit.HOURS) + "\"}");
            assertEquals(visitor.body(), 201, visitor.status());
        }
        check(Instant.now().plus(2, ChronoUnit.MINUTES));
        JsonNode sublease = caseOf(demo, "SUBLEASE_SIGNAL", flat);
        assertNotNull("a sublease case for the flat", sublease);
        Response subleaseView = http("GET", "/welfare/cases/" + sublease.path("id").asText(), OFFICE, null);
        assertTrue(subleaseView.body(), subleaseView.body().contains("租客 张三")
                && subleaseView.body().contains("registered 3 times"));
        assertTrue(subleaseView.body(), JsonBodies.text(subleaseView.body(), "/welfareCase/purpose").contains("passages"));

        // the example route wrote both cases to the housing authority's CSV, and nothing else
        java.nio.file.Path csv = csvDir.resolve("housing-cases-" + java.time.LocalDate.now(ZONE) + ".csv");
        String idleId = idle.path("id").asText();
        String subleaseId = sublease.path("id").asText();
        await("the housing authority's CSV with both cases", 60000, () -> {
            try {
                String text = java.nio.file.Files.readString(csv, StandardCharsets.UTF_8);
                return text.contains(idleId + ",") && text.contains(subleaseId + ",");
            } catch (java.io.IOException e) {
                return false;
            }
        });
        List<String> rows = java.nio.file.Files.readAllLines(csv, StandardCharsets.UTF_8);
        assertEquals("\uFEFFcaseId,communityId,type,householdId,raisedAt,message", rows.get(0));
        assertTrue(rows.toString(), rows.stream().skip(1).allMatch(r -> r.contains(",IDLE_UNIT,")
                || r.contains(",SUBLEASE_SIGNAL,")));
        assertTrue(rows.toString(), rows.stream().anyMatch(r -> r.startsWith(subleaseId + "," + demo.id()
                + ",SUBLEASE_SIGNAL," + flat + ",")));

        // an acknowledgement needs a known outcome
        Response bad = http("POST", "/welfare/cases/" + idle.path("id").asText() + "/acknowledge", OFFICE,
                "{\"outcome\":\"MAYBE\"}");
        assertEquals(bad.body(), 400, bad.status());
    }

    /** The first 12:00 Asia/Shanghai at or after {@code t}. */
    static Instant noonAfter(Instant t) {
        ZonedDateTime local = t.atZone(ZONE);
        ZonedDateTime noon = local.with(LocalTime.NOON);
        return (noon.isBefore(local) ? noon.plusDays(1) : noon).toInstant();
    }

    JsonNode check(Instant asOf) throws Exception {
        Response r = http("POST", "/welfare/check?asOf=" + URLEncoder.encode(asOf.atZone(ZONE).toOffsetDateTime()
                .toString(), StandardCharsets.UTF_8), OFFICE, null);
        assertEquals(r.body(), 200, r.status());
        return JsonBodies.parse(r.body());
    }

    JsonNode caseOf(Community demo, String kind, String subjectId) throws Exception {
        for (JsonNode line : lines(demo, kind)) {
            if (subjectId.equals(line.path("subjectId").asText())) {
                return line;
            }
        }
        return null;
    }

    long casesOf(Community demo, String kind, String subjectId) throws Exception {
        long n = 0;
        for (JsonNode line : lines(demo, kind)) {
            n += subjectId.equals(line.path("subjectId").asText()) ? 1 : 0;
        }
        return n;
    }

    private List<JsonNode> lines(Community demo, String kind) throws Exception {
        Response r = http("GET", "/welfare/cases?community=" + demo.id() + "&kind=" + kind + "&limit=1000", OFFICE, null);
        assertEquals(r.body(), 200, r.status());
        List<JsonNode> out = new java.util.ArrayList<>();
        JsonBodies.parse(r.body()).forEach(out::add);
        return out;
    }
}

package org.gatehouse.integration.internal;

import static org.gatehouse.integration.internal.FeedHarness.alert;
import static org.gatehouse.integration.internal.FeedHarness.config;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.gatehouse.api.model.Alert;
import org.gatehouse.api.model.AlertSeverity;
import org.gatehouse.api.model.AlertStatus;
import org.gatehouse.api.model.AlertType;
import org.gatehouse.api.model.Building;
import org.gatehouse.api.model.Community;
import org.gatehouse.api.model.Household;
import org.gatehouse.api.model.PopulationChange;
import org.gatehouse.api.model.Resident;
import org.gatehouse.api.model.ResidentRole;
import org.gatehouse.api.model.Unit;
import org.gatehouse.api.model.VisitorStatus;
import org.gatehouse.api.service.Scope;
import org.gatehouse.testing.Configs;
import org.gatehouse.testing.MemoryCommunities;
import org.gatehouse.testing.MemoryHouseholds;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A visitor waiting at the gate reaches the phones of the host household's residents: one signed POST per resident to
 * the webhook target {@code residentNotifyTarget}, with the actions (approve, reject, one-click open); a retried event
 * tells nobody twice; residents who do not live in that household of that community, unknown households, events naming
 * nobody, other alert types and malformed events are taken and tell nobody.
 */
class ResidentNotificationsTest {
    static final String CONSUMER = "alerts/" + ResidentNotifications.ROUTE_ID;
    static final Instant AT = Instant.parse("2026-12-01T09:30:00Z");
    final MemoryCommunities communities = new MemoryCommunities();
    final MemoryHouseholds households = new MemoryHouseholds(communities);
    final TargetBoard board = new TargetBoard();
    Community sunshine;
    Community river;
    Household wang;
    Household zhao;
    Resident wangWei;
    Resident wangFang;
    Resident zhaoLei;
    WebhookReceiver phones;
    FeedHarness h;

    @BeforeEach
    void world() throws Exception {
        sunshine = communities.createCommunity("SUNSHINE", "阳光公租房小区", "");
        river = communities.createCommunity("RIVER", "河畔小区", "");
        Building b1 = communities.createBuilding(Scope.all(), sunshine.id(), "B1", "1号楼");
        Unit flat101 = communities.createUnit(Scope.all(), b1.id(), "1", 1, "101", null);
        Building r1 = communities.createBuilding(Scope.all(), river.id(), "R1", "河畔1号楼");
        Unit flat201 = communities.createUnit(Scope.all(), r1.id(), "1", 2, "201", null);
        wang = households.createHousehold(Scope.all(), flat101.id(), "王家");
        zhao = households.createHousehold(Scope.all(), flat201.id(), "赵家");
        wangWei = households.addResident(Scope.all(), wang.id(), "王伟", ResidentRole.TENANT, null, null, null, null,
                null);
        wangFang = households.addResident(Scope.all(), wang.id(), "王芳", ResidentRole.CO_RESIDENT, null, null, null,
                null, null);
        zhaoLei = households.addResident(Scope.all(), zhao.id(), "赵磊", ResidentRole.TENANT, null, null, null, null,
                null);
        phones = new WebhookReceiver("phone-secret");
    }

    /** The phone gateway as a target that feeds no stream, and the notifications naming it (or {@code target}). */
    void start(String target) throws Exception {
        IntegrationTarget gateway = new IntegrationTarget(board, config("name", "phones", "kind", "webhook", "url",
                phones.url(), "secret", "phone-secret", "streams", "none"), Clock.systemUTC());
        h = new FeedHarness().routes(gateway).routes(new ResidentNotifications(board, households,
                Configs.of(IntegrationConfig.class, Map.of("residentNotifyTarget", target)), Clock.systemUTC()));
    }

    @AfterEach
    void stop() {
        if (h != null) {
            h.close();
        }
        phones.close();
    }

    Alert waiting(String visitorId, String communityId, String householdId, String deviceId, List<String> residents) {
        return new Alert("visitor-waiting:" + visitorId, communityId, AlertType.VISITOR_WAITING, AlertSeverity.INFO,
                AlertStatus.OPEN, visitorId, "a visitor waits", AT, List.of(), visit(visitorId, householdId, deviceId,
                VisitorStatus.WAITING_APPROVAL, residents));
    }

    Alert.Visit visit(String visitorId, String householdId, String deviceId, VisitorStatus status,
                      List<String> residents) {
        return new Alert.Visit(visitorId, householdId, "u1", new PopulationChange.Flat("b1", "B1", "1号楼", "1", 1,
                "101"), "张三", "探亲", "gate", deviceId, deviceId == null ? null : "north", AT, AT.plusSeconds(4 * 3600),
                status, residents);
    }

    static String json(Object value) throws Exception {
        return EventFields.JSON.writeValueAsString(value);
    }

    boolean deliver(Alert a) throws Exception {
        return h.deliver(CONSUMER, "alerts", a.id(), a.communityId(), json(a)).ok();
    }

    /** Requests the gateway answered 200, by notification id. */
    long delivered(String id) {
        return phones.requests.stream().filter((id + " 200")::equals).count();
    }

    @Test
    void eachResidentOfTheHouseholdIsToldOnceWithWhatTheyCanDo() throws Exception {
        start("phones");
        assertTrue(h.context.getRoutes().stream().noneMatch(r -> r.getRouteId().contains("phones")),
                "the gateway feeds no stream (streams = none): " + h.context.getRoutes());
        Alert a = waiting("v1", sunshine.id(), wang.id(), "d-north", List.of(wangWei.id(), wangFang.id()));
        assertTrue(deliver(a));
        assertEquals(List.of("visitor-waiting:v1/" + wangWei.id(), "visitor-waiting:v1/" + wangFang.id()),
                phones.appliedIds(), "one per resident, signed with the target's secret, keyed event id + resident");
        assertTrue(deliver(a), "the same event again (at least once)");
        assertEquals(2, phones.requests.size(), "nobody told twice: " + phones.requests);

        JsonNode body = EventFields.JSON.readTree(phones.appliedBody.get("visitor-waiting:v1/" + wangFang.id()));
        assertEquals(wangFang.id(), body.get("residentId").asText());
        assertEquals("张三", body.get("visitorName").asText());
        assertEquals("1号楼 101", body.get("flat").asText());
        assertEquals("探亲", body.get("purpose").asText());
        assertEquals("north", body.get("gate").asText());
        assertEquals("VISITOR_WAITING", body.get("type").asText());
        assertEquals("visitor-waiting:v1", body.get("eventId").asText());
        assertEquals("/api/visitors/v1/approve", body.at("/actions/approve/path").asText());
        assertEquals("POST", body.at("/actions/approve/method").asText());
        assertEquals("/api/visitors/v1/reject", body.at("/actions/reject/path").asText());
        assertEquals("/api/gates/d-north/open?householdId=" + wang.id(), body.at("/actions/open/path").asText());
        assertEquals("resident-notifications", phones.headers.get("X-Gatehouse-Stream"));
        assertTrue(h.sentTo.stream().anyMatch(s -> s.startsWith("webhook:http://127.0.0.1")),
                "reported for the audit: " + h.sentTo);

        // registered at the guard desk: no door to open from the phone
        assertTrue(deliver(waiting("v2", sunshine.id(), wang.id(), null, List.of(wangWei.id()))));
        JsonNode desk = EventFields.JSON.readTree(phones.appliedBody.get("visitor-waiting:v2/" + wangWei.id()));
        assertTrue(desk.at("/actions/open").isMissingNode());
        assertTrue(desk.get("gate").isNull());
    }

    @Test
    void theEndOfTheWaitClearsThePhonesWithNothingLeftToDo() throws Exception {
        start("phones");
        Alert closed = new Alert("visitor-waiting-closed:v1", sunshine.id(), AlertType.VISITOR_WAITING_CLOSED,
                AlertSeverity.INFO, AlertStatus.CLOSED, "v1", "no longer waits", AT, List.of(),
                visit("v1", wang.id(), null, VisitorStatus.APPROVED, List.of(wangWei.id(), wangFang.id())));
        assertTrue(deliver(closed));
        assertEquals(2, phones.appliedIds().size());
        JsonNode body = EventFields.JSON.readTree(phones.appliedBody.get("visitor-waiting-closed:v1/" + wangWei.id()));
        assertEquals("VISITOR_WAITING_CLOSED", body.get("type").asText());
        assertEquals("APPROVED", body.get("status").asText());
        assertEquals(0, body.get("actions").size());
    }

    @Test
    void aTargetAnswering500IsTriedAgainAndEachResidentIsToldOnceWhenItAnswers() throws Exception {
        start("phones");
        Alert a = waiting("v1", sunshine.id(), wang.id(), "d-north", List.of(wangWei.id(), wangFang.id()));
        phones.mode = WebhookReceiver.Mode.FAIL;
        assertFalse(deliver(a), "not reached: the event is tried again");
        assertFalse(deliver(a));
        assertTrue(phones.appliedIds().isEmpty());
        assertEquals("FAILING", board.views(Scope.all()).get(0).state());
        phones.mode = WebhookReceiver.Mode.OK;
        assertTrue(deliver(a));
        assertTrue(deliver(a));
        assertEquals(1, delivered("visitor-waiting:v1/" + wangWei.id()), phones.requests.toString());
        assertEquals(1, delivered("visitor-waiting:v1/" + wangFang.id()), phones.requests.toString());
    }

    @Test
    void aTargetNotRunningYetHoldsTheEventUntilItIs() throws Exception {
        start("later");
        Alert a = waiting("v1", sunshine.id(), wang.id(), null, List.of(wangWei.id()));
        assertFalse(deliver(a), "the named target is not there (yet): the event waits");
        WebhookReceiver later = new WebhookReceiver("later-secret");
        try {
            new IntegrationTarget(board, config("name", "later", "kind", "webhook", "url", later.url(), "secret",
                    "later-secret", "streams", "none"), Clock.systemUTC());
            assertTrue(deliver(a));
            assertEquals(List.of("visitor-waiting:v1/" + wangWei.id()), later.appliedIds());
        } finally {
            later.close();
        }
    }

    @Test
    void onlyResidentsWhoLiveInThatHouseholdOfThatCommunityAreTold() throws Exception {
        start("phones");
        households.removeResident(Scope.all(), wangFang.id()); // moved out after the event was written
        assertTrue(deliver(waiting("v1", sunshine.id(), wang.id(), null,
                List.of(zhaoLei.id(), wangFang.id(), wangWei.id(), "no-such-resident"))));
        assertEquals(List.of("visitor-waiting:v1/" + wangWei.id()), phones.appliedIds(),
                "not 赵磊 of another community, not 王芳 who moved out");

        // an event of another community naming 王家 and its resident: nobody
        assertTrue(deliver(waiting("v2", river.id(), wang.id(), null, List.of(wangWei.id()))));
        // 赵家's resident named for 王家 of the same community as the event: nobody either
        assertTrue(deliver(waiting("v3", river.id(), zhao.id(), null, List.of(zhaoLei.id(), wangWei.id()))));
        assertEquals(List.of("visitor-waiting:v1/" + wangWei.id(), "visitor-waiting:v3/" + zhaoLei.id()),
                phones.appliedIds());
    }

    @Test
    void anUnknownHouseholdOrAnEventNamingNobodyTellsNobody() throws Exception {
        start("phones");
        assertTrue(deliver(waiting("v1", sunshine.id(), "no-such-household", null, List.of(wangWei.id()))));
        assertTrue(deliver(waiting("v2", sunshine.id(), wang.id(), null, List.of())));
        assertTrue(phones.requests.isEmpty(), phones.requests.toString());
    }

    @Test
    void otherAlertsAndMalformedEventsAreTakenAndTheStreamGoesOn() throws Exception {
        start("phones");
        assertTrue(h.deliver(CONSUMER, "alerts", "x1", sunshine.id(),
                alert("x1", sunshine.id(), "CODE_GUESSING", "gate", "codes")).ok());
        assertTrue(h.deliver(CONSUMER, "alerts", "x2", sunshine.id(),
                alert("x2", sunshine.id(), "SOMETHING_NEWER", "s", "m")).ok(), "a type of a later version");
        assertTrue(h.deliver(CONSUMER, "alerts", "x3", sunshine.id(), "{not json").ok());
        assertTrue(h.deliver(CONSUMER, "alerts", "x4", sunshine.id(),
                alert("x4", sunshine.id(), "VISITOR_WAITING", "v", "no visit")).ok());
        ObjectNode noVisitor = (ObjectNode) EventFields.JSON.readTree(json(waiting("v5", sunshine.id(), wang.id(), null,
                List.of(wangWei.id()))));
        ((ObjectNode) noVisitor.get("visit")).remove("visitorId");
        assertTrue(h.deliver(CONSUMER, "alerts", "x5", sunshine.id(), noVisitor.toString()).ok());
        ObjectNode badStatus = (ObjectNode) EventFields.JSON.readTree(json(waiting("v6", sunshine.id(), wang.id(), null,
                List.of(wangWei.id()))));
        badStatus.put("status", "MAYBE");
        assertTrue(h.deliver(CONSUMER, "alerts", "x6", sunshine.id(), badStatus.toString()).ok());
        assertTrue(phones.requests.isEmpty(), phones.requests.toString());

        assertTrue(deliver(waiting("v7", sunshine.id(), wang.id(), null, List.of(wangWei.id()))));
        assertEquals(List.of("visitor-waiting:v7/" + wangWei.id()), phones.appliedIds(), "the next good one goes");
    }

    @Test
    void withoutATargetNothingRuns() throws Exception {
        start("");
        assertNull(h.context.getRoute(ResidentNotifications.ROUTE_ID));
        assertTrue(h.streams.liveConsumerIds().stream().noneMatch(CONSUMER::equals), "no consumer of the stream");
    }
}

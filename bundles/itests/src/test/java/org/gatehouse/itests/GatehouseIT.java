package org.gatehouse.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.inject.Inject;

import org.apache.camel.CamelContext;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.karaf.features.FeaturesService;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.gatehouse.api.model.AccessDecision;
import org.gatehouse.api.model.Community;
import org.gatehouse.api.model.CredentialKind;
import org.gatehouse.api.model.DecisionReason;
import org.gatehouse.api.model.Device;
import org.gatehouse.api.model.Direction;
import org.gatehouse.api.model.PassageEvent;
import org.gatehouse.api.model.SubjectType;
import org.gatehouse.api.model.Verdict;
import org.gatehouse.api.service.AuditLog;
import org.gatehouse.api.service.CommunityRepository;
import org.gatehouse.api.service.DeviceRepository;
import org.gatehouse.api.service.PassageRecorder;
import org.gatehouse.api.service.Scope;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.ops4j.pax.exam.util.Filter;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/** The built distribution with its defaults: embedded H2 and the demo community. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class GatehouseIT extends GatehouseTestSupport {
    @Inject
    BundleContext context;

    @Inject
    FeaturesService features;

    @Inject
    SessionFactory sessionFactory;

    @Inject
    @Filter(value = "(camel.context.name=gatehouse)", timeout = 60000)
    CamelContext camel;


    @Configuration
    public Option[] config() {
        List<Option> options = baseOptions();
        // short lockouts, so that the guessing test does not lock the other tests (all from 127.0.0.1) out long
        options.add(org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut(
                "etc/org.gatehouse.core.api.cfg", "loginLockoutSeconds", "3"));
        return options.toArray(new Option[0]);
    }

    @Test
    public void noDefaultPasswordNoRemoteShellGuessingLockedAndRevokedLoginsStopAtOnce() throws Exception {
        await("health 200", 60000, () -> status("GET", "/health", null) == 200);
        Path etc = Paths.get(System.getProperty("karaf.etc"));
        // no default administrator password: one was generated, stored as a bcrypt hash, its file owner-only
        String admin = admin();
        assertEquals(401, status("GET", "/communities", "admin:admin"));
        assertEquals(200, status("GET", "/communities", admin));
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(etc.resolve("gatehouse-admin.password"))));
        java.util.Properties users = properties(etc.resolve("users.properties"));
        await("demo logins hashed", 30000, () -> properties(etc.resolve("users.properties")).getProperty("police", "")
                .startsWith("{CRYPT}"));
        users = properties(etc.resolve("users.properties"));
        for (String login : List.of("admin", "office", "police")) {
            assertTrue(login + " is a salted slow hash: " + users.getProperty(login),
                    users.getProperty(login, "").startsWith("{CRYPT}$2"));
        }
        // the SSH console listens on this machine only, without SFTP
        java.util.Properties shellCfg = properties(etc.resolve("org.apache.karaf.shell.cfg"));
        assertEquals("127.0.0.1", shellCfg.getProperty("sshHost"));
        assertEquals("false", shellCfg.getProperty("sftpEnabled"));

        // guessing: five wrong passwords lock the login (and the address), even for the right password
        for (int i = 0; i < 5; i++) {
            assertEquals(401, status("GET", "/communities", "police:guess" + i));
        }
        Response locked = http("GET", "/communities", "police:police", null);
        assertEquals(locked.body(), 429, locked.status());
        assertTrue(locked.body(), locked.body().contains("TOO_MANY_ATTEMPTS"));
        AuditLog audit = service(context, AuditLog.class);
        assertTrue("the lockout is audited", audit.entries(Scope.all(), null, null, null, 50).stream()
                .anyMatch(e -> e.action().equals("login.locked")));
        await("the lockout ends", 20000, () -> status("GET", "/communities", "police:police") == 200);

        // a removed login stops working at once (no remembered login outlives it)
        org.gatehouse.core.api.Accounts accounts = service(context, org.gatehouse.core.api.Accounts.class);
        accounts.create("temp-office", "Temp-Pass-1".toCharArray(), List.of("community-office"));
        assertEquals(200, status("GET", "/me", "temp-office:Temp-Pass-1"));
        Path usersFile = etc.resolve("users.properties");
        Files.write(usersFile, Files.readAllLines(usersFile).stream().filter(l -> !l.startsWith("temp-office"))
                .toList());
        assertEquals(401, status("GET", "/me", "temp-office:Temp-Pass-1"));

        // the demo disabled: its logins that still have the demo password go; one whose password was changed stays
        Files.write(usersFile, Files.readAllLines(usersFile).stream().filter(l -> !l.startsWith("police")).toList());
        accounts.create("police", "Changed-Pass-1".toCharArray(), List.of("police", "community:SUNSHINE"));
        org.osgi.service.cm.Configuration demo = service(context, org.osgi.service.cm.ConfigurationAdmin.class)
                .getConfiguration("org.gatehouse.demo", null);
        java.util.Dictionary<String, Object> before = demo.getProperties();
        demo.update(new java.util.Hashtable<>(Map.of("enabled", false)));
        try {
            await("the demo login office removed", 30000, () -> !properties(usersFile).containsKey("office"));
            assertEquals(401, status("GET", "/me", "office:office"));
            assertEquals(200, status("GET", "/me", "police:Changed-Pass-1"));
        } finally {
            demo.update(before == null ? new java.util.Hashtable<>() : before);
            Files.write(usersFile, Files.readAllLines(usersFile).stream().filter(l -> !l.startsWith("police"))
                    .toList());
            await("the demo logins back", 30000, () -> properties(usersFile).getProperty("office", "").startsWith(
                    "{CRYPT}") && properties(usersFile).getProperty("police", "").startsWith("{CRYPT}"));
        }
        assertEquals(200, status("GET", "/me", "police:police"));
    }

    private static java.util.Properties properties(Path file) {
        java.util.Properties p = new java.util.Properties();
        try (java.io.InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return p;
    }

    @Test
    public void pagesOfOtherSitesCannotActAndBodiesMustSayTheyAreJson() throws Exception {
        await("health 200", 60000, () -> status("GET", "/health", null) == 200);
        String community = "{\"code\":\"CSRF\",\"name\":\"x\"}";
        Response noType = raw("POST", "/communities", admin(), community, null, Map.of());
        assertEquals(noType.body(), 415, noType.status());
        Response crossSite = raw("POST", "/privacy/retention/run", admin(), null, null,
                Map.of("Origin", "http://evil.example", "Sec-Fetch-Site", "cross-site"));
        assertEquals(crossSite.body(), 403, crossSite.status());
        assertTrue(crossSite.body(), crossSite.body().contains("CROSS_SITE_REQUEST"));
        Response otherOrigin = raw("POST", "/communities", admin(), community, "application/json",
                Map.of("Origin", "http://evil.example"));
        assertEquals(403, otherOrigin.status());
        Response sameOrigin = raw("POST", "/communities", admin(), community, "application/json",
                Map.of("Origin", "http://localhost:" + System.getProperty("gatehouse.itest.http.port"),
                        "Sec-Fetch-Site", "same-origin"));
        assertEquals(sameOrigin.body(), 201, sameOrigin.status());
    }

    @Test
    public void everyGatehouseBundleIsActiveAndEveryFeatureInstalled() throws Exception {
        await("all Gatehouse bundles active", 60000, () -> {
            for (Bundle b : context.getBundles()) {
                if (b.getSymbolicName().startsWith("org.gatehouse.gatehouse") && b.getState() != Bundle.ACTIVE) {
                    return false;
                }
            }
            return true;
        });
        for (String feature : List.of("gatehouse", "gatehouse-api", "gatehouse-store", "gatehouse-core", "gatehouse-demo")) {
            assertTrue(feature + " installed", features.isInstalled(features.getFeature(feature)));
        }
    }

    @Test
    public void healthIsOpenAndReportsStoreAndCamel() throws Exception {
        await("health 200", 60000, () -> status("GET", "/health", null) == 200);
        // anyone learns whether it is up, nothing else (no database path, no route URIs)
        Response open = http("GET", "/health", null, null);
        assertEquals(open.body(), "{\"status\":\"UP\"}", open.body());
        Response health = http("GET", "/health", admin(), null);
        assertTrue(health.body(), health.body().contains("\"status\":\"UP\""));
        assertTrue(health.body(), health.body().contains("\"waitingFor\":[]"));
        assertTrue(health.body(), health.body().contains("H2"));
        assertTrue(health.body(), health.body().contains("gatehouse-outbox-relay"));
        Response openApi = http("GET", "/openapi.json", null, null);
        assertEquals(200, openApi.status());
        assertTrue(openApi.body().contains("\"/communities/{id}/buildings\""));
    }

    @Test
    public void startPageAndApiPageServeOfflineAndErrorsSayWhatIsAllowed() throws Exception {
        await("health 200", 60000, () -> status("GET", "/health", null) == 200);
        Response home = page("/", null);
        assertEquals(200, home.status());
        assertTrue(home.body(), home.body().contains("Gatehouse") && home.body().contains("/api/docs/"));
        assertTrue(home.body(), home.body().contains("Whitelist") && home.body().contains("running"));
        await("the start page links the running portal", 30000, () -> {
            try {
                String body = page("/", null).body();
                return body.contains("门户 Portal</a>") && !body.contains("not installed yet");
            } catch (java.io.IOException e) {
                return false;
            }
        });
        assertEquals(404, page("/no-such-page", null).status());
        // the API page: Swagger UI from its WebJar bundle, over the OpenAPI document of the routes present
        Response docs = page("/api/docs/", null);
        assertEquals(docs.body(), 200, docs.status());
        assertTrue(docs.body(), docs.body().contains("swagger-ui-bundle.js"));
        Response init = page("/api/docs/init.js", null);
        assertTrue(init.body(), init.body().contains("/api/openapi.json"));
        Response bundleJs = page("/api/docs/swagger-ui-bundle.js", null);
        assertEquals(200, bundleJs.status());
        assertTrue("Swagger UI itself: " + bundleJs.body().length(), bundleJs.body().length() > 500_000);
        assertEquals("only the files the page needs", 404, page("/api/docs/swagger-ui.js.map", null).status());
        assertTrue(page("/api/docs/..%2F..%2FMETA-INF%2FMANIFEST.MF", null).status() >= 400);
        Response browser = page("/api", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
        assertEquals(302, browser.status());
        assertTrue(browser.body(), browser.body().startsWith("Location: ") && browser.body().contains("/api/docs/"));
        Response program = http("GET", "/", null, null);
        assertTrue(program.body(), program.body().contains("\"openapi\":\"/api/openapi.json\""));

        // a wrong enum value names the allowed values, not a Java class
        CommunityRepository communities = service(context, CommunityRepository.class);
        await("demo community", 60000, () -> communities.communityByCode(Scope.all(), "SUNSHINE").isPresent());
        String community = communities.communityByCode(Scope.all(), "SUNSHINE").orElseThrow().id();
        Response badKind = http("POST", "/communities/" + community + "/devices", admin(),
                "{\"gate\":\"East\",\"name\":\"x\",\"kind\":\"ROBOT\",\"direction\":\"IN\"}");
        assertEquals(badKind.body(), 400, badKind.status());
        assertTrue(badKind.body(), badKind.body().contains("field 'kind': 'ROBOT' is not allowed; use one of "));
        assertFalse(badKind.body(), badKind.body().contains("org.gatehouse"));
        Response forbidden = http("POST", "/communities", OFFICE, "{\"code\":\"X\",\"name\":\"x\"}");
        assertEquals(403, forbidden.status());
        assertTrue(forbidden.body(), forbidden.body().contains("This needs the role city-admin."));
    }

    @Test
    public void healthSaysReadyOnlyWhenEveryModuleIsUp() throws Exception {
        await("health 200", 60000, () -> status("GET", "/health", null) == 200);
        Bundle privacy = bundle(context, "org.gatehouse.gatehouse-privacy");
        privacy.stop();
        try {
            Response open = http("GET", "/health", null, null);
            assertEquals(open.body(), 503, open.status());
            assertEquals("{\"status\":\"STARTING\"}", open.body());
            Response details = http("GET", "/health", admin(), null);
            assertTrue(details.body(), details.body().contains("bundle org.gatehouse.gatehouse-privacy is resolved"));
        } finally {
            privacy.start();
        }
        await("health 200 once the module is back", 60000, () -> status("GET", "/health", null) == 200);
        assertEquals(200, status("GET", "/privacy/retention", admin()));
    }

    @Test
    public void theDemoCommunityIsSeededAndTheApiChecksWhoCalls() throws Exception {
        CommunityRepository communities = service(context, CommunityRepository.class);
        await("demo community", 60000, () -> communities.communityByCode(Scope.all(), "SUNSHINE").isPresent()
                && communities.counts(Scope.all()).getOrDefault("households", 0L) >= 12);
        assertEquals(401, http("GET", "/communities", null, null).status());
        assertEquals(401, http("GET", "/communities", "admin:wrong", null).status());
        Response list = http("GET", "/communities", admin(), null);
        assertEquals(list.body(), 200, list.status());
        assertTrue(list.body().contains("SUNSHINE"));
        Response office = http("GET", "/communities", OFFICE, null);
        assertTrue(office.body(), office.body().contains("SUNSHINE"));
        assertEquals(403, http("POST", "/communities", OFFICE, "{\"code\":\"X\",\"name\":\"x\"}").status());

        Response created = http("POST", "/communities", admin(), "{\"code\":\"RIVER\",\"name\":\"河畔小区\"}");
        assertEquals(created.body(), 201, created.status());
        Response officeAfter = http("GET", "/communities", OFFICE, null);
        assertFalse("the office sees only its own community", officeAfter.body().contains("RIVER"));

        Response malformed = http("POST", "/communities", admin(), "{\"code\":\"A\",\"name\":7,");
        assertEquals(400, malformed.status());
        assertTrue(malformed.body(), malformed.body().contains("\"code\":\"BAD_REQUEST\""));
        Response missing = http("POST", "/communities", admin(), "{\"name\":\"no code\"}");
        assertEquals(400, missing.status());
        assertTrue(missing.body(), missing.body().contains("code is required"));
        Response badField = http("POST", "/buildings/" + firstBuilding() + "/flats", admin(),
                "{\"number\":\"901\",\"floor\":\"ninth\"}");
        assertEquals(400, badField.status());
        assertTrue(badField.body(), badField.body().contains("field 'floor'"));
        assertEquals(404, http("GET", "/communities/" + UUID.randomUUID(), admin(), null).status());
        assertEquals(404, http("GET", "/nothing-here", admin(), null).status());
        assertEquals(409, http("POST", "/communities", admin(), "{\"code\":\"RIVER\",\"name\":\"again\"}").status());
    }

    @Test
    public void aRoutesBuilderServiceAddsARouteThatReadsTheStreamAndLeavesWithItsBundle() throws Exception {
        Bundle routes = routesBundle(context);
        routes.start();
        await("route added", 30000, () -> camel.getRoute(ItestRoutes.ROUTE_ID) != null);
        MockEndpoint mock = camel.getEndpoint(ItestRoutes.MOCK, MockEndpoint.class);
        mock.reset();
        CommunityRepository communities = service(context, CommunityRepository.class);
        DeviceRepository devices = service(context, DeviceRepository.class);
        PassageRecorder recorder = service(context, PassageRecorder.class);
        await("demo community", 60000, () -> communities.communityByCode(Scope.all(), "SUNSHINE").isPresent());

        Community demo = communities.communityByCode(Scope.all(), "SUNSHINE").orElseThrow();
        Device door = devices.devices(Scope.all(), demo.id()).get(0);
        String id = "itest-" + UUID.randomUUID();
        PassageEvent event = new PassageEvent(id, demo.id(), door.id(), Instant.now(), Direction.IN,
                SubjectType.RESIDENT, null, CredentialKind.CARD, new AccessDecision(Verdict.ALLOW,
                List.of(new DecisionReason("CARD_VALID", "")), Map.of()));
        assertEquals(PassageRecorder.Outcome.STORED, recorder.record(event));
        assertEquals(PassageRecorder.Outcome.DUPLICATE, recorder.record(event));
        await("passage delivered on gatehouse:passages", 30000, () -> mock.getExchanges().stream()
                .anyMatch(e -> id.equals(e.getIn().getHeader("GatehouseEventId"))));

        routes.stop();
        await("route removed", 30000, () -> camel.getRoute(ItestRoutes.ROUTE_ID) == null);
        assertNull(camel.getRoute(ItestRoutes.ROUTE_ID));
    }

    @Test
    public void anIntegratorsRouteFileInDeployIsLoadedAndRemoved() throws Exception {
        Path file = Paths.get(System.getProperty("karaf.base"), "deploy", "police-feed.camel.xml");
        Files.writeString(file, """
                <routes xmlns="http://camel.apache.org/schema/spring">
                  <route id="itest-police-feed">
                    <from uri="gatehouse:alerts"/>
                    <to uri="mock:police"/>
                  </route>
                </routes>
                """, StandardCharsets.UTF_8);
        await("route file loaded", 30000, () -> camel.getRoute("itest-police-feed") != null);

        // a broken edit (a typo in an element) leaves the running route in place and says where the file is wrong
        Files.writeString(file, """
                <routes xmlns="http://camel.apache.org/schema/spring">
                  <route id="itest-police-feed-v2">
                    <from uri="gatehouse:alerts"/>
                    <too uri="mock:police"/>
                  </route>
                </routes>
                """, StandardCharsets.UTF_8);
        await("the broken edit reported", 30000, () -> statusShows("Route file police-feed.camel.xml rejected"));
        String status = shell(sessionFactory, "gatehouse:status");
        assertTrue(status, status.contains("its previous version keeps running"));
        assertTrue(status, status.contains(" at line "));
        // an editor may save in two writes (truncate, then write): each is an update, and during one the old route is
        // taken down and put back for a moment, so wait for it rather than look once
        await("the old route still runs", 30000, () -> camel.getRoute("itest-police-feed") != null);
        assertNull(camel.getRoute("itest-police-feed-v2"));
        Response health = http("GET", "/health", admin(), null);
        assertTrue(health.body(), health.body().contains("\"routeFileProblems\":[{\"file\":\"police-feed.camel.xml\""));

        // an edit naming a component that is not installed: refused the same way, the old route still delivering
        Files.writeString(file, """
                <routes xmlns="http://camel.apache.org/schema/spring">
                  <route id="itest-police-feed-v2">
                    <from uri="gatehouse:alerts"/>
                    <to uri="kafkaa:police"/>
                  </route>
                </routes>
                """, StandardCharsets.UTF_8);
        await("the unknown component reported", 30000, () -> statusShows("kafkaa"));
        await("the old route still runs", 30000, () -> camel.getRoute("itest-police-feed") != null);
        assertNull(camel.getRoute("itest-police-feed-v2"));

        // the corrected file replaces it, and the problem is gone
        Files.writeString(file, """
                <routes xmlns="http://camel.apache.org/schema/spring">
                  <route id="itest-police-feed-v2">
                    <from uri="gatehouse:alerts"/>
                    <to uri="mock:police"/>
                  </route>
                </routes>
                """, StandardCharsets.UTF_8);
        await("the corrected file loaded", 30000, () -> camel.getRoute("itest-police-feed-v2") != null);
        assertNull(camel.getRoute("itest-police-feed"));
        assertFalse(shell(sessionFactory, "gatehouse:status").contains("Route file police-feed.camel.xml rejected"));
        Files.delete(file);
        await("route file removed", 30000, () -> camel.getRoute("itest-police-feed-v2") == null);
    }

    /** An HTTP target that accepts the connection and never answers cannot keep a route waiting for ever. */
    @Test
    public void theShippedHttpComponentWaitsBoundedTimes() throws Exception {
        Object http = camel.getComponent("http");
        assertNotNull("camel-http ships", http);
        assertEquals(60_000, http.getClass().getMethod("getSocketTimeout").invoke(http));
        assertEquals(10_000, http.getClass().getMethod("getConnectTimeout").invoke(http));
    }

    private boolean statusShows(String text) {
        try {
            return shell(sessionFactory, "gatehouse:status").contains(text);
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    public void shellShowsStatusAndManagesCommunities() throws Exception {
        await("store up", 60000, () -> status("GET", "/health", null) == 200);
        String status = shell(sessionFactory, "gatehouse:status");
        assertTrue(status, status.contains("Store:   UP"));
        assertTrue(status, status.contains("context 'gatehouse' Started"));
        assertTrue(status, status.contains("gatehouse:passages"));
        assertTrue(status, status.contains("gatehouse-outbox-relay"));
        String added = shell(sessionFactory, "gatehouse:community-add HILL \"山景小区\"");
        assertTrue(added, added.contains("Community HILL created"));
        shell(sessionFactory, "gatehouse:building-add HILL B1");
        String list = shell(sessionFactory, "gatehouse:community-list");
        assertTrue(list, list.contains("HILL"));
        assertTrue(list, list.contains("山景小区"));
    }

    @Test
    public void aRowWrittenThroughTheStoreSurvivesAStoreRestart() throws Exception {
        CommunityRepository communities = service(context, CommunityRepository.class);
        Community c = communities.createCommunity("PERSIST-" + System.nanoTime() % 100000, "persist", null);
        Bundle store = bundle(context, "org.gatehouse.gatehouse-store");
        store.stop();
        store.start();
        await("store back", 60000, () -> {
            var ref = context.getServiceReference(CommunityRepository.class);
            return ref != null && context.getService(ref).community(Scope.all(), c.id()).isPresent();
        });
        var ref = context.getServiceReference(CommunityRepository.class);
        assertNotNull(context.getService(ref).community(Scope.all(), c.id()).orElse(null));
    }

    @Test
    public void theAuditLogIsAppendOnlyAndItsChainVerifies() throws Exception {
        AuditLog audit = service(context, AuditLog.class);
        for (int i = 0; i < 3; i++) {
            audit.append("itest", "resident.view", null, "r-" + i, "read by the integration test");
        }
        String verified = shell(sessionFactory, "gatehouse:audit-verify");
        assertTrue(verified, verified.contains("Audit log intact"));
        Response rest = http("GET", "/audit/verify", admin(), null);
        assertEquals(rest.body(), 200, rest.status());
        assertTrue(rest.body(), rest.body().contains("\"intact\":true"));
        assertEquals(403, http("GET", "/audit/verify", OFFICE, null).status());
        Response entries = http("GET", "/audit?limit=2", admin(), null);
        assertTrue(entries.body(), entries.body().contains("resident.view"));

        // someone with database access edits an entry: the chain shows where
        AuditLog.AuditEntry last = audit.entries(Scope.all(), null, null, null, 1).get(0);
        String url = "jdbc:h2:file:" + System.getProperty("karaf.data") + "/gatehouse/gatehouse;MODE=PostgreSQL;"
                + "DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;AUTO_SERVER=FALSE";
        Class.forName("org.h2.Driver");
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url, "", "");
             java.sql.Statement st = c.createStatement()) {
            st.executeUpdate("update audit_log set detail = 'nothing to see' where sequence = " + last.sequence());
            String broken = shell(sessionFactory, "gatehouse:audit-verify");
            assertTrue(broken, broken.contains("BROKEN at entry " + last.sequence()));
            st.executeUpdate("update audit_log set detail = '" + last.detail() + "' where sequence = " + last.sequence());
        }
        assertTrue(audit.verify().intact());
    }

    private String firstBuilding() throws InterruptedException {
        CommunityRepository communities = service(context, CommunityRepository.class);
        Community demo = communities.communityByCode(Scope.all(), "SUNSHINE").orElseThrow();
        return communities.buildings(Scope.all(), demo.id()).get(0).id();
    }

    private static int status(String method, String path, String credentials) {
        try {
            return http(method, path, credentials, null).status();
        } catch (java.io.IOException e) {
            return -1;
        }
    }
}

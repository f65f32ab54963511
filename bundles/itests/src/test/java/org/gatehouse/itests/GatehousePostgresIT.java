package org.gatehouse.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.io.IOException;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

import javax.inject.Inject;

import org.apache.camel.CamelContext;
import org.apache.camel.component.mock.MockEndpoint;
import org.gatehouse.api.model.Community;
import org.gatehouse.api.model.DeviceKind;
import org.gatehouse.api.model.Direction;
import org.gatehouse.api.service.CommunityRepository;
import org.gatehouse.api.service.DeviceRepository;
import org.gatehouse.api.service.Scope;
import org.gatehouse.testing.TcpProxy;
import org.junit.Assume;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.CoreOptions;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.ops4j.pax.exam.util.Filter;
import org.osgi.framework.BundleContext;

/**
 * The built distribution on a real PostgreSQL 15 (GATEHOUSE_TEST_PG_URL, _USER, _PASSWORD; skipped
 * without). The store reaches the database through a proxy that the test cuts to take the database down
 * under the running platform: the API answers 503, a terminal's passage is journalled, and once the
 * database is back the passage is stored and published on the passages stream — nothing lost.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class GatehousePostgresIT extends GatehouseTestSupport {
    private static final String SCHEMA = "gatehouse_it";

    @Inject
    BundleContext context;

    @Inject
    @Filter(value = "(camel.context.name=gatehouse)", timeout = 60000)
    CamelContext camel;

    @Configuration
    public Option[] config() {
        List<Option> options = baseOptions();
        String url = System.getenv("GATEHOUSE_TEST_PG_URL");
        if (url != null && !url.isBlank()) {
            URI db = URI.create(url.substring("jdbc:".length()));
            int proxyPort = freePort();
            String proxied = "jdbc:postgresql://localhost:" + proxyPort + db.getPath() + "?currentSchema=" + SCHEMA;
            options.add(editConfigurationFilePut("etc/org.gatehouse.store.cfg", "url", proxied));
            options.add(editConfigurationFilePut("etc/org.gatehouse.store.cfg", "user", env("GATEHOUSE_TEST_PG_USER")));
            options.add(editConfigurationFilePut("etc/org.gatehouse.store.cfg", "password", env("GATEHOUSE_TEST_PG_PASSWORD")));
            options.add(systemProperty("gatehouse.itest.pg.url").value(url));
            options.add(systemProperty("gatehouse.itest.pg.user").value(env("GATEHOUSE_TEST_PG_USER")));
            options.add(systemProperty("gatehouse.itest.pg.password").value(env("GATEHOUSE_TEST_PG_PASSWORD")));
            options.add(systemProperty("gatehouse.itest.pg.host").value(db.getHost()));
            options.add(systemProperty("gatehouse.itest.pg.port").value(String.valueOf(db.getPort() < 0 ? 5432 : db.getPort())));
            options.add(systemProperty("gatehouse.itest.pg.proxy").value(String.valueOf(proxyPort)));
            options.add(CoreOptions.bundle(helperBundleFile("tcpproxy", null, TcpProxy.class)));
        }
        return options.toArray(new Option[0]);
    }


    private static String env(String name) {
        return Objects.requireNonNullElse(System.getenv(name), "");
    }

    @Test
    public void databaseDownGives503AndLosesNoPassage() throws Exception {
        Assume.assumeTrue("GATEHOUSE_TEST_PG_URL not set: PostgreSQL tests skipped",
                System.getProperty("gatehouse.itest.pg.url") != null);
        resetSchema();
        try (TcpProxy proxy = new TcpProxy(Integer.getInteger("gatehouse.itest.pg.proxy"),
                System.getProperty("gatehouse.itest.pg.host"), Integer.getInteger("gatehouse.itest.pg.port"))) {
            proxy.open();
            await("health 200 on PostgreSQL", 90000, () -> status("/health", null) == 200);
            Response health = http("GET", "/health", admin(), null);
            assertTrue(health.body(), health.body().contains("PostgreSQL"));

            CommunityRepository communities = service(context, CommunityRepository.class);
            await("demo community seeded on PostgreSQL", 60000,
                    () -> communities.communityByCode(Scope.all(), "SUNSHINE").isPresent());
            Community demo = communities.communityByCode(Scope.all(), "SUNSHINE").orElseThrow();
            var terminal = service(context, DeviceRepository.class).register(Scope.all(), demo.id(), null, "east-gate",
                    "itest terminal", DeviceKind.FACE_TERMINAL, Direction.IN);
            String token = "Bearer " + terminal.token();

            routesBundle(context).start();
            await("stream consumer route", 30000, () -> camel.getRoute(ItestRoutes.ROUTE_ID) != null);
            MockEndpoint mock = camel.getEndpoint(ItestRoutes.MOCK, MockEndpoint.class);

            String before = "pg-" + UUID.randomUUID();
            Response stored = http("POST", "/passages", token, passage(before));
            assertEquals(stored.body(), 201, stored.status());

            proxy.cut();
            await("health 503 while the database is down", 30000, () -> status("/health", null) == 503);
            Response list = http("GET", "/communities", admin(), null);
            assertEquals(list.body(), 503, list.status());
            assertTrue(list.body(), list.body().contains("STORE_UNAVAILABLE"));
            String during = "pg-" + UUID.randomUUID();
            Response journalled = http("POST", "/passages", token, passage(during));
            assertEquals(journalled.body(), 202, journalled.status());
            assertTrue(journalled.body(), journalled.body().contains("JOURNALLED"));

            proxy.open();
            await("health 200 again", 60000, () -> status("/health", null) == 200);
            await("the journalled passage is stored", 60000,
                    () -> status("/passages/" + during, admin()) == 200);
            await("both passages published on gatehouse:passages", 60000, () -> {
                List<String> ids = mock.getExchanges().stream()
                        .map(e -> e.getIn().getHeader("GatehouseEventId", String.class)).toList();
                return ids.contains(before) && ids.contains(during);
            });
        }
    }

    private void resetSchema() throws Exception {
        try (Connection c = DriverManager.getConnection(System.getProperty("gatehouse.itest.pg.url"),
                System.getProperty("gatehouse.itest.pg.user"), System.getProperty("gatehouse.itest.pg.password"));
             Statement s = c.createStatement()) {
            s.execute("drop schema if exists " + SCHEMA + " cascade");
            s.execute("create schema " + SCHEMA);
        }
    }


    private static String passage(String id) {
        return "{\"id\":\"" + id + "\",\"occurredAt\":\"" + Instant.now() + "\",\"subjectType\":\"RESIDENT\","
                + "\"credentialKind\":\"CARD\",\"decision\":{\"verdict\":\"ALLOW\",\"reasons\":[{\"code\":\"CARD_VALID\"}]}}";
    }

    private static int status(String path, String credentials) {
        try {
            return http("GET", path, credentials, null).status();
        } catch (java.io.IOException e) {
            return -1;
        }
    }
}

package org.gatehouse.itests.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Objects;

import org.gatehouse.testing.TcpProxy;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The fault suite on PostgreSQL: the database goes away under load (every connection broken, new ones
 * refused — a proxy between Gatehouse and the server is cut) and comes back. Terminals keep posting:
 * what is answered 201 is stored, what is answered 202 waits in the journal; once the database is back
 * every one of them is stored exactly once, delivered by the outbox, and the audit chain verifies. (Gatehouse on
 * PostgreSQL killed with SIGKILL: {@link CrashFaultIT}, which runs each of its kills on PostgreSQL too.)
 */
class PostgresFaultIT {
    static final String SCHEMA = "gatehouse_fault";

    @Test
    void databaseGoneUnderLoadLosesNoAcknowledgedPassage() throws Exception {
        Postgres pg = Postgres.fresh(SCHEMA);
        try (TcpProxy proxy = new TcpProxy(pg.proxyPort, pg.host, pg.port);
             RunningGatehouse gatehouse = RunningGatehouse.unpack("postgres")) {
            proxy.open();
            pg.configure(gatehouse);
            java.nio.file.Path feed = CrashFaultIT.deployFeed(gatehouse);
            gatehouse.start();
            long boot = gatehouse.awaitUp(CrashFaultIT.BOOT_MILLIS);
            String admin = gatehouse.admin();
            String token = "Bearer " + gatehouse.deviceTokens().values().iterator().next();

            Terminals terminals = Terminals.start(gatehouse, token, 4);
            Thread.sleep(2000);
            proxy.cut(); // the database is gone
            Thread.sleep(4000);
            proxy.open(); // and back
            Thread.sleep(2000);
            List<String> acknowledged = terminals.stop();

            long deadline = System.currentTimeMillis() + 120_000;
            while (System.currentTimeMillis() < deadline && journalled(gatehouse, admin) != 0) {
                Thread.sleep(500);
            }
            int missing = 0;
            for (String id : acknowledged) {
                if (gatehouse.request("GET", "/api/passages/" + id, admin, null, null).status() != 200) {
                    missing++;
                }
            }
            long rows;
            try (Connection c = DriverManager.getConnection(pg.url, pg.user, pg.password); Statement st = c.createStatement();
                 var rs = st.executeQuery("select count(*), count(distinct id) from " + SCHEMA + ".passage")) {
                rs.next();
                rows = rs.getLong(1);
                assertEquals(rs.getLong(1), rs.getLong(2), "a passage stored twice");
            }
            java.util.Map<String, Integer> delivered = CrashFaultIT.awaitDelivered(gatehouse, admin, feed, acknowledged);
            long undelivered = acknowledged.stream().filter(id -> !delivered.containsKey(id)).count();
            var audit = gatehouse.request("GET", "/api/audit/verify", admin, null, null);
            System.out.printf("PostgresFaultIT: %d answered 201, %d answered 202 (journalled while the database was"
                            + " gone), %d refused " + terminals.others + "; %d missing once it was back, %d not "
                            + "delivered by the outbox, %d passage rows; boot %d ms%n", terminals.stored.get(),
                    terminals.journalled.get(), terminals.refused.get(), missing, undelivered, rows, boot);
            assertTrue(terminals.journalled.get() > 0, "the terminals were posting while the database was gone");
            assertEquals(0, missing, "acknowledged passages lost");
            assertEquals(0, undelivered, "acknowledged passages never delivered by the outbox");
            assertTrue(audit.body().contains("\"intact\":true"), audit.body());
            gatehouse.stop();
        }
    }

    /** The test database (GATEHOUSE_TEST_PG_*), a fresh schema in it, and a proxy port Gatehouse connects through. */
    record Postgres(String url, String user, String password, String host, int port, String path, String schema,
                    int proxyPort) {
        static Postgres fresh(String schema) throws Exception {
            String url = System.getenv("GATEHOUSE_TEST_PG_URL");
            Assumptions.assumeTrue(url != null && !url.isBlank(),
                    "needs GATEHOUSE_TEST_PG_URL (a PostgreSQL database; .ci/run sets it): PostgreSQL fault test skipped");
            String user = Objects.requireNonNullElse(System.getenv("GATEHOUSE_TEST_PG_USER"), "");
            String password = Objects.requireNonNullElse(System.getenv("GATEHOUSE_TEST_PG_PASSWORD"), "");
            try (Connection c = DriverManager.getConnection(url, user, password); Statement st = c.createStatement()) {
                st.execute("drop schema if exists " + schema + " cascade");
                st.execute("create schema " + schema);
            }
            URI db = URI.create(url.substring("jdbc:".length()));
            return new Postgres(url, user, password, db.getHost(), db.getPort() < 0 ? 5432 : db.getPort(), db.getPath(),
                    schema, RunningGatehouse.freePort());
        }

        /** Points the installation's store at this schema, through the proxy. */
        void configure(RunningGatehouse gatehouse) throws IOException {
            configure(gatehouse, "localhost", proxyPort);
        }

        /** Points the installation's store at this schema on the server itself. */
        void configureDirect(RunningGatehouse gatehouse) throws IOException {
            configure(gatehouse, host, port);
        }

        private void configure(RunningGatehouse gatehouse, String toHost, int toPort) throws IOException {
            var cfg = gatehouse.home.resolve("etc/org.gatehouse.store.cfg");
            RunningGatehouse.set(cfg, "url", "jdbc:postgresql://" + toHost + ":" + toPort + path + "?currentSchema="
                    + schema);
            RunningGatehouse.set(cfg, "user", user);
            RunningGatehouse.set(cfg, "password", password);
        }
    }

    static long journalled(RunningGatehouse gatehouse, String admin) throws IOException {
        return org.gatehouse.itests.JsonBodies.number(gatehouse.request("GET", "/api/health", admin, null, null).body(),
                "/passagesJournalled", -1);
    }
}

package org.gatehouse.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.gatehouse.store.internal.StoreSettings;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The contract against a real PostgreSQL: runs when GATEHOUSE_TEST_PG_URL (jdbc:postgresql://host:port/db) is
 * set, with GATEHOUSE_TEST_PG_USER / GATEHOUSE_TEST_PG_PASSWORD. Works in its own schema, dropped and
 * recreated at the start of every run.
 */
@EnabledIfEnvironmentVariable(named = "GATEHOUSE_TEST_PG_URL", matches = ".+",
        disabledReason = "GATEHOUSE_TEST_PG_URL is not set: PostgreSQL tests skipped (CI sets it)")
class PostgresStoreTest extends StoreContractTest {
    private static final Pattern URL = Pattern.compile("jdbc:postgresql://([^:/?]+)(?::(\\d+))?/([^?]+)(\\?.*)?");
    private static final String SCHEMA = "gatehouse_store_test";

    private String host;
    private int port;
    private String database;
    private String user;
    private String password;

    @Override
    protected StoreSettings freshDatabase() throws Exception {
        String url = System.getenv("GATEHOUSE_TEST_PG_URL");
        Assumptions.assumeTrue(url != null && !url.isBlank(),
                "GATEHOUSE_TEST_PG_URL is not set: PostgreSQL tests skipped (CI sets it)");
        Matcher m = URL.matcher(url);
        if (!m.matches()) {
            throw new IllegalArgumentException("GATEHOUSE_TEST_PG_URL must look like jdbc:postgresql://host:port/db");
        }
        host = m.group(1);
        port = m.group(2) == null ? 5432 : Integer.parseInt(m.group(2));
        database = m.group(3);
        user = System.getenv().getOrDefault("GATEHOUSE_TEST_PG_USER", "gatehouse");
        password = System.getenv().getOrDefault("GATEHOUSE_TEST_PG_PASSWORD", "");
        try (Connection connection = DriverManager.getConnection(url, user, password);
             Statement statement = connection.createStatement()) {
            statement.execute("drop schema if exists " + SCHEMA + " cascade");
            statement.execute("create schema " + SCHEMA);
        }
        return settingsFor(host, port);
    }

    @Override
    protected StoreSettings anotherDatabase(String name) throws Exception {
        String schema = SCHEMA + "_" + name;
        try (Connection connection = DriverManager.getConnection(System.getenv("GATEHOUSE_TEST_PG_URL"), user, password);
             Statement statement = connection.createStatement()) {
            statement.execute("drop schema if exists " + schema + " cascade");
            statement.execute("create schema " + schema);
        }
        return new StoreSettings("jdbc:postgresql://" + host + ":" + port + "/" + database + "?currentSchema=" + schema,
                user, password, 4);
    }

    @Override
    protected StoreSettings viaProxy(int proxyPort) {
        return settingsFor("localhost", proxyPort);
    }

    private StoreSettings settingsFor(String h, int p) {
        return new StoreSettings("jdbc:postgresql://" + h + ":" + p + "/" + database + "?currentSchema=" + SCHEMA,
                user, password, 4);
    }

    @Override
    protected String targetHost() {
        return host;
    }

    @Override
    protected int targetPort() {
        return port;
    }
}

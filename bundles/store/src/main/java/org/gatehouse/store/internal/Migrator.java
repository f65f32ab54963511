package org.gatehouse.store.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the ordered SQL files under {@code org/gatehouse/store/migrations/} that are not yet recorded in
 * {@code schema_version}; each file and its version row commit together (on PostgreSQL the DDL too; H2
 * commits DDL implicitly, see README).
 */
public final class Migrator {
    /** Every migration, in order. A new file is added here; applied files are never edited. */
    public static final List<String> MIGRATIONS = List.of("V001__initial.sql", "V002__templates_and_audit.sql",
            "V003__credentials_consents_removal.sql", "V004__visitors_retention.sql",
            "V005__visitor_security.sql", "V006__whitelist_privacy_security.sql",
            "V007__key_checks_and_keyed_audit.sql", "V008__import_jobs.sql",
            "V009__stream_consumers.sql", "V010__sealed_id_numbers.sql", "V011__stream_recovery.sql",
            "V012__import_row_warnings.sql", "V013__terminal_face_photos.sql", "V014__welfare.sql",
            "V015__outbox_order.sql");

    private static final String BASE = "org/gatehouse/store/migrations/";
    private static final Logger LOG = LoggerFactory.getLogger(Migrator.class);

    /** What a run did. */
    public record Result(List<Integer> applied, int version) {
    }

    private Migrator() {
    }

    public static Result migrate(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                return migrate(connection);
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        }
    }

    private static Result migrate(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("create table if not exists schema_version ("
                    + "version integer primary key, description varchar(200) not null, "
                    + "applied_at timestamp with time zone not null)");
            connection.commit();
        }
        TreeSet<Integer> done = appliedVersions(connection);
        List<Integer> applied = new ArrayList<>();
        for (String file : MIGRATIONS) {
            int version = version(file);
            if (done.contains(version)) {
                continue;
            }
            String description = file.substring(file.indexOf("__") + 2, file.length() - 4).replace('_', ' ');
            try (Statement statement = connection.createStatement()) {
                for (String sql : statements(read(file))) {
                    statement.execute(sql);
                }
                try (PreparedStatement insert = connection.prepareStatement(
                        "insert into schema_version (version, description, applied_at) values (?, ?, ?)")) {
                    insert.setInt(1, version);
                    insert.setString(2, description);
                    insert.setObject(3, OffsetDateTime.now(ZoneOffset.UTC));
                    insert.executeUpdate();
                }
                connection.commit();
                applied.add(version);
                done.add(version);
                LOG.info("applied schema migration {}", file);
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection);
                throw e;
            }
        }
        return new Result(List.copyOf(applied), done.isEmpty() ? 0 : done.last());
    }

    /**
     * The highest version listed (numbers need not be contiguous and files merged late may be listed after a higher
     * one: each file is applied once, and the schema version reported is the highest applied).
     */
    public static int latestVersion() {
        return MIGRATIONS.stream().mapToInt(Migrator::version).max().orElse(0);
    }

    public static int currentVersion(Connection connection) throws SQLException {
        TreeSet<Integer> done = appliedVersions(connection);
        return done.isEmpty() ? 0 : done.last();
    }

    private static TreeSet<Integer> appliedVersions(Connection connection) throws SQLException {
        TreeSet<Integer> done = new TreeSet<>();
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("select version from schema_version")) {
            while (rs.next()) {
                done.add(rs.getInt(1));
            }
        }
        return done;
    }

    static int version(String file) {
        if (!file.matches("V\\d{3}__[A-Za-z0-9_]+\\.sql")) {
            throw new IllegalStateException("bad migration file name " + file);
        }
        return Integer.parseInt(file.substring(1, 4));
    }

    private static String read(String file) {
        try (InputStream in = Migrator.class.getClassLoader().getResourceAsStream(BASE + file)) {
            if (in == null) {
                throw new IllegalStateException("migration " + file + " is missing from the bundle");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read migration " + file, e);
        }
    }

    /** Splits a file into statements: drops "--" comment lines, splits at ';' ending a line. */
    static List<String> statements(String script) {
        List<String> result = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : script.split("\r?\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("--")) {
                continue;
            }
            current.append(line).append('\n');
            if (trimmed.endsWith(";")) {
                String sql = current.toString().strip();
                result.add(sql.substring(0, sql.length() - 1));
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            result.add(current.toString().strip());
        }
        return result;
    }

    private static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // the original failure matters
        }
    }
}

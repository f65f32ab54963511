package org.gatehouse.store.internal;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.Driver;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.Function;
import java.util.function.Supplier;

import javax.sql.DataSource;

import org.apache.cayenne.ObjectContext;
import org.apache.cayenne.access.DataNode;
import org.apache.cayenne.configuration.server.ServerModule;
import org.apache.cayenne.configuration.server.ServerRuntime;
import org.apache.cayenne.datasource.DataSourceBuilder;
import org.apache.cayenne.datasource.PoolingDataSource;
import org.apache.cayenne.di.ClassLoaderManager;
import org.apache.cayenne.di.Injector;
import org.apache.cayenne.query.ObjectSelect;
import org.apache.cayenne.tx.BaseTransaction;
import org.apache.cayenne.tx.Transaction;
import org.gatehouse.api.service.StoreHealth;
import org.gatehouse.api.service.StoreUnavailableException;
import org.gatehouse.store.internal.model.CommunityRow;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the Cayenne {@link ServerRuntime} and its connection pool. Repositories reference it and run
 * their work through {@link #read} and {@link #write}, which set the thread context class loader,
 * apply pending migrations on first use (so a database that is down at start is picked up later),
 * and translate failures into the api's exceptions.
 */
@Component(service = {CayenneStore.class, StoreHealth.class}, configurationPid = CayenneStore.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = StoreConfig.class)
public class CayenneStore implements StoreHealth, AutoCloseable {
    public static final String PID = "org.gatehouse.store";
    static final String PROJECT = "org/gatehouse/store/cayenne/cayenne-gatehouse.xml";
    /** How long a caller waits for a pooled connection before StoreUnavailableException. */
    static final long MAX_QUEUE_WAIT_MS = 3000;

    private static final Logger LOG = LoggerFactory.getLogger(CayenneStore.class);

    private final StoreSettings settings;
    private final CompositeClassLoader loader;
    private final PoolingDataSource dataSource;
    private final ServerRuntime runtime;
    private volatile boolean ready;
    private volatile int schemaVersion;
    private volatile String product = "";

    @Activate
    public CayenneStore(StoreConfig config) {
        this(StoreSettings.from(config));
    }

    public CayenneStore(StoreSettings settings) {
        this.settings = settings;
        this.loader = new CompositeClassLoader(CayenneStore.class.getClassLoader(),
                ServerRuntime.class.getClassLoader(), Injector.class.getClassLoader());
        Driver driver = settings.postgres() ? new org.postgresql.Driver() : new org.h2.Driver();
        this.dataSource = DataSourceBuilder.url(settings.jdbcUrl())
                .driver(driver)
                .userName(settings.user())
                .password(settings.password())
                .pool(1, settings.maxConnections())
                .maxQueueWaitTime(MAX_QUEUE_WAIT_MS)
                .validationQuery("select 1")
                .build();
        this.runtime = withLoader(() -> ServerRuntime.builder()
                .disableModulesAutoLoading()
                .addModule(new ServerModule())
                .addModule(binder -> {
                    binder.bind(ClassLoaderManager.class).toInstance(loader);
                    ServerModule.contributeUserTypes(binder).add(new InstantType());
                })
                .addConfig(PROJECT)
                .dataSource(dataSource)
                .build());
        try {
            withLoader(() -> {
                ensureReady();
                return null;
            });
        } catch (StoreUnavailableException e) {
            LOG.warn("database {} is not reachable yet; the schema will be checked on first use: {}",
                    settings.safeUrl(), e.getMessage());
        }
        LOG.info("store started on {}", settings.safeUrl());
    }

    @Deactivate
    @Override
    public void close() {
        try {
            runtime.shutdown();
        } finally {
            try {
                dataSource.close();
            } catch (Exception e) {
                LOG.debug("closing the pool", e);
            }
        }
    }

    public StoreSettings settings() {
        return settings;
    }

    /** Runs {@code work} with a fresh ObjectContext, outside an explicit transaction. */
    public <T> T read(Function<ObjectContext, T> work) {
        return withLoader(() -> {
            ensureReady();
            return work.apply(runtime.newContext());
        });
    }

    /** Runs {@code work} with a fresh ObjectContext in one transaction: commits once, or rolls back on failure. */
    public <T> T write(Function<ObjectContext, T> work) {
        return withLoader(() -> {
            ensureReady();
            return runtime.performInTransaction(() -> work.apply(runtime.newContext()));
        });
    }

    /** Work on a JDBC connection. */
    @FunctionalInterface
    public interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }

    /**
     * Runs {@code work} on a pooled connection of its own (never the thread's Cayenne transaction), in one
     * transaction: commits once, or rolls back on failure. Migrations are applied first, like {@link #read}.
     */
    public <T> T withConnection(SqlWork<T> work) {
        return withLoader(() -> {
            ensureReady();
            try (Connection connection = dataSource.getConnection()) {
                boolean autoCommit = connection.getAutoCommit();
                connection.setAutoCommit(false);
                try {
                    T result = work.run(connection);
                    connection.commit();
                    return result;
                } catch (SQLException | RuntimeException e) {
                    try {
                        connection.rollback();
                    } catch (SQLException ignored) {
                        // the original failure matters
                    }
                    throw e;
                } finally {
                    connection.setAutoCommit(autoCommit);
                }
            } catch (SQLException e) {
                throw Errors.translate(e);
            }
        });
    }

    /** The JDBC connection of the current Cayenne transaction (same connection Cayenne commits). */
    public Connection transactionConnection() {
        Transaction tx = BaseTransaction.getThreadTransaction();
        if (tx == null) {
            throw new IllegalStateException("no transaction bound to this thread");
        }
        DataNode node = runtime.getDataDomain().getDefaultNode();
        try {
            return tx.getOrCreateConnection(node.getName(), node.getDataSource());
        } catch (SQLException e) {
            throw Errors.translate(e);
        }
    }

    public int schemaVersion() {
        return schemaVersion;
    }

    private void ensureReady() {
        if (ready) {
            return;
        }
        synchronized (this) {
            if (ready) {
                return;
            }
            try {
                Migrator.Result result = Migrator.migrate(dataSource);
                schemaVersion = result.version();
                if (!result.applied().isEmpty()) {
                    LOG.info("schema migrated to version {} (applied {})", result.version(), result.applied());
                }
                // first Cayenne query: detects the adapter while the database is known to answer
                ObjectSelect.query(CommunityRow.class).limit(1).select(runtime.newContext());
                ready = true;
            } catch (Exception e) {
                throw Errors.translate(e);
            }
        }
    }

    private <T> T withLoader(Supplier<T> work) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            return work.get();
        } catch (RuntimeException e) {
            throw Errors.translate(e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    @Override
    public Status status() {
        long start = System.nanoTime();
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.setQueryTimeout(2);
            try (ResultSet rs = statement.executeQuery("select 1")) {
                rs.next();
            }
            long latency = (System.nanoTime() - start) / 1_000_000;
            DatabaseMetaData meta = connection.getMetaData();
            product = meta.getDatabaseProductName() + " " + meta.getDatabaseProductVersion();
            try {
                schemaVersion = Migrator.currentVersion(connection);
            } catch (SQLException e) {
                schemaVersion = 0;
            }
            return new Status(true, product, settings.safeUrl(), schemaVersion, latency, "");
        } catch (Exception e) {
            long latency = (System.nanoTime() - start) / 1_000_000;
            return new Status(false, product, settings.safeUrl(), schemaVersion, latency, Errors.rootMessage(e));
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    public DataSource dataSource() {
        return dataSource;
    }
}

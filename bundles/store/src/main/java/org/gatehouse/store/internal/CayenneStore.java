package org.gatehouse.store.internal;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.Driver;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
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
    private final PoolingDataSource pool;
    /** The pool's connections, failing fast while the database is down ({@link FailFastDataSource}). */
    private final DataSource dataSource;
    private final ServerRuntime runtime;
    private volatile boolean ready;
    private volatile int schemaVersion;
    private volatile String product = "";
    /** H2 only: every write waits for its commit to be on the device (see {@link GroupSync}). */
    private final GroupSync sync;

    @Activate
    public CayenneStore(StoreConfig config) {
        this(StoreSettings.from(config));
    }

    public CayenneStore(StoreSettings settings) {
        this.settings = settings;
        this.loader = new CompositeClassLoader(CayenneStore.class.getClassLoader(),
                ServerRuntime.class.getClassLoader(), Injector.class.getClassLoader());
        Driver driver = settings.postgres() ? new org.postgresql.Driver() : new org.h2.Driver();
        this.pool = DataSourceBuilder.url(settings.jdbcUrl())
                .driver(driver)
                .userName(settings.user())
                .password(settings.password())
                .pool(1, settings.maxConnections())
                .maxQueueWaitTime(MAX_QUEUE_WAIT_MS)
                .validationQuery("select 1")
                .build();
        this.dataSource = new FailFastDataSource(pool);
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
        this.sync = settings.postgres() ? null : new GroupSync(this::checkpointSync, "gatehouse-store-sync");
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
        if (sync != null) {
            sync.close();
        }
        try {
            runtime.shutdown();
        } finally {
            try {
                pool.close();
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

    /**
     * Runs {@code work} with a fresh ObjectContext in one transaction: commits once, or rolls back on failure.
     * Returns only once the commit is durable: on PostgreSQL the commit itself (synchronous_commit), on H2 a
     * sync to the device shared with the writes committed at the same time ({@link GroupSync}).
     */
    public <T> T write(Function<ObjectContext, T> work) {
        boolean outermost = commitSteps.get() == null; // a write inside a write joins its transaction
        if (outermost) {
            commitSteps.set(new LinkedHashMap<>());
        }
        T result;
        try {
            result = withLoader(() -> {
                ensureReady();
                return runtime.performInTransaction(() -> {
                    T value = work.apply(runtime.newContext());
                    if (outermost) {
                        runCommitSteps();
                    }
                    return value;
                });
            });
        } finally {
            if (outermost) {
                commitSteps.remove();
            }
        }
        if (sync != null) {
            sync.await();
        }
        return result;
    }

    /** Work that must be the last thing a transaction does before it commits (see {@link #atCommit}). */
    public interface CommitStep {
        void run(Connection connection) throws SQLException;
    }

    /** The steps of the current thread's outermost {@link #write}, by key, in the order they were first asked for. */
    private final ThreadLocal<Map<Class<?>, CommitStep>> commitSteps = new ThreadLocal<>();

    /**
     * The step of type {@code key} that runs on this transaction's connection as the last thing before the outermost
     * {@link #write} of this thread commits, made by {@code create} the first time it is asked for in the transaction.
     * Used for work that must hold a lock only from its own statements to the commit (the outbox's order).
     */
    public <S extends CommitStep> S atCommit(Class<S> key, Supplier<S> create) {
        Map<Class<?>, CommitStep> steps = commitSteps.get();
        if (steps == null) {
            throw new IllegalStateException("no write() transaction on this thread");
        }
        return key.cast(steps.computeIfAbsent(key, k -> create.get()));
    }

    private void runCommitSteps() {
        Connection connection = transactionConnection();
        for (CommitStep step : commitSteps.get().values()) {
            try {
                step.run(connection);
            } catch (SQLException e) {
                throw Errors.translate(e);
            }
        }
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
        T value = withLoader(() -> {
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
        if (sync != null) {
            sync.await(); // what it committed is durable before the caller goes on, as for write()
        }
        return value;
    }

    /**
     * Runs read-only {@code work} on a pooled connection of its own: nothing is committed, so nothing waits for the
     * disk (a poll that finds nothing new costs no sync). Migrations are applied first, like {@link #read}.
     */
    public <T> T query(SqlWork<T> work) {
        return withLoader(() -> {
            ensureReady();
            try (Connection connection = dataSource.getConnection()) {
                boolean autoCommit = connection.getAutoCommit();
                connection.setAutoCommit(false);
                try {
                    return work.run(connection);
                } finally {
                    try {
                        connection.rollback();
                    } finally {
                        connection.setAutoCommit(autoCommit);
                    }
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

    /**
     * Makes what has been committed so far survive a crash of this process. PostgreSQL: nothing to do (a commit is on
     * disk when it returns, with the default {@code synchronous_commit = on}). Embedded H2 may still hold committed
     * changes in memory (its {@code WRITE_DELAY}, 500 ms unless the URL sets it) or in the operating system's buffers,
     * so this runs {@code CHECKPOINT SYNC} (the H2 user needs admin rights, which the default {@code sa} has), which
     * writes them and forces them to the device. For the few answers that promise
     * durability (an import accepted); a failure is a {@link StoreUnavailableException} or another exception.
     */
    public void syncToDisk() {
        if (sync != null) {
            sync.await();
        }
    }

    /** H2: writes what is committed and forces it to the device (one round of {@link GroupSync}). */
    private void checkpointSync() {
        withLoader(() -> {
            try (Connection connection = dataSource.getConnection();
                 Statement statement = connection.createStatement()) {
                statement.execute("checkpoint sync");
            } catch (SQLException e) {
                throw Errors.translate(e);
            }
            return null;
        });
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

    /** PostgreSQL with {@code synchronous_commit} off acknowledges commits a crash can still lose: say so. */
    private String durabilityWarning(Connection connection) {
        if (!settings.postgres()) {
            return "";
        }
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("show synchronous_commit")) {
            return rs.next() && "off".equalsIgnoreCase(rs.getString(1))
                    ? "synchronous_commit is off: writes answered as stored can be lost in a crash; turn it on" : "";
        } catch (SQLException e) {
            return "";
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
            return new Status(true, product, settings.safeUrl(), schemaVersion, latency, durabilityWarning(connection));
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

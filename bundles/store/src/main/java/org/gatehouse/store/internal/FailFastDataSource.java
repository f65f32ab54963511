package org.gatehouse.store.internal;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

import javax.sql.DataSource;

/**
 * The store's connections, failing fast while the database is down. Reaching a database that is gone can take a
 * long time per attempt (H2's TCP client retries for about a second; PostgreSQL behind a dropped network waits for
 * its connect timeout), and every caller paid it: with the database down a gate decision took 6 s while the gate
 * had everything it needed in memory. After a connection fails for a reason {@link Errors#isUnavailable} knows, the
 * next {@code retryMillis} get a {@link SQLTransientConnectionException} at once (the store answers
 * {@code StoreUnavailableException}); then one caller tries again while the others still fail fast, and a success
 * closes the circuit. A failure of another kind (a wrong password, a bad statement) does not open it.
 */
final class FailFastDataSource implements DataSource {

    static final long RETRY_MILLIS = 1000;

    private final DataSource delegate;
    private final long retryNanos;
    private final LongSupplier nanoTime;
    private final AtomicBoolean probing = new AtomicBoolean();
    private volatile long downUntil;
    private volatile boolean down;
    private volatile String lastFailure = "";

    FailFastDataSource(DataSource delegate) {
        this(delegate, RETRY_MILLIS, System::nanoTime);
    }

    FailFastDataSource(DataSource delegate, long retryMillis, LongSupplier nanoTime) {
        this.delegate = delegate;
        this.retryNanos = retryMillis * 1_000_000L;
        this.nanoTime = nanoTime;
    }

    /** Whether the last attempt to reach the database failed (the circuit is open). */
    boolean down() {
        return down;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return connect(null, null);
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return connect(username, password);
    }

    private Connection connect(String user, String password) throws SQLException {
        boolean probe = false;
        if (down) {
            if (nanoTime.getAsLong() - downUntil < 0 || !probing.compareAndSet(false, true)) {
                throw new SQLTransientConnectionException("database unavailable (not tried again yet: "
                        + lastFailure + ")", "08001");
            }
            probe = true;
        }
        try {
            Connection c = user == null ? delegate.getConnection() : delegate.getConnection(user, password);
            down = false;
            return c;
        } catch (SQLException | RuntimeException e) {
            if (Errors.isUnavailable(e)) {
                lastFailure = Errors.rootMessage(e);
                downUntil = nanoTime.getAsLong() + retryNanos;
                down = true;
            }
            throw e;
        } finally {
            if (probe) {
                probing.set(false);
            }
        }
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return delegate.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        delegate.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        delegate.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return delegate.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return delegate.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return iface.isInstance(this) ? iface.cast(this) : delegate.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || delegate.isWrapperFor(iface);
    }
}

package org.gatehouse.store.internal;

import java.io.PrintWriter;
import java.lang.reflect.Proxy;
import java.net.ConnectException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** With the database down, one attempt per second reaches it and every other caller is answered at once. */
class FailFastDataSourceTest {

    /** A database that is up or down (connection refused) or refuses the login, counting the attempts. */
    static final class Database implements DataSource {
        final AtomicInteger attempts = new AtomicInteger();
        volatile String state = "up";

        @Override
        public Connection getConnection() throws SQLException {
            attempts.incrementAndGet();
            switch (state) {
                case "down" -> throw new SQLException("Connection refused", "08001", new ConnectException("refused"));
                case "bad-login" -> throw new SQLException("password authentication failed", "28P01");
                default -> {
                    return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(),
                            new Class<?>[] {Connection.class}, (p, m, a) -> null);
                }
            }
        }

        @Override
        public Connection getConnection(String u, String p) throws SQLException {
            return getConnection();
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() {
            return null;
        }

        @Override
        public <T> T unwrap(Class<T> iface) {
            return null;
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return false;
        }
    }

    @Test
    void whileTheDatabaseIsDownOnlyOneAttemptPerSecondReachesIt() throws Exception {
        Database db = new Database();
        AtomicLong now = new AtomicLong();
        FailFastDataSource ds = new FailFastDataSource(db, 1000, now::get);
        assertNotNull(ds.getConnection());
        db.state = "down";
        SQLException first = assertThrows(SQLException.class, ds::getConnection);
        assertEquals("08001", first.getSQLState());
        assertTrue(ds.down());
        for (int i = 0; i < 50; i++) {
            now.addAndGet(10_000_000L); // 0.5 s in all
            SQLException fast = assertThrows(SQLTransientConnectionException.class, ds::getConnection);
            assertTrue(fast.getMessage().contains("refused"), fast.getMessage());
            assertTrue(Errors.isUnavailable(fast), "the store answers StoreUnavailableException for it");
        }
        assertEquals(2, db.attempts.get(), "nobody waited for the dead database in the window");
        now.addAndGet(600_000_000L); // past the second: one caller tries again
        assertThrows(SQLException.class, ds::getConnection);
        assertEquals(3, db.attempts.get());
        assertThrows(SQLTransientConnectionException.class, ds::getConnection);
        assertEquals(3, db.attempts.get());
        db.state = "up";
        now.addAndGet(1_100_000_000L);
        assertNotNull(ds.getConnection(), "back: the circuit closes on the first success");
        assertFalse(ds.down());
        assertNotNull(ds.getConnection());
        assertEquals(5, db.attempts.get());
    }

    @Test
    void aRefusedLoginIsNotAnOutage() {
        Database db = new Database();
        FailFastDataSource ds = new FailFastDataSource(db, 1000, () -> 0L);
        db.state = "bad-login";
        assertThrows(SQLException.class, ds::getConnection);
        assertThrows(SQLException.class, ds::getConnection);
        assertEquals(2, db.attempts.get(), "every call reaches the database and gets its real answer");
        assertFalse(ds.down());
    }
}

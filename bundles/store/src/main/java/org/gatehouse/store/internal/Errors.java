package org.gatehouse.store.internal;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.IdentityHashMap;
import java.util.Map;

import org.apache.cayenne.datasource.UnmanagedPoolingDataSource;
import org.apache.cayenne.validation.ValidationException;
import org.gatehouse.api.service.ConflictException;
import org.gatehouse.api.service.GatehouseException;
import org.gatehouse.api.service.StoreUnavailableException;

/** Turns what JDBC and Cayenne throw into the api's exceptions. */
public final class Errors {
    /** SQL states: class 08 connection exception; 57P01-57P03 PostgreSQL shutdown / cannot connect now; H2's broken connection and database closed. */
    private static final java.util.Set<String> UNAVAILABLE_STATES = java.util.Set.of("57P01", "57P02", "57P03",
            "53300", "90067", "90098", "90121", "90020");

    private Errors() {
    }

    public static RuntimeException translate(Throwable failure) {
        // Cayenne wraps what the work threw (CayenneRuntimeException): our own exceptions come out unwrapped
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof GatehouseException ge) {
                return ge;
            }
            if (t instanceof IllegalArgumentException iae) {
                return iae;
            }
            if (t instanceof TemplateUnreadableException tue) {
                return tue;
            }
            if (t instanceof org.gatehouse.api.keys.KeyRefusedException kre) {
                return kre;
            }
            if (t instanceof ValidationException ve) {
                // Cayenne checks lengths and mandatory columns against the map before it writes
                return new IllegalArgumentException(ve.getMessage(), ve);
            }
            if (t instanceof SQLException) {
                break;
            }
        }
        if (isUnavailable(failure)) {
            return new StoreUnavailableException("database unavailable: " + rootMessage(failure), failure);
        }
        String state = sqlState(failure);
        if ("23505".equals(state)) {
            return new ConflictException("duplicate: " + rootMessage(failure));
        }
        if ("22001".equals(state)) {
            return new IllegalArgumentException("value too long: " + rootMessage(failure), failure);
        }
        if ("23503".equals(state)) {
            return new ConflictException("still referenced or missing reference: " + rootMessage(failure));
        }
        return failure instanceof RuntimeException re ? re : new IllegalStateException(failure);
    }

    public static boolean isUnavailable(Throwable failure) {
        for (Throwable t : chain(failure).keySet()) {
            if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException
                    || t instanceof UnmanagedPoolingDataSource.ConnectionUnavailableException
                    || t instanceof ConnectException || t instanceof NoRouteToHostException
                    || t instanceof SocketTimeoutException || t instanceof SocketException) {
                return true;
            }
            if (t instanceof SQLException se && se.getSQLState() != null
                    && (se.getSQLState().startsWith("08") || UNAVAILABLE_STATES.contains(se.getSQLState()))) {
                return true;
            }
        }
        return false;
    }

    public static String sqlState(Throwable failure) {
        for (Throwable t : chain(failure).keySet()) {
            if (t instanceof SQLException se && se.getSQLState() != null) {
                return se.getSQLState();
            }
        }
        return null;
    }

    public static String rootMessage(Throwable failure) {
        Throwable last = failure;
        for (Throwable t : chain(failure).keySet()) {
            if (t.getMessage() != null) {
                last = t;
            }
        }
        String message = String.valueOf(last.getMessage());
        int newline = message.indexOf('\n');
        return newline > 0 ? message.substring(0, newline) : message;
    }

    private static Map<Throwable, Boolean> chain(Throwable failure) {
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        java.util.ArrayDeque<Throwable> todo = new java.util.ArrayDeque<>();
        if (failure != null) {
            todo.add(failure);
        }
        while (!todo.isEmpty() && seen.size() < 50) {
            Throwable t = todo.poll();
            if (seen.put(t, Boolean.TRUE) != null) {
                continue;
            }
            if (t.getCause() != null) {
                todo.add(t.getCause());
            }
            if (t instanceof SQLException se && se.getNextException() != null) {
                todo.add(se.getNextException());
            }
            for (Throwable s : t.getSuppressed()) {
                todo.add(s);
            }
        }
        // keep insertion order for rootMessage: IdentityHashMap has none, so rebuild ordered
        Map<Throwable, Boolean> ordered = new java.util.LinkedHashMap<>();
        Throwable t = failure;
        while (t != null && !ordered.containsKey(t)) {
            ordered.put(t, Boolean.TRUE);
            t = t.getCause();
        }
        for (Throwable other : seen.keySet()) {
            ordered.putIfAbsent(other, Boolean.TRUE);
        }
        return ordered;
    }
}

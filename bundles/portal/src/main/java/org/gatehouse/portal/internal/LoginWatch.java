package org.gatehouse.portal.internal;

import java.io.Serializable;
import java.util.function.Supplier;

import org.gatehouse.core.api.Accounts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The login a portal session was opened with, as the realm stored it then ({@link Accounts#stamp}: password hash,
 * roles, groups). The session calls the API with the {@code Caller} of its login, roles and all, so without this an
 * administrator who removes a user, gives them a new password or takes a role away would not end their open session.
 * Asked on every API call of the session and on every navigation: comparing two stamps hashes no password. Once
 * changed it stays changed — putting the role back does not revive the session.
 */
final class LoginWatch implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(LoginWatch.class);

    enum State {
        /** The login is as it was at login. */
        UNCHANGED,
        /** Removed, or its password, roles or groups changed: the session ends. */
        CHANGED,
        /** The realm's accounts cannot be asked right now (the core is restarting): calls wait, the session stays. */
        UNKNOWN
    }

    private final String user;
    private final String stamp;
    private final transient Supplier<Accounts> accounts;
    private volatile boolean changed;

    private LoginWatch(String user, String stamp, Supplier<Accounts> accounts) {
        this.user = user;
        this.stamp = stamp;
        this.accounts = accounts;
    }

    /**
     * The watch of {@code user}'s login as the realm stores it now; {@code null} when the realm's accounts are not
     * there or hold no such login (then nothing could tell a change, and the portal does not let the login in).
     */
    static LoginWatch of(String user, Supplier<Accounts> accounts) {
        Accounts a = accounts.get();
        String stamp = a == null ? null : a.stamp(user);
        return stamp == null ? null : new LoginWatch(user, stamp, accounts);
    }

    String user() {
        return user;
    }

    State state() {
        if (changed) {
            return State.CHANGED;
        }
        Supplier<Accounts> source = accounts;
        if (source == null) {
            // a session read back from disk: nothing vouches for it
            changed = true;
            return State.CHANGED;
        }
        Accounts a = source.get();
        if (a == null) {
            return State.UNKNOWN;
        }
        String now;
        try {
            now = a.stamp(user);
        } catch (RuntimeException e) {
            LOG.warn("Cannot check the portal login of {}: {}", user, e.toString());
            return State.UNKNOWN;
        }
        if (!stamp.equals(now)) {
            changed = true;
            LOG.info("The login of {} was {}: their portal session ends", user, now == null ? "removed" : "changed");
            return State.CHANGED;
        }
        return State.UNCHANGED;
    }
}

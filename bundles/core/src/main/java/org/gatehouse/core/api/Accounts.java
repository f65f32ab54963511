package org.gatehouse.core.api;

import java.util.List;

/**
 * People's logins in the platform's realm (Karaf JAAS, {@code etc/users.properties} by default). Passwords
 * are stored only as the realm's salted slow hash (bcrypt), never in clear.
 */
public interface Accounts {
    /** Whether a login of that name exists. */
    boolean exists(String user);

    /**
     * A fingerprint of what the realm stores for {@code user} now: its password hash, its roles and groups, and the
     * roles of those groups; {@code null} when there is no such login. Whoever keeps a login open beyond one request
     * (the portal) takes it at login and compares it later: a different one means the password, a role or a group
     * changed, or the login was removed and made again. Cheap: no password is hashed, and the realm's file is read
     * again only when it changed.
     */
    String stamp(String user);

    /**
     * Creates a login with its roles and groups (e.g. {@code community-office}, {@code community:SUNSHINE},
     * {@code _g_:admingroup}); the password is hashed before this returns.
     *
     * @throws IllegalStateException when it exists already, or the password cannot be hashed
     */
    void create(String user, char[] password, List<String> rolesAndGroups);

    /**
     * Removes the login if its password is still {@code password} (a default nobody changed, such as a demo login's);
     * a login whose password was changed is kept.
     *
     * @return whether it was removed
     */
    boolean removeIfPassword(String user, char[] password);
}

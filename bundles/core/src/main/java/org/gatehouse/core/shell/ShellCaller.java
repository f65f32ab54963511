package org.gatehouse.core.shell;

import java.security.AccessController;
import java.util.Set;

import javax.security.auth.Subject;

import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.apache.karaf.shell.api.console.Session;
import org.gatehouse.api.service.Scope;
import org.gatehouse.core.api.Caller;
import org.gatehouse.core.api.Roles;

/**
 * The caller a shell command acts as: the platform operator (every community), named after the user
 * who logged in to the Karaf console ({@code shell:admin}), so that the audit trail says who did it.
 */
public final class ShellCaller {
    static final String PREFIX = "shell:";

    private ShellCaller() {
    }

    /** The logged-in console user of the command running on this thread. */
    public static Caller get() {
        return of(null);
    }

    /** As {@link #get()}; {@code session}'s {@code USER} when no JAAS subject is on the thread. */
    @SuppressWarnings("removal") // Subject.current() is Java 18+; Karaf runs shell commands in Subject.doAs
    public static Caller of(Session session) {
        String user = null;
        Subject subject = Subject.getSubject(AccessController.getContext());
        if (subject != null) {
            user = subject.getPrincipals(UserPrincipal.class).stream().map(UserPrincipal::getName).findFirst()
                    .orElse(null);
        }
        if (user == null && session != null && session.get("USER") != null) {
            user = String.valueOf(session.get("USER"));
        }
        return new Caller(PREFIX + (user == null ? "unknown" : user), Set.of(Roles.CITY_ADMIN), Scope.all());
    }
}

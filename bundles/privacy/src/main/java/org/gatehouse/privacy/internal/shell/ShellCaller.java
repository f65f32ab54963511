package org.gatehouse.privacy.internal.shell;

import java.util.Set;

import org.gatehouse.api.service.Scope;
import org.gatehouse.core.api.Caller;
import org.gatehouse.core.api.Roles;

/** The shell acts for the platform operator: every community, audited as {@code shell:<user>}. */
final class ShellCaller {
    private ShellCaller() {
    }

    static Caller get() {
        return new Caller("shell:" + System.getProperty("user.name", "karaf"), Set.of(Roles.CITY_ADMIN), Scope.all());
    }
}

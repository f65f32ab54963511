package org.gatehouse.core.api;

import java.util.Set;

import org.gatehouse.api.service.Scope;

/** Who is calling: a user from the JAAS realm or a device with a token, its roles and its communities. */
public record Caller(String name, Set<String> roles, Scope scope) {
    public static final Caller ANONYMOUS = new Caller("anonymous", Set.of(), Scope.of(Set.of()));

    public Caller {
        roles = Set.copyOf(roles);
    }

    public boolean hasRole(String role) {
        return roles.contains(role);
    }

    public boolean isAuthenticated() {
        return this != ANONYMOUS;
    }
}

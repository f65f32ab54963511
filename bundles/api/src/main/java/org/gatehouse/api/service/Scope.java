package org.gatehouse.api.service;

import java.util.Set;

/**
 * The communities a caller may see. Every query takes one, so no module can read another
 * community's rows by accident. {@link #all()} is for city administrators and the platform itself.
 */
public record Scope(boolean everything, Set<String> communityIds) {
    private static final Scope ALL = new Scope(true, Set.of());

    public Scope {
        communityIds = communityIds == null ? Set.of() : Set.copyOf(communityIds);
    }

    public static Scope all() {
        return ALL;
    }

    public static Scope of(String... communityIds) {
        return new Scope(false, Set.of(communityIds));
    }

    public static Scope of(Set<String> communityIds) {
        return new Scope(false, communityIds);
    }

    public boolean allows(String communityId) {
        return everything || communityIds.contains(communityId);
    }

    /** Throws {@link OutOfScopeException} unless the caller may act on {@code communityId}. */
    public void check(String communityId) {
        if (!allows(communityId)) {
            throw new OutOfScopeException(communityId);
        }
    }
}

package org.gatehouse.core.api;

import java.util.Set;

/** The platform's roles (Karaf JAAS role names) and a few common groupings for REST routes. */
public final class Roles {
    public static final String CITY_ADMIN = "city-admin";
    public static final String COMMUNITY_OFFICE = "community-office";
    public static final String POLICE = "police";
    public static final String PROPERTY = "property";
    public static final String DEVICE = "device";
    /** A resident using the residents' app; acts only for the households named by {@link #HOUSEHOLD_PREFIX} roles. */
    public static final String RESIDENT = "resident";
    /** A role {@code household:ID} lets a resident act for that household. */
    public static final String HOUSEHOLD_PREFIX = "household:";
    /** A role {@code community:CODE} gives a non-admin caller the community with that code. */
    public static final String COMMUNITY_PREFIX = "community:";

    /** Anyone may call (no credentials). */
    public static final Set<String> PUBLIC = Set.of();
    /** Any authenticated caller. */
    public static final Set<String> AUTHENTICATED = Set.of("*");
    public static final Set<String> ADMIN = Set.of(CITY_ADMIN);
    public static final Set<String> OFFICE = Set.of(CITY_ADMIN, COMMUNITY_OFFICE);
    public static final Set<String> STAFF = Set.of(CITY_ADMIN, COMMUNITY_OFFICE, POLICE, PROPERTY);

    private Roles() {
    }
}

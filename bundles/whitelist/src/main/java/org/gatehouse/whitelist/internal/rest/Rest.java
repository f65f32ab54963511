package org.gatehouse.whitelist.internal.rest;

import java.util.Set;

import org.gatehouse.core.api.Roles;

/** Shared bits of the whitelist's REST resources. */
final class Rest {
    /** Who manages the whitelist: city administrators and community offices (own communities via scope). */
    static final Set<String> MANAGE = Roles.OFFICE;
    /** Who may read residents: managers and the community police officer. Devices never. */
    static final Set<String> READ = Set.of(Roles.CITY_ADMIN, Roles.COMMUNITY_OFFICE, Roles.POLICE);

    private Rest() {
    }
}

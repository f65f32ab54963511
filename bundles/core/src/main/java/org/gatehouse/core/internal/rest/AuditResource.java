package org.gatehouse.core.internal.rest;


import java.util.Set;

import org.gatehouse.api.service.AuditLog;
import org.gatehouse.core.api.RestResource;
import org.gatehouse.core.api.RestRoutes;
import org.gatehouse.core.api.Roles;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** The audit log: entries of a community (newest first) and verification of the hash chain. */
@Component(service = RestResource.class)
public class AuditResource implements RestResource {
    private final AuditLog audit;

    @Activate
    public AuditResource(@Reference AuditLog audit) {
        this.audit = audit;
    }

    @Override
    public String tag() {
        return "audit";
    }

    @Override
    public void routes(RestRoutes routes) {
        routes.get("/audit", Set.of(Roles.CITY_ADMIN, Roles.COMMUNITY_OFFICE, Roles.POLICE),
                "Audit entries of a community, newest first (communityId, from, to, limit)",
                AuditLog.AuditEntry[].class, r -> {
                    String community = r.query("communityId").orElse(null);
                    if (community == null && !r.caller().hasRole(Roles.CITY_ADMIN)) {
                        throw new IllegalArgumentException("communityId is required");
                    }
                    if (community != null) {
                        r.caller().scope().check(community);
                    }
                    return audit.entries(r.caller().scope(), community, QueryParams.instant(r.query("from").orElse(null), "from"),
                            QueryParams.instant(r.query("to").orElse(null), "to"), r.queryInt("limit", 100, 1, 1000));
                });
        routes.get("/audit/verify", Roles.ADMIN, "Walks the audit log's hash chain", AuditLog.Verification.class,
                r -> audit.verify());
    }

}

package org.gatehouse.core.internal.rest;


import java.util.Set;

import org.gatehouse.api.service.AuditLog;
import org.gatehouse.core.api.RestResource;
import org.gatehouse.core.api.RestRoutes;
import org.gatehouse.core.api.Roles;
import org.gatehouse.core.internal.audit.AuditHeads;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The audit log: entries of a community (newest first) and verification of the keyed hash chain together with the
 * heads exported outside the database ({@link AuditHeads}).
 */
@Component(service = RestResource.class)
public class AuditResource implements RestResource {
    private final AuditLog audit;
    private final AuditHeads heads;

    @Activate
    public AuditResource(@Reference AuditLog audit, @Reference AuditHeads heads) {
        this.audit = audit;
        this.heads = heads;
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
        routes.get("/audit/verify", Roles.ADMIN, "Walks the audit log's keyed hash chain and checks the heads exported "
                        + "outside the database (entries removed from the end, rewritten entries)",
                AuditLog.Verification.class, r -> heads.verify().verification());
    }

}

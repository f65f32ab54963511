package org.gatehouse.privacy.internal.rest;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.gatehouse.core.api.RestResource;
import org.gatehouse.core.api.RestRoutes;
import org.gatehouse.core.api.Roles;
import org.gatehouse.privacy.internal.RetentionJob;
import org.gatehouse.privacy.internal.SubjectAccess;
import org.gatehouse.privacy.internal.TemplateQuota;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Retention, subject access and erasure, the face template count. */
@Component(service = RestResource.class)
public class PrivacyResource implements RestResource {
    private final RetentionJob retention;
    private final SubjectAccess subjects;
    private final TemplateQuota quota;

    @Activate
    public PrivacyResource(@Reference RetentionJob retention, @Reference SubjectAccess subjects,
                           @Reference TemplateQuota quota) {
        this.retention = retention;
        this.subjects = subjects;
        this.quota = quota;
    }

    @Override
    public String tag() {
        return "privacy";
    }

    @Override
    public void routes(RestRoutes routes) {
        routes.get("/privacy/retention", Roles.ADMIN, "Retention days per data type and the last run reports",
                Map.class, r -> {
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("days", retention.days());
                    out.put("reports", retention.reports());
                    return out;
                });
        routes.post("/privacy/retention/run", Roles.ADMIN, "Run the retention job now; returns its report", null,
                RetentionJob.Report.class, r -> retention.run(r.caller().name()));
        routes.get("/privacy/subjects/{residentId}/export", Set.of(Roles.CITY_ADMIN, Roles.COMMUNITY_OFFICE),
                "Everything held about a resident (no secrets, no face vectors); audited export.subject", Map.class,
                r -> subjects.export(r.caller(), r.path("residentId")));
        routes.post("/privacy/subjects/{residentId}/erase", Roles.ADMIN, "Erase a resident: faces forgotten, "
                + "credentials revoked, passages anonymised, resident removed; audited", null,
                SubjectAccess.Erasure.class, r -> subjects.erase(r.caller(), r.path("residentId")));
        routes.get("/privacy/templates", Roles.ADMIN, "Stored face templates against the filing threshold",
                TemplateQuota.Status.class, r -> quota.check());
    }
}

package org.gatehouse.core.internal.rest;

import org.gatehouse.core.api.RestResource;
import org.gatehouse.core.api.RestResponse;
import org.gatehouse.core.api.RestRoutes;
import org.gatehouse.core.api.Roles;
import org.gatehouse.core.api.Caller;
import org.gatehouse.core.internal.status.PlatformStatus;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code GET /api/health} for everyone (200 when store and Camel are up, else 503) and {@code GET /api/me}. */
@Component(service = RestResource.class)
public class HealthResource implements RestResource {
    private final PlatformStatus status;

    @Activate
    public HealthResource(@Reference PlatformStatus status) {
        this.status = status;
    }

    @Override
    public String tag() {
        return "platform";
    }

    @Override
    public void routes(RestRoutes routes) {
        routes.get("/health", Roles.PUBLIC, "Store, Camel, routes and streams; 503 when not all is up",
                PlatformStatus.Report.class, request -> {
                    PlatformStatus.Report report = status.report();
                    return new RestResponse(report.up() ? 200 : 503, report);
                });
        routes.get("/me", Roles.AUTHENTICATED, "Who the API takes the caller to be", Caller.class,
                request -> request.caller());
    }
}

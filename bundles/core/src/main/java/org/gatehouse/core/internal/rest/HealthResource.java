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

/**
 * {@code GET /api/health}: 200 {@code UP} when the store and Camel are up and every installed module is ready
 * (200 {@code DEGRADED} when, besides, something needs a person, e.g. a stuck stream consumer: the details name it),
 * else 503 {@code STARTING} or {@code DOWN}. Anyone may ask and gets the status alone; staff who log in get
 * the details (database, routes, streams, backlog, what is still starting). {@code GET /api/me}.
 */
@Component(service = RestResource.class)
public class HealthResource implements RestResource {
    /** What anyone may know: whether it is up. */
    public record Status(String status) {
    }

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
        routes.get("/health", Roles.PUBLIC, "UP (200) when every installed module is ready, DEGRADED (200) when a stream consumer is stuck,"
                        + " else STARTING or DOWN (503);"
                        + " staff logged in also get store, Camel, routes, streams and what is still starting",
                PlatformStatus.Report.class, request -> {
                    PlatformStatus.Report report = status.report();
                    Caller caller = request.caller();
                    boolean details = Roles.STAFF.stream().anyMatch(caller::hasRole);
                    return new RestResponse(report.serving() ? 200 : 503, details ? report : new Status(report.status()));
                });
        routes.get("/me", Roles.AUTHENTICATED, "Who the API takes the caller to be", Caller.class,
                request -> request.caller());
    }
}

package org.gatehouse.gate.internal.rest;

import java.util.Set;

import org.gatehouse.core.api.RestResource;
import org.gatehouse.core.api.RestResponse;
import org.gatehouse.core.api.RestRoutes;
import org.gatehouse.core.api.Roles;
import org.gatehouse.gate.internal.GateTimings;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code GET /api/gate/timings}: where this node's last face decisions spent their time, per stage (p50/p95/p99/max in
 * ms); {@code DELETE} starts counting again. For the city administrator (benchmarks, diagnosis): no personal data.
 */
@Component(service = RestResource.class)
public class GateTimingsResource implements RestResource {
    private final GateTimings timings;

    @Activate
    public GateTimingsResource(@Reference GateTimings timings) {
        this.timings = timings;
    }

    @Override
    public String tag() {
        return "gate";
    }

    @Override
    public void routes(RestRoutes routes) {
        Set<String> admin = Set.of(Roles.CITY_ADMIN);
        routes.get("/gate/timings", admin, "Where the last face decisions (captures) of this node spent their time, "
                + "per stage: mean, p50, p95, p99, max in ms", GateTimings.Snapshot.class, r -> timings.snapshot());
        routes.delete("/gate/timings", admin, "Forgets the decision timings counted so far", r -> {
            timings.reset();
            return RestResponse.noContent();
        });
    }
}

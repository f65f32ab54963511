package org.gatehouse.gate.internal.rest;

import org.gatehouse.core.api.RestResource;
import org.gatehouse.core.api.RestRoutes;
import org.gatehouse.core.api.Roles;
import org.gatehouse.gate.internal.DeviceOverview;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code GET /api/gate/devices?community=}: the device list with door adapter, online state and whitelist sync. */
@Component(service = RestResource.class)
public class DeviceOverviewResource implements RestResource {
    private final DeviceOverview overview;

    @Activate
    public DeviceOverviewResource(@Reference DeviceOverview overview) {
        this.overview = overview;
    }

    @Override
    public String tag() {
        return "gate";
    }

    @Override
    public void routes(RestRoutes routes) {
        routes.get("/gate/devices", Roles.STAFF, "Devices of the caller's communities (?community): door, direction, "
                + "kind, door adapter, online state (on this node) and, for terminals that keep their own whitelist, "
                + "its sync state and lag", DeviceOverview.Line[].class,
                r -> overview.lines(r.caller().scope(), r.query("community").filter(s -> !s.isBlank()).orElse(null)));
    }
}

package org.gatehouse.gate.isapi.internal.rest;

import java.util.Map;
import java.util.Set;

import org.gatehouse.core.api.RestResource;
import org.gatehouse.core.api.RestRoutes;
import org.gatehouse.core.api.Roles;
import org.gatehouse.gate.isapi.internal.DeviceStatus;
import org.gatehouse.gate.isapi.internal.IsapiStatusView;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code GET /api/isapi/devices} (sync state), {@code POST /api/isapi/devices/{id}/resync} (full resync). */
@Component(service = RestResource.class)
public class IsapiResource implements RestResource {
    private final IsapiStatusView view;

    @Activate
    public IsapiResource(@Reference IsapiStatusView view) {
        this.view = view;
    }

    @Override
    public String tag() {
        return "isapi";
    }

    @Override
    public void routes(RestRoutes routes) {
        routes.get("/isapi/devices", Roles.OFFICE, "ISAPI terminals and their whitelist sync state",
                DeviceStatus[].class, r -> view.statuses().stream()
                        .filter(s -> r.caller().scope().allows(s.communityId())).toList());
        routes.post("/isapi/devices/{id}/resync", Set.of(Roles.CITY_ADMIN), "Full whitelist resync of one ISAPI "
                + "terminal", null, Map.class, r -> Map.of("deviceId", r.path("id"), "result", view.resync(r.path("id"))));
    }
}

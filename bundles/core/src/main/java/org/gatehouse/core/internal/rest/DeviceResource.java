package org.gatehouse.core.internal.rest;

import org.gatehouse.api.model.Device;
import org.gatehouse.api.model.DeviceKind;
import org.gatehouse.api.model.Direction;
import org.gatehouse.api.service.DeviceRepository;
import org.gatehouse.api.service.NotFoundException;
import org.gatehouse.core.api.RestResource;
import org.gatehouse.core.api.RestResponse;
import org.gatehouse.core.api.RestRoutes;
import org.gatehouse.core.api.Roles;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Gate devices of a community; registering one returns its token once. */
@Component(service = RestResource.class)
public class DeviceResource implements RestResource {
    public record NewDevice(String buildingId, String gate, String name, DeviceKind kind, Direction direction) {
    }

    private final DeviceRepository devices;

    @Activate
    public DeviceResource(@Reference DeviceRepository devices) {
        this.devices = devices;
    }

    @Override
    public String tag() {
        return "devices";
    }

    @Override
    public void routes(RestRoutes routes) {
        routes.get("/communities/{id}/devices", Roles.STAFF, "Devices of a community", Device[].class,
                r -> devices.devices(r.caller().scope(), r.path("id")));
        routes.post("/communities/{id}/devices", Roles.OFFICE, "Register a device; the answer holds its token once",
                NewDevice.class, DeviceRepository.RegisteredDevice.class, r -> {
                    NewDevice body = r.body(NewDevice.class);
                    return RestResponse.created(devices.register(r.caller().scope(), r.path("id"), body.buildingId(),
                            body.gate(), body.name(), body.kind(), body.direction()));
                });
        routes.get("/devices/{id}", Roles.STAFF, "One device", Device.class,
                r -> devices.device(r.caller().scope(), r.path("id"))
                        .orElseThrow(() -> new NotFoundException("device", r.path("id"))));
        routes.delete("/devices/{id}", Roles.OFFICE, "Remove a device; its token stops working", r -> {
            devices.remove(r.caller().scope(), r.path("id"));
            return RestResponse.noContent();
        });
    }
}

package org.gatehouse.core.internal.rest;



import org.gatehouse.api.model.Building;
import org.gatehouse.api.model.Community;
import org.gatehouse.api.model.Unit;
import org.gatehouse.api.service.CommunityRepository;
import org.gatehouse.api.service.NotFoundException;
import org.gatehouse.core.api.RestResource;
import org.gatehouse.core.api.RestResponse;
import org.gatehouse.core.api.RestRoutes;
import org.gatehouse.core.api.Roles;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Communities, buildings and flats under {@code /api/communities}, {@code /api/buildings}, {@code /api/flats}. */
@Component(service = RestResource.class)
public class CommunityResource implements RestResource {
    public record NewCommunity(String code, String name, String address) {
    }

    public record NewBuilding(String code, String name) {
    }

    public record NewFlat(String stairway, Integer floor, String number, Double areaSquareMetres) {
    }

    private final CommunityRepository communities;

    @Activate
    public CommunityResource(@Reference CommunityRepository communities) {
        this.communities = communities;
    }

    @Override
    public String tag() {
        return "communities";
    }

    @Override
    public void routes(RestRoutes routes) {
        routes.get("/communities", Roles.STAFF, "Communities the caller may see", Community[].class,
                r -> communities.communities(r.caller().scope()));
        routes.post("/communities", Roles.ADMIN, "Create a community", NewCommunity.class, Community.class, r -> {
            NewCommunity body = r.body(NewCommunity.class);
            return RestResponse.created(communities.createCommunity(body.code(), body.name(), body.address()));
        });
        routes.get("/communities/{id}", Roles.STAFF, "One community", Community.class,
                r -> communities.community(r.caller().scope(), r.path("id"))
                        .orElseThrow(() -> new NotFoundException("community", r.path("id"))));
        routes.delete("/communities/{id}", Roles.ADMIN, "Delete a community without buildings", r -> {
            communities.deleteCommunity(r.caller().scope(), r.path("id"));
            return RestResponse.noContent();
        });
        routes.get("/communities/{id}/buildings", Roles.STAFF, "Buildings of a community", Building[].class,
                r -> communities.buildings(r.caller().scope(), r.path("id")));
        routes.post("/communities/{id}/buildings", Roles.OFFICE, "Add a building", NewBuilding.class, Building.class,
                r -> {
                    NewBuilding body = r.body(NewBuilding.class);
                    return RestResponse.created(communities.createBuilding(r.caller().scope(), r.path("id"),
                            body.code(), body.name()));
                });
        routes.get("/buildings/{id}", Roles.STAFF, "One building", Building.class,
                r -> communities.building(r.caller().scope(), r.path("id"))
                        .orElseThrow(() -> new NotFoundException("building", r.path("id"))));
        routes.delete("/buildings/{id}", Roles.OFFICE, "Delete a building without flats", r -> {
            communities.deleteBuilding(r.caller().scope(), r.path("id"));
            return RestResponse.noContent();
        });
        routes.get("/buildings/{id}/flats", Roles.STAFF, "Flats of a building", Unit[].class,
                r -> communities.units(r.caller().scope(), r.path("id")));
        routes.post("/buildings/{id}/flats", Roles.OFFICE, "Add a flat", NewFlat.class, Unit.class, r -> {
            NewFlat body = r.body(NewFlat.class);
            if (body.floor() == null) {
                throw new IllegalArgumentException("floor is required");
            }
            return RestResponse.created(communities.createUnit(r.caller().scope(), r.path("id"), body.stairway(),
                    body.floor(), body.number(), body.areaSquareMetres()));
        });
        routes.get("/flats/{id}", Roles.STAFF, "One flat", Unit.class,
                r -> communities.unit(r.caller().scope(), r.path("id"))
                        .orElseThrow(() -> new NotFoundException("flat", r.path("id"))));
        routes.delete("/flats/{id}", Roles.OFFICE, "Delete a flat without households", r -> {
            communities.deleteUnit(r.caller().scope(), r.path("id"));
            return RestResponse.noContent();
        });
    }

}

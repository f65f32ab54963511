package org.gatehouse.whitelist.internal.rest;

import static org.gatehouse.whitelist.internal.Messages.MESSAGES;

import org.gatehouse.api.model.Household;
import org.gatehouse.api.model.Resident;
import org.gatehouse.api.model.Unit;
import org.gatehouse.api.service.CommunityRepository;
import org.gatehouse.api.service.NotFoundException;
import org.gatehouse.core.api.RestResource;
import org.gatehouse.core.api.RestResponse;
import org.gatehouse.core.api.RestRoutes;
import org.gatehouse.whitelist.internal.Households;
import org.gatehouse.whitelist.internal.Households.NewResident;
import org.gatehouse.whitelist.internal.Households.ResidentFaces;
import org.gatehouse.whitelist.internal.Households.ResidentInput;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Households (户) and residents: {@code /api/communities/{id}/households}, {@code /api/communities/{id}/residents},
 * {@code /api/households}, {@code /api/residents}.
 */
@Component(service = RestResource.class)
public class HouseholdResource implements RestResource {
    public record NewHousehold(String unitId, String name) {
    }

    private final Households households;
    private final CommunityRepository communities;

    @Activate
    public HouseholdResource(@Reference Households households, @Reference CommunityRepository communities) {
        this.households = households;
        this.communities = communities;
    }

    @Override
    public String tag() {
        return "whitelist";
    }

    @Override
    public void routes(RestRoutes routes) {
        routes.get("/communities/{id}/households", Rest.READ, "Households of a community", Household[].class,
                r -> households.households(r.caller(), r.path("id")));
        routes.post("/communities/{id}/households", Rest.MANAGE, "Add a household to a flat of the community",
                NewHousehold.class, Household.class, r -> {
                    NewHousehold body = r.body(NewHousehold.class);
                    if (body.unitId() != null && !body.unitId().isBlank()) {
                        Unit unit = communities.unit(r.caller().scope(), body.unitId())
                                .orElseThrow(() -> new NotFoundException("flat", body.unitId()));
                        if (!unit.communityId().equals(r.path("id"))) {
                            throw MESSAGES.refusal(400, "BAD_REQUEST", "household.flatElsewhere", "unitId");
                        }
                    }
                    Household h = households.createHousehold(r.caller(), body.unitId(), body.name());
                    return RestResponse.created(h);
                });
        routes.get("/communities/{id}/residents", Rest.READ, "Residents of a community with their face templates "
                + "(faceTemplates); ?fewerFacePhotosThan=2 lists only those with no face or one (a second photo is "
                + "advised). One audit entry (resident.list)", ResidentFaces[].class,
                r -> households.communityResidentFaces(r.caller(), r.path("id"),
                        r.queryInt("fewerFacePhotosThan", Integer.MAX_VALUE, 1, 1000)));
        routes.get("/households/{id}", Rest.READ, "One household", Household.class,
                r -> households.household(r.caller(), r.path("id")));
        routes.get("/households/{id}/residents", Rest.READ, "Residents of a household (audited)", Resident[].class,
                r -> households.residents(r.caller(), r.path("id")));
        routes.post("/households/{id}/residents", Rest.MANAGE, "Add a resident; an app token is issued and its "
                + "secret returned once", ResidentInput.class, NewResident.class, r -> RestResponse.created(households.addResident(r.caller(), r.path("id"), r.body(ResidentInput.class))));
        routes.get("/residents/{id}", Rest.READ, "One resident (audited)", Resident.class,
                r -> households.resident(r.caller(), r.path("id")));
        routes.put("/residents/{id}", Rest.MANAGE, "Change a resident (care flags: city-admin, community-office)",
                ResidentInput.class, Resident.class, r -> households.updateResident(r.caller(), r.path("id"), r.body(ResidentInput.class)));
        routes.delete("/residents/{id}", Rest.MANAGE, "Remove a resident (move-out): faces deleted, credentials revoked",
                r -> {
                    households.removeResident(r.caller(), r.path("id"));
                    return RestResponse.noContent();
                });
    }
}

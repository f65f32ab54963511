package org.gatehouse.api.model;


/** A flat (房屋): stairway unit, floor and number inside a building. */
public record Unit(String id, String communityId, String buildingId, String stairway, int floor, String number,
                   Double areaSquareMetres) {
    public Unit {
        Validation.require(id, "id");
        Validation.require(communityId, "communityId");
        Validation.require(buildingId, "buildingId");
        Validation.requireText(number, "number");
    }
}

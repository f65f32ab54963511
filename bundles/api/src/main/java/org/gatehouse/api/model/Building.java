package org.gatehouse.api.model;


/** A building (楼栋) of a community. */
public record Building(String id, String communityId, String code, String name) {
    public Building {
        Validation.require(id, "id");
        Validation.require(communityId, "communityId");
        Validation.requireText(code, "code");
        if (name == null || name.isBlank()) {
            name = code;
        }
    }
}

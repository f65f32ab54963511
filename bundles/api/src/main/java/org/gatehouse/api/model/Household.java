package org.gatehouse.api.model;

import java.time.Instant;

/** A household (家庭 / 户) living in one flat. */
public record Household(String id, String communityId, String unitId, String name, Instant createdAt) {
    public Household {
        Validation.require(id, "id");
        Validation.require(communityId, "communityId");
        Validation.require(unitId, "unitId");
    }
}

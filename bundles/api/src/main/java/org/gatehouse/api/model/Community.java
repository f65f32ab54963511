package org.gatehouse.api.model;

import java.time.Instant;

/** A residential compound (社区 / 小区). Its {@code id} is also its community id. */
public record Community(String id, String code, String name, String address, Instant createdAt) {
    public Community {
        Validation.require(id, "id");
        Validation.requireText(code, "code");
        Validation.requireText(name, "name");
    }

    /** The community id every row carries; for a community it is its own id. */
    public String communityId() {
        return id;
    }
}

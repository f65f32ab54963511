package org.gatehouse.api.service;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.gatehouse.api.model.CareFlag;
import org.gatehouse.api.model.Household;
import org.gatehouse.api.model.Resident;
import org.gatehouse.api.model.ResidentRole;

/** Households and their residents. */
public interface HouseholdRepository {
    Household createHousehold(Scope scope, String unitId, String name);

    List<Household> households(Scope scope, String communityId);

    Optional<Household> household(Scope scope, String id);

    Resident addResident(Scope scope, String householdId, String name, ResidentRole role, LocalDate birthDate,
                         String phone, Instant validFrom, Instant validUntil, Set<CareFlag> careFlags);

    List<Resident> residents(Scope scope, String householdId);

    Optional<Resident> resident(Scope scope, String id);

    Resident updateResident(Scope scope, Resident resident);

    /**
     * Move-out, in one transaction under the resident's row lock: deletes the resident's face templates, revokes every
     * active credential ({@code REVOKED} each, {@code FACE_DELETED} when there was a face), appends {@code MOVE_OUT}
     * and marks the resident removed (the row, its consents and its revoked credentials stay).
     */
    void removeResident(Scope scope, String id);
}

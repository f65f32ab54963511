package org.gatehouse.api.model;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Objects;

/**
 * A change of the registered population, published on the {@code population-changes} stream. It carries what a
 * receiver needs to act without calling back — {@link #person() who} (as registered when the change happened) and
 * {@link #flat() which flat} — because after a {@code MOVE_OUT} the resident is no longer readable through the API.
 * Each consumer receives only the person fields configured for it (purpose limitation, see {@link Person}).
 */
public record PopulationChange(String id, String communityId, PopulationChangeType type, String residentId,
                               String householdId, String unitId, Instant occurredAt, String detail, Person person,
                               Flat flat) {
    public PopulationChange {
        Validation.requireText(id, "id");
        Validation.requireText(communityId, "communityId");
        Validation.require(type, "type");
        Validation.require(occurredAt, "occurredAt");
        detail = Objects.requireNonNullElse(detail, "");
    }

    /** An event of the ids only (as written before events named the person and the flat). */
    public PopulationChange(String id, String communityId, PopulationChangeType type, String residentId,
                            String householdId, String unitId, Instant occurredAt, String detail) {
        this(id, communityId, type, residentId, householdId, unitId, occurredAt, detail, null, null);
    }

    /**
     * Who the change is about, as registered at the time. A consumer receives {@code name} and {@code role} unless
     * configured otherwise; {@code birthDate} and {@code phone} only when configured for it; {@code idNumber} (never
     * stored in the event: added at delivery from the sealed ID card) only to consumers configured for ID numbers,
     * and each such delivery is audited.
     */
    public record Person(String name, ResidentRole role, LocalDate birthDate, String phone, String idNumber) {
    }

    /** The flat: its building (code and name) and its number, e.g. building "B3", stairway "2", number "1203". */
    public record Flat(String buildingId, String buildingCode, String buildingName, String stairway, Integer floor,
                       String number) {
    }
}

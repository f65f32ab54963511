package org.gatehouse.whitelist.internal.imports;

import static org.gatehouse.whitelist.internal.Messages.MESSAGES;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.gatehouse.api.model.Building;
import org.gatehouse.api.model.Household;
import org.gatehouse.api.model.Unit;
import org.gatehouse.api.service.CommunityRepository;
import org.gatehouse.core.api.Caller;
import org.gatehouse.whitelist.internal.Households;

/** Buildings, flats and households of the community, read once per run (so a resumed run finds its households). */
final class CommunityLookup {
    private final Map<String, Building> buildings = new HashMap<>();
    private final Map<String, List<Unit>> units = new HashMap<>();
    private final Map<String, Household> households = new HashMap<>();
    private final CommunityRepository communities;
    private final Households register;
    private final Caller caller;

    CommunityLookup(CommunityRepository communities, Households register, Caller caller, String communityId) {
        this.communities = communities;
        this.register = register;
        this.caller = caller;
        for (Building b : communities.buildings(caller.scope(), communityId)) {
            buildings.put(b.code().toLowerCase(Locale.ROOT), b);
            buildings.putIfAbsent(b.name().toLowerCase(Locale.ROOT), b);
        }
        for (Household h : register.households(caller, communityId)) {
            households.put(h.unitId() + "\u0000" + h.name(), h);
        }
    }

    /** The flat {@code flat} of the building (its code or name), or a refusal UNKNOWN_BUILDING / UNKNOWN_FLAT. */
    Unit flat(String building, String flat) {
        Building b = buildings.get(building.toLowerCase(Locale.ROOT));
        if (b == null) {
            throw MESSAGES.refusal(400, "UNKNOWN_BUILDING", "import.unknownBuilding", building);
        }
        return units.computeIfAbsent(b.id(), id -> communities.units(caller.scope(), id)).stream()
                .filter(u -> u.number().equalsIgnoreCase(flat)).findFirst()
                .orElseThrow(() -> MESSAGES.refusal(400, "UNKNOWN_FLAT", "import.unknownFlat", flat, building));
    }

    /** The household of that name in the flat, created if missing. */
    Household household(Unit unit, String name) {
        String key = unit.id() + "\u0000" + name;
        Household h = households.get(key);
        if (h == null) {
            h = register.createHousehold(caller, unit.id(), name);
            households.put(key, h);
        }
        return h;
    }
}

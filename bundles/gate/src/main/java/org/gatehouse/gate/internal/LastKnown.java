package org.gatehouse.gate.internal;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.gatehouse.api.model.Device;
import org.gatehouse.api.model.Resident;
import org.gatehouse.whitelist.api.AccessCheck;

/**
 * What the store last said about devices and the residents who passed, so that while the database is down the gate
 * still decides for people it has seen (faces come from the in-memory gallery; the passage goes to the journal): the
 * lease window is read from the remembered resident, the building from the remembered home. Someone removed or whose
 * lease was shortened while the database is down cannot have been recorded meanwhile; a decision made this way says
 * {@code OFFLINE_DECISION}. In memory, per node.
 */
final class LastKnown {
    record Person(Resident resident, String buildingId) {
    }

    private static final int MAX = 500_000;
    private final Map<String, Device> devices = new ConcurrentHashMap<>();
    private final Map<String, Person> people = new ConcurrentHashMap<>();

    void remember(Device d) {
        if (devices.size() > MAX) {
            devices.clear();
        }
        devices.put(d.id(), d);
    }

    void remember(Resident r, String buildingId) {
        if (people.size() > MAX) {
            people.clear();
        }
        people.put(r.id(), new Person(r, buildingId));
    }

    void forget(String residentId) {
        people.remove(residentId);
    }

    Device device(String id) {
        return devices.get(id);
    }

    Person person(String residentId) {
        return people.get(residentId);
    }

    /** The whitelist's answer from the remembered lease window; empty when the resident was never seen. */
    Optional<AccessCheck> check(String residentId, Instant at) {
        Person p = people.get(residentId);
        if (p == null) {
            return Optional.empty();
        }
        Resident r = p.resident();
        if (r.validFrom() != null && at.isBefore(r.validFrom())) {
            return Optional.of(AccessCheck.refused(AccessCheck.Reason.NOT_YET_VALID, r.id(), r.communityId(), at));
        }
        if (r.validUntil() != null && !at.isBefore(r.validUntil())) {
            return Optional.of(AccessCheck.refused(AccessCheck.Reason.LEASE_ENDED, r.id(), r.communityId(), at));
        }
        return Optional.of(new AccessCheck(true, AccessCheck.Reason.VALID, r.id(), r.communityId(), at));
    }
}

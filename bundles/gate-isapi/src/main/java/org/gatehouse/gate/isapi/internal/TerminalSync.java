package org.gatehouse.gate.isapi.internal;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.gatehouse.api.json.ApiJson;
import org.gatehouse.api.model.Device;

/**
 * Keeps one terminal's person list, and the face pictures in its face library, equal to who may pass its door. Every event of {@code credential-changes} (issued,
 * revoked, faces deleted — a move-out or erasure revokes every credential, so it arrives as those) makes the sync
 * read the resident's state from the store now and put it on the terminal or take it off: a resident registered,
 * inside or before the lease window, of the device's community and — for a unit door — of its building, is upserted;
 * anyone else is deleted. Reading the present state (rather than replaying the event) makes late or repeated events
 * harmless. A terminal that does not answer makes {@link #apply} throw, so the stream consumer retries the event.
 * Events and a full resync never interleave (one at a time per terminal), so a resync's read cannot overwrite a
 * newer event's result.
 */
final class TerminalSync {
    private static final ObjectMapper JSON = ApiJson.lenient();
    /** Open-ended leases: ISAPI wants an end; the latest its terminals take. */
    static final LocalDateTime OPEN_END = LocalDateTime.of(2037, 12, 31, 23, 59, 59);

    private final Device device;
    private final int doorNo;
    private final IsapiClient client;
    private final Population population;
    private final Clock clock;
    private final SyncState state;
    private final boolean pushFaces;

    TerminalSync(Device device, int doorNo, IsapiClient client, Population population, Clock clock, SyncState state,
                 boolean pushFaces) {
        this.pushFaces = pushFaces;
        this.device = device;
        this.doorNo = doorNo;
        this.client = client;
        this.population = population;
        this.clock = clock;
        this.state = state;
    }

    /** What an event led to. */
    enum Outcome { UPSERTED, DELETED, OTHER_COMMUNITY, UNREADABLE }

    /** Applies one credential change (its JSON); throws {@link IsapiException} when the terminal did not take it. */
    synchronized Outcome apply(String json) {
        JsonNode event;
        try {
            event = JSON.readTree(json == null ? "" : json);
        } catch (JsonProcessingException e) {
            event = null;
        }
        if (event == null || !event.hasNonNull("residentId") || !event.hasNonNull("communityId")) {
            return Outcome.UNREADABLE; // the store writes well-formed events; never block the terminal on one
        }
        String eventId = event.path("id").asText();
        if (!device.communityId().equals(event.get("communityId").asText())) {
            state.applied(eventId, clock.instant());
            return Outcome.OTHER_COMMUNITY;
        }
        String residentId = event.get("residentId").asText();
        try {
            Outcome outcome = reconcile(residentId);
            state.applied(eventId, clock.instant());
            return outcome;
        } catch (RuntimeException e) {
            state.failed(e.getMessage(), clock.instant());
            throw e;
        }
    }

    private Outcome reconcile(String residentId) {
        String employeeNo = EmployeeNumbers.of(residentId);
        Optional<Population.Member> member = population.member(residentId).filter(this::entitled);
        if (member.isPresent()) {
            client.upsertPerson(person(member.get()));
            face(employeeNo, residentId);
            return Outcome.UPSERTED;
        }
        client.deletePersons(List.of(employeeNo));
        return Outcome.DELETED;
    }

    /**
     * Full resync: upserts every entitled resident of the community, then deletes every person on the terminal who is
     * not one (never a window with nobody on the terminal). Returns a summary.
     */
    synchronized String resync() {
        try {
            Set<String> keep = new HashSet<>();
            int upserted = 0;
            for (Population.Member m : population.members(device.communityId())) {
                if (entitled(m)) {
                    client.upsertPerson(person(m));
                    face(EmployeeNumbers.of(m.residentId()), m.residentId());
                    keep.add(EmployeeNumbers.of(m.residentId()));
                    upserted++;
                }
            }
            List<String> extra = new ArrayList<>();
            for (String no : client.employeeNos()) {
                if (!keep.contains(no)) {
                    extra.add(no);
                }
            }
            client.deletePersons(extra);
            String summary = upserted + " upserted, " + extra.size() + " deleted";
            state.resynced(summary, clock.instant());
            return summary;
        } catch (RuntimeException e) {
            state.failed("resync: " + e.getMessage(), clock.instant());
            throw e;
        }
    }

    /**
     * The person's face picture on the terminal equals the photo kept for them: given when there is one, deleted when
     * there is none (consent withdrawn or the face revoked: the template and its photo are gone, the person stays
     * with their card). A terminal with {@code pushFaces} off gets no faces.
     */
    private void face(String employeeNo, String residentId) {
        if (!pushFaces) {
            return;
        }
        Optional<byte[]> photo = population.facePhoto(residentId);
        if (photo.isPresent()) {
            client.setUpFace(employeeNo, photo.get());
        } else {
            client.deleteFaces(List.of(employeeNo));
        }
    }

    boolean entitled(Population.Member m) {
        Instant now = clock.instant();
        return device.communityId().equals(m.communityId())
                && (device.buildingId() == null || device.buildingId().equals(m.buildingId()))
                && (m.validUntil() == null || m.validUntil().isAfter(now));
    }

    private IsapiPerson person(Population.Member m) {
        LocalDateTime from = m.validFrom() == null ? LocalDateTime.of(2000, 1, 1, 0, 0)
                : LocalDateTime.ofInstant(m.validFrom(), client.zone());
        LocalDateTime until = m.validUntil() == null ? OPEN_END : LocalDateTime.ofInstant(m.validUntil(), client.zone());
        if (until.isAfter(OPEN_END)) {
            until = OPEN_END;
        }
        return new IsapiPerson(EmployeeNumbers.of(m.residentId()), m.name(), from.withNano(0), until.withNano(0),
                doorNo);
    }
}

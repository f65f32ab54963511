package org.gatehouse.visitor.internal;

import static org.gatehouse.visitor.internal.Messages.MESSAGES;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.gatehouse.api.model.Device;
import org.gatehouse.api.model.Household;
import org.gatehouse.api.model.Resident;
import org.gatehouse.api.model.Unit;
import org.gatehouse.api.service.CommunityRepository;
import org.gatehouse.api.model.SubjectType;
import org.gatehouse.api.service.DeviceRepository;
import org.gatehouse.api.service.DoorCommands;
import org.gatehouse.api.service.HouseholdRepository;
import org.gatehouse.api.service.NotFoundException;
import org.gatehouse.api.service.Scope;
import org.gatehouse.api.service.VisitorRepository;
import org.gatehouse.core.api.AuditTrail;
import org.gatehouse.core.api.AuditTrails;
import org.gatehouse.core.api.Caller;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link RemoteOpen} over the stored households, residents and devices; logged in the visitor log. Whether the caller
 * lives there is {@link Residency}'s check, the one the host's visitor actions ask too.
 */
@Component(service = RemoteOpen.class)
public class RemoteOpenImpl implements RemoteOpen {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteOpenImpl.class);

    private final HouseholdRepository households;
    private final CommunityRepository communities;
    private final DeviceRepository devices;
    private final Clock clock;
    private final VisitLog log;
    private final AuditTrail audit;
    private final Residency residency;
    /** The gate module's door commands; absent without the gate feature (then no door moves). */
    private volatile DoorCommands doors;

    @Activate
    public RemoteOpenImpl(@Reference VisitorRepository visitors, @Reference HouseholdRepository households,
                          @Reference CommunityRepository communities, @Reference DeviceRepository devices,
                          @Reference AuditTrails trails) {
        this(visitors, households, communities, devices, Clock.systemUTC(), trails);
    }

    public RemoteOpenImpl(VisitorRepository visitors, HouseholdRepository households, CommunityRepository communities,
                          DeviceRepository devices, Clock clock, AuditTrails trails) {
        this.audit = trails.of("visitor");
        this.households = households;
        this.communities = communities;
        this.devices = devices;
        this.clock = clock;
        this.log = new VisitLog(visitors, clock);
        this.residency = new Residency(households, clock);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, unbind = "unsetDoors")
    void setDoors(DoorCommands doors) {
        this.doors = doors;
    }

    void unsetDoors(DoorCommands doors) {
        if (this.doors == doors) {
            this.doors = null;
        }
    }


    /** Why a one-click open is refused: stable code, message key, log detail. */
    private record OpenRefusal(String code, String key, String detail) {
    }

    @Override
    public OpenCommand open(Caller c, String deviceId, String householdId) {
        Set<String> mine = CallerRoles.householdsOf(c);
        if (mine.isEmpty()) {
            audit.refused(c.name(), "gate.remote-open.refused", null, deviceId, "no household role");
            throw MESSAGES.refusal(403, "FORBIDDEN", "open.noHousehold");
        }
        Device device = devices.device(c.scope(), deviceId).orElseThrow(() -> new NotFoundException("device", deviceId));
        List<String> candidates = householdId == null || householdId.isBlank() ? new ArrayList<>(mine)
                : List.of(householdId);
        Set<String> residentIds = Residency.residentIdsOf(c);
        Instant now = clock.instant();
        OpenRefusal refusal = new OpenRefusal("FORBIDDEN", "open.otherBuilding", "household not in this community");
        for (String hid : candidates) {
            if (!mine.contains(hid)) {
                refusal = new OpenRefusal("FORBIDDEN", "open.otherBuilding", "not the caller's household " + hid);
                continue;
            }
            Optional<Household> h = households.household(c.scope(), hid);
            if (h.isEmpty() || !h.get().communityId().equals(device.communityId())) {
                continue;
            }
            Optional<Residency.NotLiving> notHere = residency.notLivingThere(c.scope(), hid, residentIds, now);
            if (notHere.isPresent()) {
                Residency.NotLiving n = notHere.get();
                refusal = new OpenRefusal(n.code(), n.key("open"), n.detail());
                continue;
            }
            Optional<Unit> unit = communities.unit(c.scope(), h.get().unitId());
            boolean allowed = device.buildingId() == null
                    || unit.map(u -> device.buildingId().equals(u.buildingId())).orElse(false);
            if (allowed) {
                OpenCommand sent = sendOpen(c, device, hid, subjectOf(c.scope(), hid, residentIds, now));
                String door = sent.door() + (sent.reason().isEmpty() ? "" : " " + sent.reason())
                        + (sent.passageId() == null ? "" : ", passage " + sent.passageId());
                log.write(c.scope(), device.communityId(), null, null, "REMOTE_OPEN", c.name(), device.gate(),
                        "device " + device.id() + ", household " + hid + ", door " + door);
                audit.record(c.name(), "gate.remote-open", device.communityId(), device.id(),
                        "household " + hid + ", door " + door);
                return sent;
            }
            refusal = new OpenRefusal("FORBIDDEN", "open.otherBuilding", "device of another building, household " + hid);
        }
        String why = refusal.code().equals("FORBIDDEN") ? refusal.detail() : refusal.code() + ": " + refusal.detail();
        try {
            log.write(c.scope(), device.communityId(), null, null, "REMOTE_OPEN_REFUSED", c.name(), device.gate(),
                    "device " + device.id() + ": " + why);
        } catch (RuntimeException e) {
            LOG.error("Could not log refused remote open by {}: {}", c.name(), e.toString());
        }
        audit.refused(c.name(), "gate.remote-open.refused", device.communityId(), device.id(), why);
        throw MESSAGES.refusal(403, refusal.code(), refusal.key());
    }

    /**
     * The door command through the gate module, for the resident the login names (null when it names none: the
     * household is in the passage's reason). Never throws: a door that did not move is said in the answer.
     */
    private OpenCommand sendOpen(Caller c, Device device, String hid, String residentId) {
        DoorCommands gate = doors;
        if (gate == null) {
            return new OpenCommand(device.id(), device.gate(), "OPEN", "NOT_SENT", "NO_GATE_MODULE", null);
        }
        try {
            DoorCommands.Outcome out = gate.open(c.scope(), device.id(), new DoorCommands.Order(c.name(),
                    SubjectType.RESIDENT, residentId, "REMOTE_OPEN", "household=" + hid));
            return new OpenCommand(device.id(), device.gate(), "OPEN", out.opened() ? "OPENED" : "FAILED",
                    out.opened() ? "" : out.reason(), out.passageId());
        } catch (RuntimeException e) {
            LOG.error("One-click open of device {} by {}: the gate failed: {}", device.id(), c.name(), e.toString());
            return new OpenCommand(device.id(), device.gate(), "OPEN", "FAILED", "GATE_ERROR", null);
        }
    }

    /** The resident the login names who lives in {@code hid} now; null when the login names nobody. */
    private String subjectOf(Scope scope, String hid, Set<String> residentIds, Instant now) {
        return residentIds.stream().sorted().map(id -> households.resident(scope, id)).flatMap(Optional::stream)
                .filter(r -> r.householdId().equals(hid) && r.isValidAt(now)).map(Resident::id).findFirst()
                .orElse(null);
    }
}

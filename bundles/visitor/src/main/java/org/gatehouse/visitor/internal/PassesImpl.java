package org.gatehouse.visitor.internal;

import static org.gatehouse.visitor.internal.Messages.MESSAGES;
import static org.gatehouse.visitor.internal.CallerRoles.isOffice;
import static org.gatehouse.visitor.internal.CallerRoles.requireHostOrOffice;
import static org.gatehouse.visitor.internal.Inputs.blank;
import static org.gatehouse.visitor.internal.Inputs.require;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.gatehouse.api.model.Device;
import org.gatehouse.api.model.Household;
import org.gatehouse.api.model.Unit;
import org.gatehouse.api.model.Visitor;
import org.gatehouse.api.model.VisitorPass;
import org.gatehouse.api.model.VisitorStatus;
import org.gatehouse.api.service.AlertRepository;
import org.gatehouse.api.service.CommunityRepository;
import org.gatehouse.api.service.DeviceRepository;
import org.gatehouse.api.service.HouseholdRepository;
import org.gatehouse.api.service.NotFoundException;
import org.gatehouse.api.service.Scope;
import org.gatehouse.api.service.VisitorRepository;
import org.gatehouse.core.api.AuditTrail;
import org.gatehouse.core.api.AuditTrails;
import org.gatehouse.core.api.Caller;
import org.gatehouse.core.api.Roles;
import org.gatehouse.visitor.api.PassCheck;
import org.gatehouse.visitor.api.PassCheck.Reason;
import org.gatehouse.visitor.api.VisitorPasses;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.gatehouse.core.api.Refusal;

/**
 * {@link Passes} over the {@link VisitorRepository}, which counts a pass's uses atomically and enforces a
 * building-limited pass at each use; registered as the exported {@link VisitorPasses} too.
 */
@Component(service = {Passes.class, VisitorPasses.class}, configurationPid = VisitorConfig.PID)
public class PassesImpl implements Passes {
    private static final Logger LOG = LoggerFactory.getLogger(PassesImpl.class);
    private static final Pattern SIX_DIGITS = Pattern.compile("\\d{6}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final VisitorRepository visitors;
    private final HouseholdRepository households;
    private final CommunityRepository communities;
    private final DeviceRepository devices;
    private final Visits visits;
    private final VisitorKey key;
    private final Clock clock;
    private final VisitorConfig config;
    private final VisitLog log;
    private final AuditTrail audit;
    private final CheckLockouts lockouts;
    private final Residency residency;

    @Activate
    public PassesImpl(@Reference VisitorRepository visitors, @Reference HouseholdRepository households,
                      @Reference CommunityRepository communities, @Reference DeviceRepository devices,
                      @Reference AlertRepository alerts, @Reference Visits visits, @Reference VisitorKey key,
                      VisitorConfig config, @Reference AuditTrails trails) {
        this(visitors, households, communities, devices, alerts, visits, key, Clock.systemUTC(), config, trails);
    }

    public PassesImpl(VisitorRepository visitors, HouseholdRepository households, CommunityRepository communities,
                      DeviceRepository devices, AlertRepository alerts, Visits visits, VisitorKey key, Clock clock,
                      VisitorConfig config, AuditTrails trails) {
        this.audit = trails.of("visitor");
        this.visitors = visitors;
        this.households = households;
        this.communities = communities;
        this.devices = devices;
        this.visits = visits;
        this.key = key;
        this.clock = clock;
        this.config = config;
        this.log = new VisitLog(visitors, clock);
        this.lockouts = new CheckLockouts(config, alerts, log, audit, clock);
        this.residency = new Residency(households, clock);
    }


    private Instant now() {
        return clock.instant();
    }

    // ---- issuing ---------------------------------------------------------------------------------------------

    @Override
    public IssuedPass issuePass(Caller c, String visitorId, PassInput in) {
        Visitor v = find(c.scope(), visitorId);
        // a pass opens the host's building: only a host who lives there now may issue one
        residency.requireLivingHostOrOffice(c, v, "pass.issue", audit);
        PassInput req = in == null ? new PassInput(null, null, null, null) : in;
        try {
            if (v.status() != VisitorStatus.APPROVED) {
                throw MESSAGES.refusal(409, "NOT_APPROVED", "visitor.notApproved", v.status());
            }
            Instant from = req.validFrom() == null ? v.expectedFrom() : req.validFrom();
            Instant until = req.validUntil() == null ? v.expectedUntil() : req.validUntil();
            Inputs.checkWindow(from, until, config.maxWindowHours());
            if (!until.isAfter(now())) {
                throw MESSAGES.badRequest("window.past");
            }
            int maxUses = req.maxUses() == null ? config.defaultMaxUses() : req.maxUses();
            if (maxUses < 1 || maxUses > config.maxUsesLimit()) {
                throw MESSAGES.badRequest("pass.maxUses", config.maxUsesLimit());
            }
            Set<String> gates = req.gates() == null ? Set.of() : Set.copyOf(req.gates());
            // a resident's pass opens only the doors of the host's building and the community's compound gates
            String buildingId = isOffice(c) ? null : hostBuilding(c.scope(), v);
            if (buildingId != null) {
                Set<String> allowed = gatesOpenFrom(c.scope(), v.communityId(), buildingId);
                for (String gate : new TreeSet<>(gates)) {
                    if (!allowed.contains(gate)) {
                        throw MESSAGES.refusal(403, "GATE_NOT_ALLOWED", "pass.gateNotAllowed", gate);
                    }
                }
            }
            String code = null;
            String hash = null;
            for (int i = 0; i < 20 && code == null; i++) {
                String candidate = String.format(Locale.ROOT, "%06d", RANDOM.nextInt(1_000_000));
                String h = key.passCodeHash(v.communityId(), candidate);
                if (visitors.passByCode(c.scope(), v.communityId(), h).isEmpty()) {
                    code = candidate;
                    hash = h;
                }
            }
            if (code == null) {
                throw MESSAGES.refusal(503, "CODES_EXHAUSTED", "code.exhausted");
            }
            VisitorPass pass = visitors.issuePass(c.scope(), v.id(), new VisitorPass("new", v.communityId(), v.name(),
                    v.hostHouseholdId(), hash, from, until, maxUses, 0, gates, null, buildingId));
            log.write(c.scope(), v.communityId(), v.id(), pass.id(), "PASS_ISSUED", c.name(), null,
                    from + ".." + until + ", uses " + maxUses + (gates.isEmpty() ? "" : ", gates " + gates)
                            + (buildingId == null ? "" : ", building " + buildingId));
            audit.record(c.name(), "pass.issue", v.communityId(), v.id(), "pass " + pass.id());
            return new IssuedPass(PassView.of(pass), code, QR_PREFIX + pass.id() + ":" + code);
        } catch (Refusal e) {
            audit.refused(c.name(), "pass.issue.refused", v.communityId(), v.id(), e.getMessage());
            throw e;
        }
    }

    /** The building of the host household's flat. */
    private String hostBuilding(Scope scope, Visitor v) {
        Household host = households.household(scope, v.hostHouseholdId())
                .orElseThrow(() -> new NotFoundException("household", v.hostHouseholdId()));
        Unit unit = communities.unit(scope, host.unitId()).orElseThrow(() -> new NotFoundException("unit", host.unitId()));
        return unit.buildingId();
    }

    /** Names of the gates a pass limited to {@code buildingId} may open: that building's doors and compound gates. */
    private Set<String> gatesOpenFrom(Scope scope, String communityId, String buildingId) {
        Set<String> names = new TreeSet<>();
        for (Device d : devices.devices(scope, communityId)) {
            if (d.buildingId() == null || d.buildingId().equals(buildingId)) {
                names.add(d.gate());
            }
        }
        return names;
    }

    @Override
    public List<PassView> passes(Caller c, String visitorId) {
        Visitor v = find(c.scope(), visitorId);
        if (!c.hasRole(Roles.POLICE)) {
            requireHostOrOffice(c, v, "pass.view", audit);
        }
        return visitors.passesOf(c.scope(), v.id()).stream().map(PassView::of).toList();
    }

    @Override
    public PassView revokePass(Caller c, String visitorId, String passId) {
        Visitor v = find(c.scope(), visitorId);
        requireHostOrOffice(c, v, "pass.revoke", audit);
        VisitorPass p = visitors.passesOf(c.scope(), v.id()).stream().filter(x -> x.id().equals(passId)).findFirst()
                .orElseThrow(() -> new NotFoundException("pass", passId));
        VisitorPass revoked = p.revokedAt() == null ? visitors.revokePass(c.scope(), p.id()) : p;
        log.write(c.scope(), v.communityId(), v.id(), p.id(), "PASS_REVOKED", c.name(), null, "");
        audit.record(c.name(), "pass.revoke", v.communityId(), v.id(), "pass " + p.id());
        visits.forgetFace(c.scope(), v, c.name());
        return PassView.of(revoked);
    }

    // ---- checks ----------------------------------------------------------------------------------------------

    /**
     * A check by gate name (staff, the shell, a gate module that knows only the name). A building-limited pass
     * opens only when a device of the community with this gate name is a door of its building or a compound gate.
     */
    @Override
    public PassCheck check(Scope scope, String communityId, String code, String gate, Instant at) {
        scope.check(communityId);
        return checkByName(scope, communityId, code, gate, at, "gate:" + communityId + ":" + gate, "gate:" + gate,
                gate);
    }

    /** By gate name, throttled under {@code throttleKey}; {@code who} and {@code subject} name a lockout. */
    private PassCheck checkByName(Scope scope, String communityId, String code, String gate, Instant at,
                                  String throttleKey, String who, String subject) {
        String actor = "gate:" + gate;
        return lockouts.throttled(throttleKey, scope, communityId, gate, actor, who, subject,
                () -> evaluate(scope, communityId, code, gate, null, at, actor));
    }

    @Override
    public PassCheck check(Caller c, String communityId, String code, String gate) {
        c.scope().check(communityId);
        if (c.hasRole(Roles.DEVICE)) {
            Device self = callingDevice(c, communityId);
            if (!blank(gate) && !gate.trim().equals(self.gate())) {
                String claimed = gate.trim().length() > 100 ? gate.trim().substring(0, 100) + "..." : gate.trim();
                try {
                    log.write(c.scope(), communityId, null, null, "PASS_REFUSED", c.name(), self.gate(),
                            "GATE_MISMATCH: claimed " + claimed);
                } catch (RuntimeException e) {
                    LOG.error("Could not log refused pass check by {}: {}", c.name(), e.toString());
                }
                audit.refused(c.name(), "pass.check.refused", communityId, self.id(), "claimed gate " + claimed
                        + ", the device's gate is " + self.gate());
                throw MESSAGES.refusal(403, "GATE_MISMATCH", "check.gateMismatch", self.gate());
            }
            return lockouts.orTooMany(checkAt(c.scope(), self, code, now(), c.name()), "device:" + self.id());
        }
        require(gate, "gate");
        String throttleKey = "caller:" + c.name();
        return lockouts.orTooMany(checkByName(c.scope(), communityId, code, gate, now(), throttleKey, c.name(),
                c.name()), throttleKey);
    }

    /** The device a device caller is ({@code device:<id>}, from its token), which must be of {@code communityId}. */
    private Device callingDevice(Caller c, String communityId) {
        String prefix = Roles.DEVICE + ":";
        String id = c.name().startsWith(prefix) ? c.name().substring(prefix.length()) : "";
        return devices.device(c.scope(), id).filter(d -> d.communityId().equals(communityId))
                .orElseThrow(() -> new NotFoundException("device", id));
    }

    /** A check at the gate of a registered device: the door is the device's own. */
    @Override
    public PassCheck checkAtDevice(Scope scope, String deviceId, String code, Instant at) {
        Device device = devices.device(scope, deviceId).orElseThrow(() -> new NotFoundException("device", deviceId));
        return checkAt(scope, device, code, at, "device:" + device.id(), true);
    }

    /** As {@link #checkAtDevice} without using a pass that would open (see {@link VisitorPasses#peekAtDevice}). */
    @Override
    public PassCheck peekAtDevice(Scope scope, String deviceId, String code, Instant at) {
        Device device = devices.device(scope, deviceId).orElseThrow(() -> new NotFoundException("device", deviceId));
        return checkAt(scope, device, code, at, "device:" + device.id(), false);
    }

    private PassCheck checkAt(Scope scope, Device device, String code, Instant at, String actor) {
        return checkAt(scope, device, code, at, actor, true);
    }

    private PassCheck checkAt(Scope scope, Device device, String code, Instant at, String actor, boolean use) {
        return lockouts.throttled("device:" + device.id(), scope, device.communityId(), device.gate(), actor,
                "device:" + device.id(), device.id(),
                () -> evaluate(scope, device.communityId(), code, device.gate(), device, at, actor, use));
    }

    private PassCheck evaluate(Scope scope, String communityId, String code, String gate, Device device, Instant at,
                               String actor) {
        return evaluate(scope, communityId, code, gate, device, at, actor, true);
    }

    /**
     * Looks the code up, counts a use if the pass opens here (only when {@code use}: else a pass that would open is
     * answered as opening, unused and unlogged), logs the answer. {@code device} null = only the gate name is known: a
     * building-limited pass is then used at a device of that name that it may open, if any.
     */
    private PassCheck evaluate(Scope scope, String communityId, String code, String gate, Device device, Instant at,
                               String actor, boolean use) {
        Optional<VisitorPass> found = findPass(scope, communityId, code == null ? "" : code.trim());
        if (found.isEmpty()) {
            log.write(scope, communityId, null, null, "PASS_REFUSED", actor, gate, Reason.UNKNOWN_CODE.name());
            return PassCheck.refused(Reason.UNKNOWN_CODE);
        }
        VisitorPass pass = found.get();
        Reason reason;
        if (pass.revokedAt() != null) {
            reason = Reason.REVOKED;
        } else {
            Device door = device != null || pass.buildingId() == null ? device
                    : doorNamed(scope, communityId, gate, pass.buildingId()).orElse(null);
            Optional<VisitorPass> used;
            if (!use) {
                if (door != null && pass.opens(door, at) || door == null && pass.opens(gate, at)) {
                    return new PassCheck(true, null, pass.id(), pass.visitorName(), pass.hostHouseholdId(),
                            pass.maxUses() - pass.uses());
                }
                used = Optional.empty();
            } else if (door != null) {
                used = visitors.usePassAtDevice(scope, pass.id(), door.id(), at);
            } else if (pass.buildingId() == null) {
                used = visitors.usePass(scope, pass.id(), gate, at);
            } else {
                used = Optional.empty(); // no door of its building has this name
            }
            if (used.isPresent()) {
                VisitorPass u = used.get();
                log.write(scope, communityId, null, u.id(), "PASS_USED", actor, gate,
                        "use " + u.uses() + "/" + u.maxUses());
                return new PassCheck(true, null, u.id(), u.visitorName(), u.hostHouseholdId(), u.maxUses() - u.uses());
            }
            VisitorPass now = visitors.pass(scope, pass.id()).orElse(pass);
            reason = reason(now, gate, door, at);
            pass = now;
        }
        log.write(scope, communityId, null, pass.id(), "PASS_REFUSED", actor, gate, reason.name());
        return new PassCheck(false, reason, pass.id(), pass.visitorName(), pass.hostHouseholdId(),
                Math.max(0, pass.maxUses() - pass.uses()));
    }

    /** A device of the community named {@code gate} that a pass limited to {@code buildingId} may open. */
    private Optional<Device> doorNamed(Scope scope, String communityId, String gate, String buildingId) {
        return devices.devices(scope, communityId).stream()
                .filter(d -> d.gate().equals(gate) && (d.buildingId() == null || d.buildingId().equals(buildingId)))
                .findFirst();
    }

    private Optional<VisitorPass> findPass(Scope scope, String communityId, String code) {
        if (code.startsWith(QR_PREFIX)) {
            String[] parts = code.substring(QR_PREFIX.length()).split(":", -1);
            if (parts.length != 2 || parts[0].isBlank() || !SIX_DIGITS.matcher(parts[1]).matches()) {
                return Optional.empty();
            }
            String expected = key.passCodeHash(communityId, parts[1]);
            // by id, so a revoked pass is named REVOKED rather than unknown
            return visitors.pass(scope, parts[0]).filter(p -> p.communityId().equals(communityId)
                    && MessageDigest.isEqual(p.code().getBytes(StandardCharsets.UTF_8),
                    expected.getBytes(StandardCharsets.UTF_8)));
        }
        if (!SIX_DIGITS.matcher(code).matches()) {
            return Optional.empty();
        }
        return visitors.passByCode(scope, communityId, key.passCodeHash(communityId, code));
    }

    /** Why a pass that was found did not open; {@code door} is the device checked at (null: only the name is known). */
    static Reason reason(VisitorPass p, String gate, Device door, Instant at) {
        if (p.revokedAt() != null) {
            return Reason.REVOKED;
        }
        if (at.isBefore(p.validFrom())) {
            return Reason.NOT_YET_VALID;
        }
        if (!at.isBefore(p.validUntil())) {
            return Reason.EXPIRED;
        }
        if (!p.gates().isEmpty() && !p.gates().contains(gate)) {
            return Reason.WRONG_GATE;
        }
        if (p.buildingId() != null && (door == null || !p.allowsBuildingOf(door))) {
            return Reason.WRONG_GATE;
        }
        return Reason.NO_USES_LEFT;
    }

    private Visitor find(Scope scope, String id) {
        return visitors.visitor(scope, id).orElseThrow(() -> new NotFoundException("visitor", id));
    }
}

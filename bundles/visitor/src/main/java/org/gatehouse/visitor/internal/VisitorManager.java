package org.gatehouse.visitor.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import org.gatehouse.api.model.Alert;
import org.gatehouse.api.model.AlertSeverity;
import org.gatehouse.api.model.AlertStatus;
import org.gatehouse.api.model.AlertType;
import org.gatehouse.api.model.Community;
import org.gatehouse.api.model.Device;
import org.gatehouse.api.model.Household;
import org.gatehouse.api.model.Resident;
import org.gatehouse.api.model.Unit;
import org.gatehouse.api.model.VisitLogEntry;
import org.gatehouse.api.model.Visitor;
import org.gatehouse.api.model.VisitorPass;
import org.gatehouse.api.model.VisitorStatus;
import org.gatehouse.api.service.AlertRepository;
import org.gatehouse.api.service.AuditLog;
import org.gatehouse.api.service.CommunityRepository;
import org.gatehouse.api.service.DeviceRepository;
import org.gatehouse.api.service.HouseholdRepository;
import org.gatehouse.api.service.KeyChecks;
import org.gatehouse.api.service.NotFoundException;
import org.gatehouse.api.service.Scope;
import org.gatehouse.api.service.VisitorRepository;
import org.gatehouse.core.api.AttemptThrottle;
import org.gatehouse.core.api.AuditTrail;
import org.gatehouse.core.api.Caller;
import org.gatehouse.core.api.Roles;
import org.gatehouse.faces.api.FaceRegistry;
import org.gatehouse.visitor.api.PassCheck.Reason;
import org.gatehouse.visitor.api.PassCheck;
import org.gatehouse.visitor.api.VisitorPasses;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The visitor module's rules, used by the REST resources, the shell, the sweeper and the gate
 * ({@link VisitorPasses}):
 * <ul>
 * <li>a visitor is registered by the office, by a resident for their own household (app) or at the gate;
 * the host household approves or rejects (the office may too, and may pre-approve its own registrations);</li>
 * <li>an approved visitor gets temporary passes: a random 6-digit code and a QR payload
 * {@code GH1:<passId>:<code>}, returned once; only the keyed hash of the code is stored;</li>
 * <li>every step is written to the visitor log and the audit log, refusals too;</li>
 * <li>a visitor's face (only with their consent) is forgotten when the visit is rejected, closed, its
 * passes revoked, or the sweep finds the window (or every pass) ended.</li>
 * </ul>
 * Residents: a caller with role {@code resident} acts for the households named by its roles
 * {@code household:<householdId>}, and for no other.
 */
@Component(service = {VisitorPasses.class, VisitorManager.class}, configurationPid = VisitorConfig.PID)
@Designate(ocd = VisitorConfig.class)
public class VisitorManager implements VisitorPasses {
    private static final Logger LOG = LoggerFactory.getLogger(VisitorManager.class);
    public static final String RESIDENT = Roles.RESIDENT;
    public static final String HOUSEHOLD_PREFIX = Roles.HOUSEHOLD_PREFIX;
    public static final String QR_PREFIX = "GH1:";
    private static final Pattern SIX_DIGITS = Pattern.compile("\\d{6}");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A registration as a form sends it. {@code preApproved} only counts for the office. */
    public record VisitorInput(String name, String phone, String idCard, String hostHouseholdId, String purpose,
                               Instant expectedFrom, Instant expectedUntil, Boolean preApproved) {
    }

    /**
     * A pass request; nulls = the visitor's window, the configured uses, no list of gates (an office pass: every
     * gate; a resident's pass: the doors of the host's building and the compound gates).
     */
    public record PassInput(Instant validFrom, Instant validUntil, Integer maxUses, Set<String> gates) {
    }

    /** A pass as shown to people: everything but the code's hash. */
    public record PassView(String id, String communityId, String visitorName, String hostHouseholdId,
                           Instant validFrom, Instant validUntil, int maxUses, int uses, Set<String> gates,
                           Instant revokedAt, String buildingId) {
        static PassView of(VisitorPass p) {
            return new PassView(p.id(), p.communityId(), p.visitorName(), p.hostHouseholdId(), p.validFrom(),
                    p.validUntil(), p.maxUses(), p.uses(), p.gates(), p.revokedAt(), p.buildingId());
        }
    }

    /** A pass just issued: the code and the QR payload are shown this once and never stored. */
    public record IssuedPass(PassView pass, String code, String qr) {
    }

    /** The answer to a one-click open: the command for the gate module. */
    public record OpenCommand(String deviceId, String gate, String command) {
    }

    public record SweepReport(Instant at, int closed, int facesForgotten) {
    }

    private final VisitorRepository visitors;
    private final HouseholdRepository households;
    private final CommunityRepository communities;
    private final DeviceRepository devices;
    private final FaceRegistry faces;
    private final SecretKeys keys;
    private final Clock clock;
    private final AlertRepository alerts;
    private final VisitorConfig config;
    private final AttemptThrottle throttle;
    private final AuditTrail audit = new AuditTrail("visitor");

    @Activate
    public VisitorManager(@Reference VisitorRepository visitors, @Reference HouseholdRepository households,
                          @Reference CommunityRepository communities, @Reference DeviceRepository devices,
                          @Reference FaceRegistry faces, @Reference AlertRepository alerts,
                          @Reference KeyChecks keyChecks, VisitorConfig config) {
        this(visitors, households, communities, devices, faces, alerts,
                SecretKeys.load(SecretKeys.keyFile(config.keyFile()), keyChecks), Clock.systemUTC(), config);
        // a missing or different key file stops the component here (the message names the file)
        if (!keys.checkNow()) {
            LOG.warn("the database is not reachable: the visitor key {} is checked against it on first use",
                    SecretKeys.keyFile(config.keyFile()));
        }
    }

    public VisitorManager(VisitorRepository visitors, HouseholdRepository households, CommunityRepository communities,
                          DeviceRepository devices, FaceRegistry faces, AlertRepository alerts, SecretKeys keys,
                          Clock clock, VisitorConfig config) {
        this.visitors = visitors;
        this.households = households;
        this.communities = communities;
        this.devices = devices;
        this.faces = faces;
        this.alerts = alerts;
        this.keys = keys;
        this.clock = clock;
        this.config = config;
        this.throttle = new AttemptThrottle(throttleSettings(config));
    }

    /** The pass-check throttle's settings from config; values below their minimum are raised to it. */
    static AttemptThrottle.Settings throttleSettings(VisitorConfig config) {
        Duration first = Duration.ofSeconds(Math.max(1, config.checkLockoutSeconds()));
        Duration max = Duration.ofMinutes(Math.max(1, config.checkMaxLockoutMinutes()));
        return new AttemptThrottle.Settings(Math.max(1, config.checkMaxFailures()),
                Duration.ofMinutes(Math.max(1, config.checkFailureWindowMinutes())), first,
                max.compareTo(first) < 0 ? first : max, Duration.ofDays(1));
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, unbind = "unsetAuditLog")
    public void setAuditLog(AuditLog log) {
        audit.set(log);
    }

    public void unsetAuditLog(AuditLog log) {
        audit.unset(log);
    }

    public VisitorConfig config() {
        return config;
    }

    public Instant now() {
        return clock.instant();
    }

    // ---- who may act ---------------------------------------------------------------------------------------

    static boolean isOffice(Caller c) {
        return c.hasRole(Roles.CITY_ADMIN) || c.hasRole(Roles.COMMUNITY_OFFICE);
    }

    /** The households a resident caller acts for (roles {@code household:<id>}); empty for others. */
    static Set<String> householdsOf(Caller c) {
        if (!c.hasRole(RESIDENT)) {
            return Set.of();
        }
        Set<String> ids = new java.util.TreeSet<>();
        for (String role : c.roles()) {
            if (role.startsWith(HOUSEHOLD_PREFIX) && role.length() > HOUSEHOLD_PREFIX.length()) {
                ids.add(role.substring(HOUSEHOLD_PREFIX.length()));
            }
        }
        return ids;
    }

    static boolean actsFor(Caller c, String householdId) {
        return householdsOf(c).contains(householdId);
    }

    /** The office, or the host household's resident; anyone else is refused (403, audited). */
    private void requireHostOrOffice(Caller c, Visitor v, String action) {
        if (isOffice(c) || actsFor(c, v.hostHouseholdId())) {
            return;
        }
        audit.refused(c.name(), action + ".refused", v.communityId(), v.id(), "not the host household "
                + v.hostHouseholdId());
        throw new Refusal(403, "FORBIDDEN", "visitor.notHost");
    }

    // ---- registration and decisions --------------------------------------------------------------------------

    public Visitor register(Caller c, VisitorInput in) {
        if (in == null) {
            throw Refusal.badRequest("field.required", "body");
        }
        require(in.hostHouseholdId(), "hostHouseholdId");
        Household host = households.household(c.scope(), in.hostHouseholdId())
                .orElseThrow(() -> new NotFoundException("household", in.hostHouseholdId()));
        String via;
        if (isOffice(c)) {
            via = "office";
        } else if (c.hasRole(Roles.DEVICE)) {
            via = "gate";
        } else if (c.hasRole(RESIDENT)) {
            if (!actsFor(c, host.id())) {
                audit.refused(c.name(), "visitor.register.refused", host.communityId(), host.id(),
                        "resident of another household");
                throw new Refusal(403, "FORBIDDEN", "household.forbidden");
            }
            via = "app";
        } else {
            throw new Refusal(403, "FORBIDDEN", "visitor.notHost");
        }
        try {
            require(in.name(), "name");
            require(in.expectedFrom(), "expectedFrom");
            require(in.expectedUntil(), "expectedUntil");
            checkWindow(in.expectedFrom(), in.expectedUntil());
            if (!in.expectedUntil().isAfter(now())) {
                throw Refusal.badRequest("window.past");
            }
        } catch (Refusal e) {
            audit.refused(c.name(), "visitor.register.refused", host.communityId(), host.id(), e.getMessage());
            throw e;
        }
        String idHash = blank(in.idCard()) ? null : keys.hash("id-card", normaliseIdCard(in.idCard()));
        Instant now = now();
        Visitor draft = new Visitor("new", host.communityId(), host.id(), in.name().trim(),
                blank(in.phone()) ? null : in.phone().trim(), idHash, blank(in.purpose()) ? null : in.purpose().trim(),
                in.expectedFrom(), in.expectedUntil(), VisitorStatus.WAITING_APPROVAL, c.name(), via, null, null, now);
        Visitor v = visitors.register(c.scope(), draft);
        log(c.scope(), v.communityId(), v.id(), null, "REGISTERED", c.name(), null, "via " + via);
        audit.record(c.name(), "visitor.register", v.communityId(), v.id(), "via " + via + ", host " + host.id());
        boolean approveNow = "app".equals(via) || ("office".equals(via) && Boolean.TRUE.equals(in.preApproved()));
        if (approveNow) {
            v = visitors.decide(c.scope(), v.id(), VisitorStatus.APPROVED, c.name());
            log(c.scope(), v.communityId(), v.id(), null, "APPROVED", c.name(), null,
                    "app".equals(via) ? "invited by the host" : "pre-approved by the office");
            audit.record(c.name(), "visitor.approve", v.communityId(), v.id(), "pre-approved");
        }
        return v;
    }

    public Visitor visitor(Caller c, String id) {
        Visitor v = find(c.scope(), id);
        if (!c.hasRole(Roles.POLICE)) {
            requireHostOrOffice(c, v, "visitor.view");
        }
        audit.record(c.name(), "visitor.view", v.communityId(), v.id(), "");
        return v;
    }

    public List<Visitor> visitors(Caller c, String communityId, VisitorStatus status, int limit) {
        List<Visitor> list = visitors.visitors(c.scope(), communityId, status, limit);
        audit.record(c.name(), "visitor.list", communityId, communityId, list.size() + " visitors");
        return list;
    }

    /** The host resident (or the office) approves or rejects a waiting visitor; rejecting forgets the face. */
    public Visitor decide(Caller c, String visitorId, boolean approve) {
        Visitor v = find(c.scope(), visitorId);
        String action = approve ? "visitor.approve" : "visitor.reject";
        requireHostOrOffice(c, v, action);
        if (v.status() != VisitorStatus.WAITING_APPROVAL) {
            audit.refused(c.name(), action + ".refused", v.communityId(), v.id(), "status " + v.status());
            throw new Refusal(409, "NOT_WAITING", "visitor.notWaiting", v.status());
        }
        Visitor decided = visitors.decide(c.scope(), v.id(), approve ? VisitorStatus.APPROVED : VisitorStatus.REJECTED,
                c.name());
        log(c.scope(), v.communityId(), v.id(), null, approve ? "APPROVED" : "REJECTED", c.name(), null, "");
        audit.record(c.name(), action, v.communityId(), v.id(), "");
        if (!approve) {
            forgetFace(c.scope(), v, c.name());
        }
        return decided;
    }

    /** The host withdraws the invitation (or the office closes it): passes revoked, face forgotten. */
    public Visitor close(Caller c, String visitorId) {
        Visitor v = find(c.scope(), visitorId);
        requireHostOrOffice(c, v, "visitor.close");
        if (v.status() == VisitorStatus.CLOSED || v.status() == VisitorStatus.REJECTED) {
            return v;
        }
        closeVisit(c.scope(), v, c.name(), "closed by " + c.name());
        return find(c.scope(), v.id());
    }

    /** Closes a visit, revokes its passes, forgets its face; returns how many templates were forgotten. */
    private int closeVisit(Scope scope, Visitor v, String actor, String why) {
        visitors.decide(scope, v.id(), VisitorStatus.CLOSED, actor);
        for (VisitorPass p : visitors.passesOf(scope, v.id())) {
            if (p.revokedAt() == null) {
                visitors.revokePass(scope, p.id());
                log(scope, v.communityId(), v.id(), p.id(), "PASS_REVOKED", actor, null, why);
            }
        }
        log(scope, v.communityId(), v.id(), null, "CLOSED", actor, null, why);
        audit.record(actor, "visitor.close", v.communityId(), v.id(), why);
        return forgetFace(scope, v, actor);
    }

    // ---- passes ----------------------------------------------------------------------------------------------

    public IssuedPass issuePass(Caller c, String visitorId, PassInput in) {
        Visitor v = find(c.scope(), visitorId);
        requireHostOrOffice(c, v, "pass.issue");
        PassInput req = in == null ? new PassInput(null, null, null, null) : in;
        try {
            if (v.status() != VisitorStatus.APPROVED) {
                throw new Refusal(409, "NOT_APPROVED", "visitor.notApproved", v.status());
            }
            Instant from = req.validFrom() == null ? v.expectedFrom() : req.validFrom();
            Instant until = req.validUntil() == null ? v.expectedUntil() : req.validUntil();
            checkWindow(from, until);
            if (!until.isAfter(now())) {
                throw Refusal.badRequest("window.past");
            }
            int maxUses = req.maxUses() == null ? config.defaultMaxUses() : req.maxUses();
            if (maxUses < 1 || maxUses > config.maxUsesLimit()) {
                throw Refusal.badRequest("pass.maxUses", config.maxUsesLimit());
            }
            Set<String> gates = req.gates() == null ? Set.of() : Set.copyOf(req.gates());
            // a resident's pass opens only the doors of the host's building and the community's compound gates
            String buildingId = isOffice(c) ? null : hostBuilding(c.scope(), v);
            if (buildingId != null) {
                Set<String> allowed = gatesOpenFrom(c.scope(), v.communityId(), buildingId);
                for (String gate : new java.util.TreeSet<>(gates)) {
                    if (!allowed.contains(gate)) {
                        throw new Refusal(403, "GATE_NOT_ALLOWED", "pass.gateNotAllowed", gate);
                    }
                }
            }
            String code = null;
            String hash = null;
            for (int i = 0; i < 20 && code == null; i++) {
                String candidate = String.format(Locale.ROOT, "%06d", RANDOM.nextInt(1_000_000));
                String h = codeHash(v.communityId(), candidate);
                if (visitors.passByCode(c.scope(), v.communityId(), h).isEmpty()) {
                    code = candidate;
                    hash = h;
                }
            }
            if (code == null) {
                throw new Refusal(503, "CODES_EXHAUSTED", "code.exhausted");
            }
            VisitorPass pass = visitors.issuePass(c.scope(), v.id(), new VisitorPass("new", v.communityId(), v.name(),
                    v.hostHouseholdId(), hash, from, until, maxUses, 0, gates, null, buildingId));
            log(c.scope(), v.communityId(), v.id(), pass.id(), "PASS_ISSUED", c.name(), null,
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
        Set<String> names = new java.util.TreeSet<>();
        for (Device d : devices.devices(scope, communityId)) {
            if (d.buildingId() == null || d.buildingId().equals(buildingId)) {
                names.add(d.gate());
            }
        }
        return names;
    }

    public List<PassView> passes(Caller c, String visitorId) {
        Visitor v = find(c.scope(), visitorId);
        if (!c.hasRole(Roles.POLICE)) {
            requireHostOrOffice(c, v, "pass.view");
        }
        return visitors.passesOf(c.scope(), v.id()).stream().map(PassView::of).toList();
    }

    /** Revokes a pass of a visitor; the visitor's face is forgotten with it. */
    public PassView revokePass(Caller c, String visitorId, String passId) {
        Visitor v = find(c.scope(), visitorId);
        requireHostOrOffice(c, v, "pass.revoke");
        VisitorPass p = visitors.passesOf(c.scope(), v.id()).stream().filter(x -> x.id().equals(passId)).findFirst()
                .orElseThrow(() -> new NotFoundException("pass", passId));
        VisitorPass revoked = p.revokedAt() == null ? visitors.revokePass(c.scope(), p.id()) : p;
        log(c.scope(), v.communityId(), v.id(), p.id(), "PASS_REVOKED", c.name(), null, "");
        audit.record(c.name(), "pass.revoke", v.communityId(), v.id(), "pass " + p.id());
        forgetFace(c.scope(), v, c.name());
        return PassView.of(revoked);
    }

    /** The keyed hash stored for a code: HMAC-SHA256 over the community and the 6 digits. */
    String codeHash(String communityId, String code) {
        return keys.hash("pass-code", communityId + "\u0000" + code);
    }

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
        return throttled(throttleKey, scope, communityId, gate, actor, who, subject,
                () -> evaluate(scope, communityId, code, gate, null, at, actor));
    }

    /**
     * A check by an authenticated caller (the REST API). A gate terminal (role {@code device}) checks at its own
     * gate: the door is the calling device's, and a different gate named in the request is refused (403
     * {@code GATE_MISMATCH}, logged and audited), so one building's terminal cannot claim another door. Staff name
     * the gate ({@code gate} required).
     */
    public PassCheck check(Caller c, String communityId, String code, String gate) {
        c.scope().check(communityId);
        if (c.hasRole(Roles.DEVICE)) {
            Device self = callingDevice(c, communityId);
            if (!blank(gate) && !gate.trim().equals(self.gate())) {
                String claimed = gate.trim().length() > 100 ? gate.trim().substring(0, 100) + "..." : gate.trim();
                try {
                    log(c.scope(), communityId, null, null, "PASS_REFUSED", c.name(), self.gate(),
                            "GATE_MISMATCH: claimed " + claimed);
                } catch (RuntimeException e) {
                    LOG.error("Could not log refused pass check by {}: {}", c.name(), e.toString());
                }
                audit.refused(c.name(), "pass.check.refused", communityId, self.id(), "claimed gate " + claimed
                        + ", the device's gate is " + self.gate());
                throw new Refusal(403, "GATE_MISMATCH", "check.gateMismatch", self.gate());
            }
            return orTooMany(checkAt(c.scope(), self, code, now(), c.name()), "device:" + self.id());
        }
        require(gate, "gate");
        String key = "caller:" + c.name();
        return orTooMany(checkByName(c.scope(), communityId, code, gate, now(), key, c.name(), c.name()), key);
    }

    /** A locked-out check over REST: 429 {@code TOO_MANY_ATTEMPTS} with the seconds left. */
    private PassCheck orTooMany(PassCheck answer, String key) {
        if (answer.reason() != Reason.TOO_MANY_ATTEMPTS) {
            return answer;
        }
        Instant now = now();
        long seconds = throttle.lockedUntil(key, now).map(u -> Math.max(1, (Duration.between(now, u).toMillis() + 999)
                / 1000)).orElse(1L);
        throw new Refusal(429, "TOO_MANY_ATTEMPTS", "check.tooManyAttempts", String.valueOf(seconds));
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
        return checkAt(scope, device, code, at, "device:" + device.id());
    }

    private PassCheck checkAt(Scope scope, Device device, String code, Instant at, String actor) {
        return throttled("device:" + device.id(), scope, device.communityId(), device.gate(), actor,
                "device:" + device.id(), device.id(),
                () -> evaluate(scope, device.communityId(), code, device.gate(), device, at, actor));
    }

    /**
     * Runs a check unless {@code key} is locked out (or as many of its checks are in flight as it has failures
     * left): then the code is not looked at and the answer is {@code TOO_MANY_ATTEMPTS} (logged
     * {@code PASS_REFUSED}). A check that does not open counts as a failure of {@code key}; the failure that starts a
     * lockout is logged ({@code CHECKS_LOCKED}), audited ({@code pass.check.locked}) and raised as a
     * {@code CODE_GUESSING} alert. Times are the platform clock's, not the caller's {@code at}.
     */
    private PassCheck throttled(String key, Scope scope, String communityId, String gate, String actor, String who,
                                String subject, java.util.function.Supplier<PassCheck> check) {
        if (!throttle.begin(key, now())) {
            log(scope, communityId, null, null, "PASS_REFUSED", actor, gate, Reason.TOO_MANY_ATTEMPTS.name());
            return PassCheck.refused(Reason.TOO_MANY_ATTEMPTS);
        }
        boolean ended = false;
        try {
            PassCheck answer = check.get();
            if (!answer.opens()) {
                ended = true;
                throttle.failure(key, now()).ifPresent(l -> lockedOut(l, scope, communityId, gate, who, subject));
            }
            return answer;
        } finally {
            if (!ended) {
                throttle.end(key);
            }
        }
    }

    /** A lockout has started: visitor log, audit trail and an alert; none of them failing stops the refusal. */
    private void lockedOut(AttemptThrottle.Lockout l, Scope scope, String communityId, String gate, String actor,
                           String subject) {
        AttemptThrottle.Settings s = throttle.settings();
        String detail = l.failures() + " refused checks within " + s.window().toMinutes() + " min: checks locked for "
                + l.length().toSeconds() + " s until " + l.until() + " (lockout " + l.level() + " in a row)";
        LOG.warn("Pass checks of {} at gate {} locked: {}", actor, gate, detail);
        try {
            log(scope, communityId, null, null, "CHECKS_LOCKED", actor, gate, detail);
        } catch (RuntimeException e) {
            LOG.error("Could not log the lockout of {}: {}", actor, e.toString());
        }
        audit.refused(actor, "pass.check.locked", communityId, subject, "gate " + gate + ": " + detail);
        try {
            String message = String.format("门禁“%s”（%s）%d 次访客通行码核验失败，已暂停核验 %d 秒（至 %s，连续第 %d 次）/ "
                    + "%d refused visitor pass checks at gate '%s' (%s): checks locked for %d s until %s (lockout %d "
                    + "in a row)", gate, actor, l.failures(), l.length().toSeconds(), l.until(), l.level(),
                    l.failures(), gate, actor, l.length().toSeconds(), l.until(), l.level());
            alerts.raise(new Alert(UUID.randomUUID().toString(), communityId, AlertType.CODE_GUESSING,
                    l.level() >= 3 ? AlertSeverity.CRITICAL : AlertSeverity.WARNING, AlertStatus.OPEN, subject, message,
                    now(), List.of()));
        } catch (RuntimeException e) {
            LOG.error("Could not raise the alert for the lockout of {}: {}", actor, e.toString());
        }
    }

    /**
     * Looks the code up, counts a use if the pass opens here, logs the answer. {@code device} null = only the gate
     * name is known: a building-limited pass is then used at a device of that name that it may open, if any.
     */
    private PassCheck evaluate(Scope scope, String communityId, String code, String gate, Device device, Instant at,
                               String actor) {
        Optional<VisitorPass> found = findPass(scope, communityId, code == null ? "" : code.trim());
        if (found.isEmpty()) {
            log(scope, communityId, null, null, "PASS_REFUSED", actor, gate, Reason.UNKNOWN_CODE.name());
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
            if (door != null) {
                used = visitors.usePassAtDevice(scope, pass.id(), door.id(), at);
            } else if (pass.buildingId() == null) {
                used = visitors.usePass(scope, pass.id(), gate, at);
            } else {
                used = Optional.empty(); // no door of its building has this name
            }
            if (used.isPresent()) {
                VisitorPass u = used.get();
                log(scope, communityId, null, u.id(), "PASS_USED", actor, gate, "use " + u.uses() + "/" + u.maxUses());
                return new PassCheck(true, null, u.id(), u.visitorName(), u.hostHouseholdId(), u.maxUses() - u.uses());
            }
            VisitorPass now = visitors.pass(scope, pass.id()).orElse(pass);
            reason = reason(now, gate, door, at);
            pass = now;
        }
        log(scope, communityId, null, pass.id(), "PASS_REFUSED", actor, gate, reason.name());
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
            String expected = codeHash(communityId, parts[1]);
            // by id, so a revoked pass is named REVOKED rather than unknown
            return visitors.pass(scope, parts[0]).filter(p -> p.communityId().equals(communityId)
                    && MessageDigest.isEqual(p.code().getBytes(StandardCharsets.UTF_8),
                    expected.getBytes(StandardCharsets.UTF_8)));
        }
        if (!SIX_DIGITS.matcher(code).matches()) {
            return Optional.empty();
        }
        return visitors.passByCode(scope, communityId, codeHash(communityId, code));
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

    // ---- faces -----------------------------------------------------------------------------------------------

    /** Enrolls a visitor's face for the gate, only with the visitor's consent; forgotten when the visit ends. */
    public FaceRegistry.Enrollment enrollFace(Caller c, String visitorId, byte[] image, boolean consent) {
        Visitor v = find(c.scope(), visitorId);
        if (!c.hasRole(Roles.DEVICE)) {
            requireHostOrOffice(c, v, "visitor.face.enroll");
        }
        if (!consent) {
            audit.refused(c.name(), "visitor.face.enroll.refused", v.communityId(), v.id(), "no consent");
            throw new Refusal(409, "NO_FACE_CONSENT", "face.noConsent");
        }
        if (v.status() != VisitorStatus.WAITING_APPROVAL && v.status() != VisitorStatus.APPROVED) {
            throw new Refusal(409, "VISIT_ENDED", "visitor.ended", v.status());
        }
        FaceRegistry.Enrollment e = faces.enroll(c.scope(), v.communityId(), v.id(), image);
        log(c.scope(), v.communityId(), v.id(), null, "FACE_ENROLLED", c.name(), null, "with consent");
        audit.record(c.name(), "visitor.face.enroll", v.communityId(), v.id(), "template " + e.templateId());
        return e;
    }

    private int forgetFace(Scope scope, Visitor v, String actor) {
        int n = faces.forget(scope, v.communityId(), v.id());
        if (n > 0) {
            log(scope, v.communityId(), v.id(), null, "FACE_FORGOTTEN", actor, null, n + " templates");
            audit.record(actor, "visitor.face.forget", v.communityId(), v.id(), n + " templates");
        }
        return n;
    }

    // ---- the sweep -------------------------------------------------------------------------------------------

    /**
     * Closes every waiting or approved visit whose expected window ended, and every approved visit whose passes
     * have all ended (expired, used up or revoked); forgets their faces.
     */
    public SweepReport sweep(Instant at) {
        Scope all = Scope.all();
        int closed = 0;
        int forgotten = 0;
        for (Community community : communities.communities(all)) {
            for (VisitorStatus status : List.of(VisitorStatus.WAITING_APPROVAL, VisitorStatus.APPROVED)) {
                for (Visitor v : visitors.visitors(all, community.id(), status, config.sweepBatch())) {
                    try {
                        String why = null;
                        if (!at.isBefore(v.expectedUntil())) {
                            why = "window ended";
                        } else if (status == VisitorStatus.APPROVED) {
                            List<VisitorPass> passes = visitors.passesOf(all, v.id());
                            if (!passes.isEmpty() && passes.stream().allMatch(p -> p.revokedAt() != null
                                    || !at.isBefore(p.validUntil()) || p.uses() >= p.maxUses())) {
                                why = "every pass ended";
                            }
                        }
                        if (why != null) {
                            forgotten += closeVisit(all, v, "system:visitor-sweep", why);
                            closed++;
                        }
                    } catch (RuntimeException e) {
                        LOG.warn("Visitor sweep could not close {}: {}", v.id(), e.toString());
                    }
                }
            }
        }
        if (closed > 0) {
            LOG.info("Visitor sweep closed {} visits", closed);
        }
        return new SweepReport(at, closed, forgotten);
    }

    // ---- one-click open --------------------------------------------------------------------------------------

    /** Roles {@code resident:<residentId>} name the resident records a login belongs to. */
    public static final String RESIDENT_ID_PREFIX = "resident:";

    /** The resident ids a caller names by roles {@code resident:<id>}; empty when it names none. */
    static Set<String> residentIdsOf(Caller c) {
        Set<String> ids = new java.util.TreeSet<>();
        for (String role : c.roles()) {
            if (role.startsWith(RESIDENT_ID_PREFIX) && role.length() > RESIDENT_ID_PREFIX.length()) {
                ids.add(role.substring(RESIDENT_ID_PREFIX.length()));
            }
        }
        return ids;
    }

    /** Why a one-click open is refused: stable code, message key, log detail. */
    private record OpenRefusal(String code, String key, String detail) {
    }

    /**
     * A resident opens a gate of their own building (or a compound gate, null building, of their community), while
     * they live there, as the gate would check them: the resident must not be removed (moved out) and their lease
     * (validity window) must cover now. A login that names its resident ({@code resident:<id>} roles) is checked
     * as that person; a login with only {@code household:<id>} needs a resident of the household who is not removed
     * and whose lease covers now. Every use and every refusal is logged and audited.
     */
    public OpenCommand remoteOpen(Caller c, String deviceId, String householdId) {
        Set<String> mine = householdsOf(c);
        if (mine.isEmpty()) {
            audit.refused(c.name(), "gate.remote-open.refused", null, deviceId, "no household role");
            throw new Refusal(403, "FORBIDDEN", "open.noHousehold");
        }
        Device device = devices.device(c.scope(), deviceId).orElseThrow(() -> new NotFoundException("device", deviceId));
        List<String> candidates = householdId == null || householdId.isBlank() ? new ArrayList<>(mine)
                : List.of(householdId);
        Set<String> residentIds = residentIdsOf(c);
        Instant now = now();
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
            Optional<OpenRefusal> notHere = notLivingThere(c.scope(), hid, residentIds, now);
            if (notHere.isPresent()) {
                refusal = notHere.get();
                continue;
            }
            Optional<Unit> unit = communities.unit(c.scope(), h.get().unitId());
            boolean allowed = device.buildingId() == null
                    || unit.map(u -> device.buildingId().equals(u.buildingId())).orElse(false);
            if (allowed) {
                log(c.scope(), device.communityId(), null, null, "REMOTE_OPEN", c.name(), device.gate(),
                        "device " + device.id() + ", household " + hid);
                audit.record(c.name(), "gate.remote-open", device.communityId(), device.id(), "household " + hid);
                return new OpenCommand(device.id(), device.gate(), "OPEN");
            }
            refusal = new OpenRefusal("FORBIDDEN", "open.otherBuilding", "device of another building, household " + hid);
        }
        String why = refusal.code().equals("FORBIDDEN") ? refusal.detail() : refusal.code() + ": " + refusal.detail();
        try {
            log(c.scope(), device.communityId(), null, null, "REMOTE_OPEN_REFUSED", c.name(), device.gate(),
                    "device " + device.id() + ": " + why);
        } catch (RuntimeException e) {
            LOG.error("Could not log refused remote open by {}: {}", c.name(), e.toString());
        }
        audit.refused(c.name(), "gate.remote-open.refused", device.communityId(), device.id(), why);
        throw new Refusal(403, refusal.code(), refusal.key());
    }

    /**
     * Empty when the caller lives in household {@code hid} at {@code now}: one of its named residents (or, when it
     * names none, any resident of the household) is not removed, belongs to the household and is inside its lease.
     * Otherwise the gate's reason: {@code NOT_REGISTERED} (removed, moved out, not of this household),
     * {@code NOT_YET_VALID} (every lease starts later) or {@code LEASE_ENDED}.
     */
    private Optional<OpenRefusal> notLivingThere(Scope scope, String hid, Set<String> residentIds, Instant now) {
        List<Resident> people = residentIds.isEmpty() ? households.residents(scope, hid)
                : residentIds.stream().map(id -> households.resident(scope, id)).flatMap(Optional::stream)
                        .filter(r -> r.householdId().equals(hid)).toList();
        if (people.isEmpty()) {
            return Optional.of(new OpenRefusal("NOT_REGISTERED", "open.notRegistered", (residentIds.isEmpty()
                    ? "no registered resident left" : "resident " + residentIds + " removed or not") + " in household "
                    + hid));
        }
        if (people.stream().anyMatch(r -> r.isValidAt(now))) {
            return Optional.empty();
        }
        String who = people.stream().map(Resident::id).sorted().toList() + ", household " + hid;
        if (people.stream().allMatch(r -> r.validFrom() != null && now.isBefore(r.validFrom()))) {
            return Optional.of(new OpenRefusal("NOT_YET_VALID", "open.notYetValid", "lease not started: " + who));
        }
        return Optional.of(new OpenRefusal("LEASE_ENDED", "open.leaseEnded", "lease ended: " + who));
    }

    // ---- the visitor log -------------------------------------------------------------------------------------

    public List<VisitLogEntry> visitLog(Caller c, String communityId, Instant from, Instant to, int limit) {
        Instant f = from == null ? now().minus(Duration.ofDays(30)) : from;
        Instant t = to == null ? now().plus(Duration.ofMinutes(1)) : to;
        List<VisitLogEntry> list = visitors.log(c.scope(), communityId, f, t, limit);
        audit.record(c.name(), "visitlog.view", communityId, communityId, list.size() + " entries " + f + ".." + t);
        return list;
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private Visitor find(Scope scope, String id) {
        return visitors.visitor(scope, id).orElseThrow(() -> new NotFoundException("visitor", id));
    }

    private void log(Scope scope, String communityId, String visitorId, String passId, String event, String actor,
                     String gate, String detail) {
        visitors.log(scope, new VisitLogEntry(UUID.randomUUID().toString(), communityId, visitorId, passId, event,
                actor, gate, now(), detail));
    }

    private void checkWindow(Instant from, Instant until) {
        if (!until.isAfter(from)) {
            throw Refusal.badRequest("window.invalid");
        }
        if (Duration.between(from, until).compareTo(Duration.ofHours(config.maxWindowHours())) > 0) {
            throw Refusal.badRequest("window.tooLong", config.maxWindowHours());
        }
    }

    private static void require(Object value, String field) {
        if (value == null || (value instanceof String s && s.isBlank())) {
            throw Refusal.badRequest("field.required", field);
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    static String normaliseIdCard(String raw) {
        return raw.replaceAll("\\s+", "").toUpperCase(Locale.ROOT);
    }
}

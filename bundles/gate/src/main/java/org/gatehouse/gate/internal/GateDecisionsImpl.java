package org.gatehouse.gate.internal;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.gatehouse.api.model.AccessDecision;
import org.gatehouse.api.model.Alert;
import org.gatehouse.api.model.AlertSeverity;
import org.gatehouse.api.model.AlertStatus;
import org.gatehouse.api.model.AlertType;
import org.gatehouse.api.model.CredentialKind;
import org.gatehouse.api.model.DecisionReason;
import org.gatehouse.api.model.Device;
import org.gatehouse.api.model.Direction;
import org.gatehouse.api.model.Household;
import org.gatehouse.api.model.PassageEvent;
import org.gatehouse.api.model.Resident;
import org.gatehouse.api.model.SubjectType;
import org.gatehouse.api.model.Unit;
import org.gatehouse.api.model.Verdict;
import org.gatehouse.api.service.AlertRepository;
import org.gatehouse.api.service.CommunityRepository;
import org.gatehouse.api.service.DeviceRepository;
import org.gatehouse.api.service.DoorCommands;
import org.gatehouse.api.service.HouseholdRepository;
import org.gatehouse.api.service.NotFoundException;
import org.gatehouse.api.service.PassageRecorder;
import org.gatehouse.api.service.Scope;
import org.gatehouse.api.service.StoreUnavailableException;
import org.gatehouse.api.service.VisitorRepository;
import org.gatehouse.faces.api.FaceRegistry;
import org.gatehouse.gate.api.CaptureRequest;
import org.gatehouse.gate.api.CheckSetting;
import org.gatehouse.gate.api.CredentialRequest;
import org.gatehouse.gate.api.DoorAdapter;
import org.gatehouse.gate.api.DoorOutcome;
import org.gatehouse.gate.api.GateDecision;
import org.gatehouse.gate.api.GateDecisions;
import org.gatehouse.gate.api.GateReason;
import org.gatehouse.gate.api.PresentedKind;
import org.gatehouse.gate.api.Readings;
import org.gatehouse.gate.api.ScreeningCheck;
import org.gatehouse.gate.api.ScreeningInput;
import org.gatehouse.gate.api.ScreeningResult;
import org.gatehouse.recognition.api.Candidate;
import org.gatehouse.recognition.api.FaceEngine;
import org.gatehouse.recognition.api.FaceTemplate;
import org.gatehouse.recognition.api.OperatingBands;
import org.gatehouse.recognition.api.StageTimes;
import org.gatehouse.visitor.api.PassCheck;
import org.gatehouse.visitor.api.VisitorPasses;
import org.gatehouse.whitelist.api.AccessCheck;
import org.gatehouse.whitelist.api.Whitelist;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The decision, in one place (see {@link GateDecisions}). Policy: a resident passes the community gates (a device with
 * no building) and the unit doors of their own building, inside the lease window; a visitor passes where the pass
 * allows ({@link VisitorPasses#checkAtDevice}: its gates, its building, its window and uses); everyone else is
 * refused. Screening checks run before identity or after it as each is set; the gate applies their mode and raises one
 * {@code SCREENING_FAILURE} alert per passage with a failed check.
 * <p>
 * Also {@link DoorCommands}: a door opened on someone's behalf (the visitor module's one-click open) goes through the
 * same door adapter and is recorded as a passage with the caller's reason. A face is held to the community's liveness
 * rule ({@link LivenessRule}); an unknown face counts towards the stranger warning ({@link StrangerWatch}).
 */
@Component(service = {GateDecisions.class, DoorCommands.class}, configurationPid = GateConfig.PID)
@Designate(ocd = GateConfig.class)
public class GateDecisionsImpl implements GateDecisions, DoorCommands {
    private static final Logger LOG = LoggerFactory.getLogger(GateDecisionsImpl.class);

    /** What the gate needs from the platform (a record so tests build it in one place). */
    record Services(DeviceRepository devices, HouseholdRepository households, CommunityRepository communities,
                    VisitorRepository visitors, FaceRegistry faces, Whitelist whitelist, VisitorPasses passes,
                    PassageRecorder recorder, AlertRepository alerts, DeviceLiveness liveness) {
    }

    private final Services s;
    private final Clock clock;
    private final GateConfig config;
    private final ReplayCache replays;
    private final PendingFactors pending = new PendingFactors();
    private final LastKnown lastKnown = new LastKnown();
    private final Map<String, String> adapterOfDevice;
    private final List<ScreeningCheck> checks = new CopyOnWriteArrayList<>();
    private final List<DoorAdapter> adapters = new CopyOnWriteArrayList<>();
    private final LivenessRule livenessRule;
    private final StrangerWatch strangers;
    /** Templates of unknown faces for the stranger warning; without the engine no stranger is counted. */
    private volatile FaceEngine engine;
    private ScheduledExecutorService strangerPurge;

    @Activate
    public GateDecisionsImpl(@Reference DeviceRepository devices, @Reference HouseholdRepository households,
                             @Reference CommunityRepository communities, @Reference VisitorRepository visitors,
                             @Reference FaceRegistry faces, @Reference Whitelist whitelist,
                             @Reference VisitorPasses passes, @Reference PassageRecorder recorder,
                             @Reference AlertRepository alerts, @Reference DeviceLiveness liveness,
                             GateConfig config) {
        this(new Services(devices, households, communities, visitors, faces, whitelist, passes, recorder, alerts,
                liveness), Clock.systemUTC(), config);
        long every = Math.min(60, Math.max(1, config.strangerWindowMinutes()) * 60L);
        strangerPurge = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "gatehouse-gate-stranger-purge");
            t.setDaemon(true);
            return t;
        });
        strangerPurge.scheduleWithFixedDelay(() -> strangers.purge(clock.instant()), every, every, TimeUnit.SECONDS);
    }

    @Deactivate
    void deactivate() {
        if (strangerPurge != null) {
            strangerPurge.shutdownNow();
        }
    }

    GateDecisionsImpl(Services services, Clock clock, GateConfig config) {
        this.s = services;
        this.clock = clock;
        this.config = config;
        this.replays = new ReplayCache(Duration.ofMinutes(config.replayMinutes()));
        this.adapterOfDevice = parseAdapters(config.doorAdapters());
        this.livenessRule = new LivenessRule(config);
        this.strangers = new StrangerWatch(config);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, unbind = "removeEngine")
    void setEngine(FaceEngine engine) {
        this.engine = engine;
    }

    void removeEngine(FaceEngine engine) {
        if (this.engine == engine) {
            this.engine = null;
        }
    }

    /** The stranger warning's memory (tests). */
    StrangerWatch strangers() {
        return strangers;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, unbind = "removeCheck")
    void addCheck(ScreeningCheck check) {
        checks.add(check);
    }

    void removeCheck(ScreeningCheck check) {
        checks.remove(check);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, unbind = "removeAdapter")
    void addAdapter(DoorAdapter adapter) {
        adapters.add(adapter);
    }

    void removeAdapter(DoorAdapter adapter) {
        adapters.remove(adapter);
    }

    // ------------------------------------------------------------------------------------------------ the two entries

    @Override
    public GateDecision decideCapture(CaptureRequest request) {
        Device device = device(request.deviceId());
        Instant now = clock.instant();
        s.liveness().heard(device, now);
        return replays.once(replayKey(device, request.requestId()), now,
                () -> capture(device, request, passageId(device, request.requestId()), now));
    }

    @Override
    public GateDecision decideCredential(CredentialRequest request) {
        Device device = device(request.deviceId());
        Instant now = clock.instant();
        s.liveness().heard(device, now);
        if (request.value() == null || request.value().isBlank()) {
            throw new IllegalArgumentException("value is required");
        }
        if (request.kind() == PresentedKind.APP_CODE && (request.residentId() == null || request.residentId().isBlank())) {
            throw new IllegalArgumentException("residentId is required with an APP_CODE");
        }
        return replays.once(replayKey(device, request.requestId()), now,
                () -> credential(device, request, passageId(device, request.requestId()), now));
    }

    // ------------------------------------------------------------------------------------------------------ face path

    private GateDecision capture(Device device, CaptureRequest request, String passageId, Instant now) {
        Attempt a = new Attempt(device, passageId, now, request.readings(), request.frame());
        a.credentialKind = CredentialKind.FACE;
        if (!screen(a, true)) {
            return finish(a);
        }
        Scope scope = Scope.of(device.communityId());
        FaceRegistry.Identification id = s.faces().identify(scope, device.communityId(), request.frame(),
                Math.max(1, config.faceCandidates()));
        OperatingBands bands = id.bands();
        String gallery = "gallery=" + bands.gallerySize();
        a.faceBand = id.band().name();
        a.scores.put("face.score", num(id.score()));
        switch (id.band()) {
            case ACCEPT -> {
                a.reasons.add(new GateReason("FACE_ACCEPTED", num(id.score()), num(bands.accept()),
                        "subject=" + id.subjectId() + ";" + gallery));
                a.scores.put("face.accept", num(bands.accept()));
                if (!live(a, id)) {
                    return finish(a); // a photo of a resident is nobody: the subject stays unknown
                }
                subject(a, id.subjectId());
            }
            case VERIFY -> {
                if (!live(a, id)) {
                    a.reasons.add(a.reasons.size() - 1, new GateReason("FACE_VERIFY", num(id.score()),
                            num(bands.accept()), gallery + ";verify=" + DecisionCodec.number(bands.verify())));
                    return finish(a); // no second factor for a face that failed the hard liveness rule
                }
                Map<String, Float> scores = new HashMap<>();
                for (Candidate c : id.candidates()) {
                    scores.merge(c.subjectId(), c.score(), Math::max);
                }
                pending.put(device.id(), new PendingFactors.Pending(passageId, scores, bands.verify(), id.score(),
                        now.plusSeconds(Math.max(1, config.secondFactorSeconds()))));
                a.reasons.add(new GateReason("FACE_VERIFY", num(id.score()), num(bands.accept()),
                        gallery + ";verify=" + DecisionCodec.number(bands.verify())));
                // nothing is recorded yet: the credential that follows decides the passage
                return new GateDecision(null, Verdict.DENY, a.faceBand, true, SubjectType.UNKNOWN, null,
                        a.reasons, config.policyVersion(), DoorOutcome.notSent("SECOND_FACTOR_REQUESTED"),
                        "NOT_RECORDED", now);
            }
            default -> {
                a.reasons.add(new GateReason("FACE_REJECTED", num(id.score()), num(bands.reject()), gallery));
                a.reasons.add(GateReason.of("STRANGER", ""));
                live(a, id);
                a.subjectType = SubjectType.STRANGER;
                a.deny();
                GateDecision decision = finish(a);
                sighting(device, request.frame(), bands, now);
                return decision;
            }
        }
        return policyThenFinish(a);
    }

    /** Applies the community's liveness rule to the face; false when the rule denies it. */
    private boolean live(Attempt a, FaceRegistry.Identification id) {
        LivenessRule.Verdict v = livenessRule.judge(a.device.communityId(), id.face());
        if (v.reason() == null) {
            return true;
        }
        a.reasons.add(v.reason());
        if (v.reason().value() != null) {
            a.scores.put("liveness.score", v.reason().value());
        }
        a.scores.put("liveness.threshold", v.reason().threshold());
        if (v.denies()) {
            a.deny();
            return false;
        }
        return true;
    }

    /**
     * An unknown face for the stranger warning: its template (computed again by the engine: the registry does not
     * hand out the probe) is kept in memory only, and the N-th sighting within T raises one STRANGER alert.
     */
    private void sighting(Device device, byte[] frame, OperatingBands bands, Instant now) {
        FaceEngine e = engine;
        if (e == null || strangers.rule(device.communityId()).sightings() <= 0) {
            return;
        }
        Optional<Alert> alert;
        try {
            FaceTemplate t = e.embed(frame);
            alert = strangers.seen(device.communityId(), device.id(), device.gate(), now, t.vector(), bands.verify());
            java.util.Arrays.fill(t.vector(), 0f);
        } catch (RuntimeException ex) {
            LOG.warn("Unknown face at device {} not counted for the stranger warning: {}", device.id(),
                    ex.getClass().getSimpleName());
            return;
        }
        alert.ifPresent(a -> {
            try {
                s.alerts().raise(a);
            } catch (RuntimeException ex) {
                LOG.warn("Stranger alert at device {} not raised: {}", device.id(), ex.toString());
            }
        });
    }

    // ------------------------------------------------------------------------------------------- door on someone's behalf

    @Override
    public DoorCommands.Outcome open(Scope scope, String deviceId, DoorCommands.Order order) {
        Device device = s.devices().device(scope, deviceId).orElseThrow(() -> new NotFoundException("device", deviceId));
        Instant now = clock.instant();
        Attempt a = new Attempt(device, UUID.randomUUID().toString(), now, null, null);
        a.onBehalf = true;
        a.subjectType = order.subjectType() == null ? SubjectType.UNKNOWN : order.subjectType();
        a.subjectId = order.subjectId();
        String code = order.reasonCode() != null && order.reasonCode().matches("[A-Z][A-Z_]{0,40}")
                ? order.reasonCode() : "REMOTE_OPEN";
        StringBuilder ref = new StringBuilder("actor=").append(plain(order.actor()));
        if (order.subjectId() != null) {
            ref.append(";subject=").append(plain(order.subjectId()));
        }
        if (order.detail() != null && !order.detail().isBlank()) {
            ref.append(';').append(order.detail().replaceAll("[^\\p{L}\\p{N}_.:=;@-]", "_"));
        }
        a.reasons.add(GateReason.of(code, ref.toString()));
        GateDecision decision = finish(a);
        return new DoorCommands.Outcome(decision.passageId(), decision.door().opened(), decision.door().adapter(),
                decision.door().reason(), decision.recorded());
    }

    /** A value inside a {@code key=value;…} reference. */
    private static String plain(String v) {
        return v == null ? "" : v.replaceAll("[;=\\s]", "_");
    }

    /** A face accepted as {@code subjectId}: a resident (lease, building), a visitor (needs a pass) or nobody now. */
    private void subject(Attempt a, String subjectId) {
        Scope scope = Scope.of(a.device.communityId());
        AccessCheck check;
        try {
            check = s.whitelist().check(scope, subjectId, a.now);
        } catch (StoreUnavailableException down) {
            check = lastKnown.check(subjectId, a.now).orElseThrow(() -> down);
            a.offline();
        }
        if (check.reason() == AccessCheck.Reason.NOT_REGISTERED && !a.offline
                && s.visitors().visitor(scope, subjectId).isPresent()) {
            a.subjectType = SubjectType.VISITOR;
            a.subjectId = subjectId;
            a.reasons.add(GateReason.of("VISITOR_NEEDS_PASS", "subject=" + subjectId));
            a.deny();
            return;
        }
        resident(a, subjectId, check);
    }

    // ------------------------------------------------------------------------------------------------ credential path

    private GateDecision credential(Device device, CredentialRequest request, String passageId, Instant now) {
        Attempt a = new Attempt(device, passageId, now, request.readings(), null);
        a.credentialKind = credentialKind(request.kind());
        if (request.kind() == PresentedKind.PASS_CODE) {
            // a pass is not a second factor: a face waiting at this device stays waiting
            if (screen(a, true)) {
                pass(a, request.value());
            }
            return a.verdict == Verdict.DENY ? finish(a) : afterIdentityThenFinish(a);
        }
        PendingFactors.Pending face = pending.take(device.id(), now);
        if (!screen(a, true)) {
            return finish(a);
        }
        Scope scope = Scope.of(device.communityId());
        AccessCheck check = switch (request.kind()) {
            case APP_CODE -> s.whitelist().checkAppCode(scope, request.residentId(), request.value(), now, device.id());
            default -> s.whitelist().checkCredential(scope, device.communityId(), a.credentialKind, request.value(),
                    now, device.id());
        };
        String kindRef = "kind=" + request.kind();
        if (check.residentId() == null || check.reason() == AccessCheck.Reason.CREDENTIAL_UNKNOWN
                || check.reason() == AccessCheck.Reason.TOO_MANY_ATTEMPTS) {
            a.reasons.add(GateReason.of(check.reason() == AccessCheck.Reason.TOO_MANY_ATTEMPTS ? "TOO_MANY_ATTEMPTS"
                    : "CREDENTIAL_UNKNOWN", kindRef));
            a.deny();
            return finish(a);
        }
        if (request.residentId() != null && !request.residentId().isBlank()
                && !request.residentId().equals(check.residentId())) {
            a.reasons.add(GateReason.of("CREDENTIAL_MISMATCH", kindRef));
            a.deny();
            return finish(a);
        }
        a.reasons.add(GateReason.of("CREDENTIAL_VALID", kindRef + ";subject=" + check.residentId()));
        if (face != null) {
            // the second factor names the person; the face must match THAT person 1:1
            a.credentialKind = CredentialKind.FACE;
            a.faceBand = OperatingBands.Band.VERIFY.name();
            Float score = face.scoreOf(check.residentId());
            a.scores.put("face.score", num(score == null ? face.bestScore() : score));
            a.scores.put("face.verify", num(face.verifyThreshold()));
            if (score == null || score < face.verifyThreshold()) {
                a.reasons.add(new GateReason("FACE_MISMATCH", score == null ? null : num(score),
                        num(face.verifyThreshold()), "subject=" + check.residentId() + ";" + kindRef));
                a.subjectType = SubjectType.UNKNOWN;
                a.deny();
                return finish(a);
            }
            a.reasons.add(new GateReason("FACE_VERIFIED", num(score), num(face.verifyThreshold()),
                    "subject=" + check.residentId() + ";second=" + request.kind()));
        }
        resident(a, check.residentId(), check);
        return policyThenFinish(a);
    }

    private void pass(Attempt a, String code) {
        PassCheck check = s.passes().checkAtDevice(Scope.of(a.device.communityId()), a.device.id(), code, a.now);
        a.subjectType = SubjectType.VISITOR;
        if (check.opens()) {
            a.subjectId = check.passId();
            a.reasons.add(new GateReason("PASS_VALID", num(check.usesLeft()), null, "pass=" + check.passId()));
        } else {
            a.subjectType = check.passId() == null ? SubjectType.UNKNOWN : SubjectType.VISITOR;
            a.subjectId = check.passId();
            a.reasons.add(GateReason.of("PASS_" + check.reason().name(),
                    check.passId() == null ? "" : "pass=" + check.passId()));
            a.deny();
        }
    }

    // ---------------------------------------------------------------------------------------------------------- policy

    /**
     * The resident's lease (from the whitelist's check) and building: community gates and the unit doors of their own
     * building only.
     */
    private void resident(Attempt a, String residentId, AccessCheck check) {
        Scope scope = Scope.of(a.device.communityId());
        a.subjectId = residentId;
        Optional<Resident> resident;
        String home;
        try {
            resident = check.reason() == AccessCheck.Reason.NOT_REGISTERED ? Optional.empty()
                    : s.households().resident(scope, residentId);
            home = resident.isEmpty() ? null : buildingOf(scope, resident.get());
            String building = home;
            resident.ifPresent(r -> lastKnown.remember(r, building));
        } catch (StoreUnavailableException down) {
            LastKnown.Person known = lastKnown.person(residentId);
            if (known == null) {
                throw down;
            }
            a.offline();
            resident = Optional.of(known.resident());
            home = known.buildingId();
        }
        if (resident.isEmpty()) {
            lastKnown.forget(residentId);
            a.subjectType = SubjectType.UNKNOWN;
            a.reasons.add(GateReason.of("NOT_REGISTERED", "subject=" + residentId));
            a.deny();
            return;
        }
        a.subjectType = SubjectType.RESIDENT;
        Resident r = resident.get();
        switch (check.reason()) {
            case VALID -> a.reasons.add(GateReason.of("LEASE_VALID", "subject=" + residentId
                    + (r.validUntil() == null ? "" : ";until=" + r.validUntil())));
            case LEASE_ENDED -> {
                a.reasons.add(GateReason.of("LEASE_ENDED", "subject=" + residentId
                        + (r.validUntil() == null ? "" : ";until=" + r.validUntil())));
                a.deny();
            }
            case NOT_YET_VALID -> {
                a.reasons.add(GateReason.of("NOT_YET_VALID", "subject=" + residentId
                        + (r.validFrom() == null ? "" : ";from=" + r.validFrom())));
                a.deny();
            }
            default -> {
                a.reasons.add(GateReason.of(check.reason().name(), "subject=" + residentId));
                a.deny();
            }
        }
        if (!check.allowed() && check.reason() == AccessCheck.Reason.VALID) {
            a.deny(); // never trust a VALID that says not allowed
        }
        String deviceBuilding = a.device.buildingId();
        if (deviceBuilding == null) {
            a.reasons.add(GateReason.of("COMMUNITY_GATE", "gate=" + a.device.id()));
            return;
        }
        if (deviceBuilding.equals(home)) {
            a.reasons.add(GateReason.of("OWN_BUILDING", "building=" + home));
        } else {
            a.reasons.add(GateReason.of("OTHER_BUILDING", "building=" + deviceBuilding
                    + (home == null ? "" : ";home=" + home)));
            a.deny();
        }
    }

    private String buildingOf(Scope scope, Resident r) {
        Optional<Household> household = s.households().household(scope, r.householdId());
        Optional<Unit> unit = household.flatMap(h -> s.communities().unit(scope, h.unitId()));
        return unit.map(Unit::buildingId).orElse(null);
    }

    private GateDecision policyThenFinish(Attempt a) {
        return a.verdict == Verdict.DENY ? finish(a) : afterIdentityThenFinish(a);
    }

    private GateDecision afterIdentityThenFinish(Attempt a) {
        screen(a, false);
        return finish(a);
    }

    // ------------------------------------------------------------------------------------------------------- screening

    /**
     * Runs the checks set to run {@code before} identity (or after it). HARD failures deny, SOFT ones flag; a result
     * not measured counts as a failure (a hard rule cannot be dodged by not measuring). @return false when denied
     */
    private boolean screen(Attempt a, boolean before) {
        String community = a.device.communityId();
        for (ScreeningCheck check : checks) {
            CheckSetting setting;
            try {
                setting = check.setting(community);
            } catch (RuntimeException e) {
                LOG.warn("Screening check {} could not tell its setting: {}", check.name(), e.toString());
                setting = CheckSetting.OFF;
            }
            if (setting == null || setting.mode() == CheckSetting.Mode.OFF || setting.beforeIdentity() != before) {
                continue;
            }
            ScreeningResult result;
            try {
                result = check.check(new ScreeningInput(community, a.device.id(), before ? null : a.subjectId,
                        before ? SubjectType.UNKNOWN : a.subjectType, a.readings, a.frame));
                if (result == null) {
                    result = new ScreeningResult(check.name(), ScreeningResult.Outcome.NOT_MEASURED, "CHECK_ERROR",
                            null, null, "no result");
                }
            } catch (RuntimeException e) {
                LOG.warn("Screening check {} failed: {}", check.name(), e.toString());
                result = new ScreeningResult(check.name(), ScreeningResult.Outcome.NOT_MEASURED, "CHECK_ERROR", null,
                        null, e.getClass().getSimpleName());
            }
            String ref = "check=" + check.name() + ";code=" + result.reasonCode() + ";mode=" + setting.mode();
            if (result.measured() != null) {
                a.scores.put("screening." + check.name(), result.measured());
            }
            if (result.outcome() == ScreeningResult.Outcome.PASSED) {
                a.reasons.add(new GateReason("SCREENING_PASSED", result.measured(), result.limit(), ref));
                continue;
            }
            boolean hard = setting.mode() == CheckSetting.Mode.HARD;
            String code = result.outcome() == ScreeningResult.Outcome.NOT_MEASURED ? "SCREENING_NOT_MEASURED"
                    : hard ? "SCREENING_FAILED" : "SCREENING_FLAGGED";
            a.reasons.add(new GateReason(code, result.measured(), result.limit(), ref));
            a.screeningFailures.add(check.name() + " " + result.reasonCode()
                    + (result.measured() == null ? "" : " " + DecisionCodec.number(result.measured()))
                    + (result.limit() == null ? "" : " / " + DecisionCodec.number(result.limit())) + " " + setting.mode());
            if (hard) {
                a.deny();
            }
        }
        return a.verdict != Verdict.DENY;
    }

    // --------------------------------------------------------------------------------------- door, record and answer

    private GateDecision finish(Attempt a) {
        if (!a.onBehalf && a.subjectType != SubjectType.RESIDENT && a.subjectType != SubjectType.VISITOR) {
            a.deny(); // nobody identified is never let in, whatever path led here (an open on someone's behalf was
                      // decided by the module that asked, see DoorCommands)
        }
        StageTimes.lap(StageTimes.Stage.POLICY);
        DoorOutcome door = a.verdict == Verdict.ALLOW ? openDoor(a.device, a.passageId) : DoorOutcome.notSent("DENIED");
        StageTimes.lap(StageTimes.Stage.DOOR);
        if (a.verdict == Verdict.ALLOW) {
            a.reasons.add(GateReason.of(door.opened() ? "DOOR_OPENED" : "DOOR_FAILED",
                    "adapter=" + door.adapter() + (door.reason().isEmpty() ? "" : ";reason=" + door.reason())));
        }
        if (a.offline) {
            a.reasons.add(GateReason.of("OFFLINE_DECISION", ""));
        }
        a.reasons.add(GateReason.of("POLICY_VERSION", "version=" + config.policyVersion()));
        List<DecisionReason> stored = a.reasons.stream().map(DecisionCodec::encode).toList();
        Direction direction = a.device.direction() == Direction.BOTH ? Direction.IN : a.device.direction();
        PassageEvent event = new PassageEvent(a.passageId, a.device.communityId(), a.device.id(), a.now, direction,
                a.subjectType, a.subjectId, a.credentialKind, new AccessDecision(a.verdict, stored, a.scores));
        String recorded;
        try {
            recorded = s.recorder().record(event).name();
        } catch (RuntimeException e) {
            // the decision stands (the door may have moved); the recorder should never fail, so say so loudly
            LOG.error("Passage {} at device {} could not be recorded: {}", a.passageId, a.device.id(), e.toString());
            recorded = "NOT_RECORDED";
        }
        StageTimes.lap(StageTimes.Stage.STORE);
        if (!a.screeningFailures.isEmpty()) {
            raiseScreeningAlert(a);
        }
        return new GateDecision(a.passageId, a.verdict, a.faceBand, false, a.subjectType, a.subjectId, a.reasons,
                config.policyVersion(), door, recorded, a.now);
    }

    private DoorOutcome openDoor(Device device, String passageId) {
        String kind = adapterOfDevice.getOrDefault(device.id(), config.defaultDoorAdapter());
        for (DoorAdapter adapter : adapters) {
            if (adapter.kind().equals(kind)) {
                try {
                    DoorOutcome outcome = adapter.open(device, passageId);
                    return outcome == null ? DoorOutcome.failed(kind, "NO_ANSWER") : outcome;
                } catch (RuntimeException e) {
                    LOG.warn("Door adapter {} failed to open device {}: {}", kind, device.id(), e.toString());
                    return DoorOutcome.failed(kind, "ADAPTER_ERROR");
                }
            }
        }
        LOG.warn("No door adapter '{}' for device {}: the door was not opened", kind, device.id());
        return DoorOutcome.failed(kind, "NO_ADAPTER");
    }

    private void raiseScreeningAlert(Attempt a) {
        try {
            s.alerts().raise(new Alert(UUID.randomUUID().toString(), a.device.communityId(), AlertType.SCREENING_FAILURE,
                    AlertSeverity.WARNING, AlertStatus.OPEN, a.passageId,
                    "screening at device " + a.device.id() + " (passage " + a.passageId + "): "
                            + String.join(", ", a.screeningFailures) + "; verdict " + a.verdict,
                    a.now, List.of()));
        } catch (RuntimeException e) {
            LOG.warn("Screening alert for passage {} not raised: {}", a.passageId, e.toString());
        }
    }

    // --------------------------------------------------------------------------------------------------------- helpers

    private Device device(String deviceId) {
        Optional<Device> device;
        try {
            device = s.devices().device(Scope.all(), deviceId);
        } catch (StoreUnavailableException down) {
            device = Optional.ofNullable(lastKnown.device(deviceId)).or(() -> {
                throw down;
            });
        }
        Device d = device.orElseThrow(() -> new NotFoundException("device", deviceId));
        lastKnown.remember(d);
        return d;
    }

    private static String replayKey(Device device, String requestId) {
        return requestId == null || requestId.isBlank() ? null : device.id() + '\u0000' + requestId;
    }

    /** Stable for (device, request id), so a replay after a restart is still stored once; random without an id. */
    static String passageId(Device device, String requestId) {
        if (requestId == null || requestId.isBlank()) {
            return UUID.randomUUID().toString();
        }
        return UUID.nameUUIDFromBytes(("gate:" + device.id() + ':' + requestId).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    /** A float score as the decimal it prints as (0.71f is 0.71, not 0.7099999785). */
    static double num(float f) {
        return Double.parseDouble(Float.toString(f));
    }

    static CredentialKind credentialKind(PresentedKind kind) {
        return switch (kind) {
            case CARD -> CredentialKind.CARD;
            case ID_CARD -> CredentialKind.ID_CARD;
            case PIN -> CredentialKind.PIN;
            case APP_CODE -> CredentialKind.APP_TOKEN;
            case PASS_CODE -> null; // a visitor pass is not a resident's credential
        };
    }

    /**
     * {@code deviceId=kind} entries: separate values (ConfigurationAdmin, a list) or one .cfg line with the entries
     * separated by commas or semicolons.
     */
    static Map<String, String> parseAdapters(String[] entries) {
        Map<String, String> out = new HashMap<>();
        for (String value : entries == null ? new String[0] : entries) {
            for (String e : value.split("[,;]")) {
                int eq = e.indexOf('=');
                String device = eq < 0 ? "" : e.substring(0, eq).trim();
                String kind = eq < 0 ? "" : e.substring(eq + 1).trim();
                if (!device.isEmpty() && !kind.isEmpty()) {
                    out.put(device, kind);
                }
            }
        }
        return out;
    }

    /** One decision in the making. */
    private static final class Attempt {
        final Device device;
        final String passageId;
        final Instant now;
        final Readings readings;
        final byte[] frame;
        final List<GateReason> reasons = new ArrayList<>();
        final Map<String, Double> scores = new LinkedHashMap<>();
        final List<String> screeningFailures = new ArrayList<>();
        Verdict verdict = Verdict.ALLOW;
        SubjectType subjectType = SubjectType.UNKNOWN;
        String subjectId;
        CredentialKind credentialKind;
        String faceBand;

        Attempt(Device device, String passageId, Instant now, Readings readings, byte[] frame) {
            this.device = device;
            this.passageId = passageId;
            this.now = now;
            this.readings = readings;
            this.frame = frame;
        }

        boolean offline;
        /** A door opened on someone's behalf ({@link DoorCommands}): the asking module decided. */
        boolean onBehalf;

        void deny() {
            verdict = Verdict.DENY;
        }

        void offline() {
            offline = true;
        }
    }
}

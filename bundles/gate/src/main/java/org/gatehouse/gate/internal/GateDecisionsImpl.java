package org.gatehouse.gate.internal;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.gatehouse.api.model.Alert;
import org.gatehouse.api.model.CredentialKind;
import org.gatehouse.api.model.Device;
import org.gatehouse.api.model.SubjectType;
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
import org.gatehouse.gate.api.CredentialRequest;
import org.gatehouse.gate.api.DoorAdapter;
import org.gatehouse.gate.api.DoorOutcome;
import org.gatehouse.gate.api.GateDecision;
import org.gatehouse.gate.api.GateDecisions;
import org.gatehouse.gate.api.GateReason;
import org.gatehouse.gate.api.PresentedKind;
import org.gatehouse.gate.api.ScreeningCheck;
import org.gatehouse.recognition.api.Candidate;
import org.gatehouse.recognition.api.FaceEngine;
import org.gatehouse.recognition.api.FaceTemplate;
import org.gatehouse.recognition.api.OperatingBands;
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
 * <p>
 * This class is the DS component and the two decision paths (face, credential); it delegates by subject: the
 * screening checks to {@link Screening}, the resident/visitor policy to {@link Policy}, and door, record and answer
 * (the end of every attempt, and {@link DoorCommands#open}) to {@link Doors}.
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
    private final Screening screening;
    private final Policy policy;
    private final Doors doors;
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
        this.screening = new Screening(services.alerts());
        this.policy = new Policy(services, lastKnown);
        this.doors = new Doors(services.devices(), services.recorder(), screening, clock, config);
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
        screening.add(check);
    }

    void removeCheck(ScreeningCheck check) {
        screening.remove(check);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, unbind = "removeAdapter")
    void addAdapter(DoorAdapter adapter) {
        doors.add(adapter);
    }

    void removeAdapter(DoorAdapter adapter) {
        doors.remove(adapter);
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

    /** A door opened on someone's behalf: see {@link Doors#open}. */
    @Override
    public DoorCommands.Outcome open(Scope scope, String deviceId, DoorCommands.Order order) {
        return doors.open(scope, deviceId, order);
    }

    // ------------------------------------------------------------------------------------------------------ face path

    private GateDecision capture(Device device, CaptureRequest request, String passageId, Instant now) {
        Attempt a = new Attempt(device, passageId, now, request.readings(), request.frame());
        try {
            return capture(a, request);
        } finally {
            a.forgetProbe();
        }
    }

    private GateDecision capture(Attempt a, CaptureRequest request) {
        Device device = a.device;
        String passageId = a.passageId;
        Instant now = a.now;
        a.credentialKind = CredentialKind.FACE;
        if (!screening.screen(a, true)) {
            return doors.finish(a);
        }
        Scope scope = Scope.of(device.communityId());
        // the liveness model runs only where the community's rule reads its score
        FaceRegistry.Probed probed = s.faces().identifyProbed(scope, device.communityId(), request.frame(),
                Math.max(1, config.faceCandidates()), livenessRule.mode(device.communityId()) != LivenessRule.Mode.OFF);
        FaceRegistry.Identification id = probed.identification();
        a.probe = probed.probe();
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
                    return doors.finish(a); // a photo of a resident is nobody: the subject stays unknown
                }
                policy.subject(a, id.subjectId());
            }
            case VERIFY -> {
                if (!live(a, id)) {
                    a.reasons.add(a.reasons.size() - 1, new GateReason("FACE_VERIFY", num(id.score()),
                            num(bands.accept()), gallery + ";verify=" + DecisionCodec.number(bands.verify())));
                    return doors.finish(a); // no second factor for a face that failed the hard liveness rule
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
                GateDecision decision = doors.finish(a);
                sighting(device, a, bands);
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
     * An unknown face for the stranger warning: a copy of its probe template (the registry's; computed again by the
     * engine only when the registry does not hand it out) is kept in memory only, and the N-th sighting within T
     * raises one STRANGER alert.
     */
    private void sighting(Device device, Attempt a, OperatingBands bands) {
        FaceEngine e = engine;
        if (strangers.rule(device.communityId()).sightings() <= 0 || (a.probe == null && e == null)) {
            return;
        }
        Optional<Alert> alert;
        try {
            float[] template = a.probe != null ? a.probe : e.embed(a.frame, false).vector();
            alert = strangers.seen(device.communityId(), device.id(), device.gate(), a.now, template, bands.verify());
            java.util.Arrays.fill(template, 0f);
        } catch (RuntimeException ex) {
            LOG.warn("Unknown face at device {} not counted for the stranger warning: {}", device.id(),
                    ex.getClass().getSimpleName());
            return;
        }
        alert.ifPresent(raised -> {
            try {
                s.alerts().raise(raised);
            } catch (RuntimeException ex) {
                LOG.warn("Stranger alert at device {} not raised: {}", device.id(), ex.toString());
            }
        });
    }

    // ------------------------------------------------------------------------------------------------ credential path

    private GateDecision credential(Device device, CredentialRequest request, String passageId, Instant now) {
        Attempt a = new Attempt(device, passageId, now, request.readings(), null);
        a.credentialKind = credentialKind(request.kind());
        if (request.kind() == PresentedKind.PASS_CODE) {
            // a pass is not a second factor: a face waiting at this device stays waiting
            if (screening.screen(a, true)) {
                policy.pass(a, request.value()); // checked, not used yet
            }
            if (a.verdict != Verdict.DENY) {
                screening.screen(a, false);
            }
            if (a.verdict != Verdict.DENY) {
                policy.usePass(a, request.value()); // the use is spent only for a passage that opens
            }
            return doors.finish(a);
        }
        PendingFactors.Pending face = pending.take(device.id(), now);
        if (!screening.screen(a, true)) {
            return doors.finish(a);
        }
        Scope scope = Scope.of(device.communityId());
        AccessCheck check = switch (request.kind()) {
            case APP_CODE -> s.whitelist().checkAppCode(scope, request.residentId(), request.value(), now, device.id());
            default -> s.whitelist().checkCredential(scope, device.communityId(), a.credentialKind, request.value(),
                    now, device.id());
        };
        if (check.offline()) {
            a.offline(); // the whitelist answered from its in-memory copy: the decision says OFFLINE_DECISION
        }
        String kindRef = "kind=" + request.kind();
        if (check.residentId() == null || check.reason() == AccessCheck.Reason.CREDENTIAL_UNKNOWN
                || check.reason() == AccessCheck.Reason.TOO_MANY_ATTEMPTS) {
            a.reasons.add(GateReason.of(check.reason() == AccessCheck.Reason.TOO_MANY_ATTEMPTS ? "TOO_MANY_ATTEMPTS"
                    : "CREDENTIAL_UNKNOWN", kindRef));
            a.deny();
            return doors.finish(a);
        }
        if (request.residentId() != null && !request.residentId().isBlank()
                && !request.residentId().equals(check.residentId())) {
            a.reasons.add(GateReason.of("CREDENTIAL_MISMATCH", kindRef));
            a.deny();
            return doors.finish(a);
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
                return doors.finish(a);
            }
            a.reasons.add(new GateReason("FACE_VERIFIED", num(score), num(face.verifyThreshold()),
                    "subject=" + check.residentId() + ";second=" + request.kind()));
        }
        policy.resident(a, check.residentId(), check);
        return policyThenFinish(a);
    }

    private GateDecision policyThenFinish(Attempt a) {
        return a.verdict == Verdict.DENY ? doors.finish(a) : afterIdentityThenFinish(a);
    }

    private GateDecision afterIdentityThenFinish(Attempt a) {
        screening.screen(a, false);
        return doors.finish(a);
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

}

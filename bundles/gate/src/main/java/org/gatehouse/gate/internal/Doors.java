package org.gatehouse.gate.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.gatehouse.api.model.AccessDecision;
import org.gatehouse.api.model.DecisionReason;
import org.gatehouse.api.model.Device;
import org.gatehouse.api.model.Direction;
import org.gatehouse.api.model.PassageEvent;
import org.gatehouse.api.model.SubjectType;
import org.gatehouse.api.model.Verdict;
import org.gatehouse.api.service.DeviceRepository;
import org.gatehouse.api.service.DoorCommands;
import org.gatehouse.api.service.NotFoundException;
import org.gatehouse.api.service.PassageRecorder;
import org.gatehouse.api.service.Scope;
import org.gatehouse.gate.api.DoorAdapter;
import org.gatehouse.gate.api.DoorOutcome;
import org.gatehouse.gate.api.GateDecision;
import org.gatehouse.gate.api.GateReason;
import org.gatehouse.recognition.api.StageTimes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Door, record and answer: the {@link DoorAdapter} services bound to the gate (the component's DS references forward
 * here) and which one each device uses, the end of every attempt ({@link #finish}: door, passage record, answer) and a
 * door opened on someone's behalf ({@link DoorCommands#open}, which the component forwards here).
 */
final class Doors {
    /** The gate's logger, so the log lines keep their category. */
    private static final Logger LOG = LoggerFactory.getLogger(GateDecisionsImpl.class);

    private final DeviceRepository devices;
    private final PassageRecorder recorder;
    private final Screening screening;
    private final Clock clock;
    private final GateConfig config;
    private final Map<String, String> adapterOfDevice;
    private final List<DoorAdapter> adapters = new CopyOnWriteArrayList<>();

    Doors(DeviceRepository devices, PassageRecorder recorder, Screening screening, Clock clock, GateConfig config) {
        this.devices = devices;
        this.recorder = recorder;
        this.screening = screening;
        this.clock = clock;
        this.config = config;
        this.adapterOfDevice = parseAdapters(config.doorAdapters());
    }

    void add(DoorAdapter adapter) {
        adapters.add(adapter);
    }

    void remove(DoorAdapter adapter) {
        adapters.remove(adapter);
    }

    /**
     * Ends an attempt: nobody identified is denied (unless on someone's behalf), the door opens on ALLOW, the passage
     * is recorded and the answer built; a failed screening raises its alert. Laps POLICY, DOOR and STORE.
     */
    GateDecision finish(Attempt a) {
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
            recorded = recorder.record(event).name();
        } catch (RuntimeException e) {
            // the decision stands (the door may have moved); the recorder should never fail, so say so loudly
            LOG.error("Passage {} at device {} could not be recorded: {}", a.passageId, a.device.id(), e.toString());
            recorded = "NOT_RECORDED";
        }
        StageTimes.lap(StageTimes.Stage.STORE);
        if (!a.screeningFailures.isEmpty()) {
            screening.raiseAlert(a);
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

    /** {@link DoorCommands#open}: the door opened on someone's behalf, recorded with the caller's reason. */
    DoorCommands.Outcome open(Scope scope, String deviceId, DoorCommands.Order order) {
        Device device = devices.device(scope, deviceId).orElseThrow(() -> new NotFoundException("device", deviceId));
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
}

package org.gatehouse.gate.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.gatehouse.api.model.Acknowledgement;
import org.gatehouse.api.model.Alert;
import org.gatehouse.api.model.AlertSeverity;
import org.gatehouse.api.model.AlertStatus;
import org.gatehouse.api.model.AlertType;
import org.gatehouse.api.model.Device;
import org.gatehouse.api.service.AlertRepository;
import org.gatehouse.api.service.Scope;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which devices are online: a device is heard by a heartbeat, a capture or a credential; one not heard for
 * {@code offlineAfterSeconds} is offline — one {@code DEVICE_OFFLINE} alert, closed when it is heard again. Only
 * devices heard since this node started are watched (after a restart nobody is reported offline before they had a
 * chance to call). In memory, per node.
 */
@Component(service = DeviceLiveness.class, configurationPid = GateConfig.PID)
public class DeviceLiveness {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceLiveness.class);

    /** A device's state: last heard, and the open offline alert's id while it is offline. */
    public record State(Device device, Instant lastHeard, String offlineAlertId) {
        public boolean online() {
            return offlineAlertId == null;
        }
    }

    private final AlertRepository alerts;
    private final Clock clock;
    private final Duration offlineAfter;
    private final Map<String, State> states = new ConcurrentHashMap<>();

    @Activate
    public DeviceLiveness(@Reference AlertRepository alerts, GateConfig config) {
        this(alerts, Clock.systemUTC(), config);
    }

    DeviceLiveness(AlertRepository alerts, Clock clock, GateConfig config) {
        this.alerts = alerts;
        this.clock = clock;
        this.offlineAfter = Duration.ofSeconds(Math.max(5, config.offlineAfterSeconds()));
    }

    /** The device called now; an open offline alert of it is closed. */
    public void heard(Device device, Instant at) {
        State before = states.put(device.id(), new State(device, at, null));
        if (before != null && before.offlineAlertId() != null) {
            try {
                alerts.acknowledge(Scope.all(), before.offlineAlertId(),
                        new Acknowledgement("gate", at, "device heard again"), AlertStatus.CLOSED);
                LOG.info("Device {} ({}) is back online", device.id(), device.gate());
            } catch (RuntimeException e) {
                LOG.warn("Offline alert {} of device {} not closed: {}", before.offlineAlertId(), device.id(),
                        e.toString());
            }
        }
    }

    public void heard(Device device) {
        heard(device, clock.instant());
    }

    /** Raises one alert for every watched device not heard for too long; returns how many went offline now. */
    public int sweep(Instant now) {
        int raised = 0;
        for (State st : states.values()) {
            if (st.offlineAlertId() != null || !st.lastHeard().plus(offlineAfter).isBefore(now)) {
                continue;
            }
            Device d = st.device();
            try {
                Alert alert = alerts.raise(new Alert(UUID.randomUUID().toString(), d.communityId(),
                        AlertType.DEVICE_OFFLINE, AlertSeverity.WARNING, AlertStatus.OPEN, d.id(),
                        "device " + d.id() + " (" + d.gate() + ") not heard since " + st.lastHeard(), now, List.of()));
                // only if nobody heard it meanwhile
                if (states.replace(d.id(), st, new State(d, st.lastHeard(), alert.id()))) {
                    raised++;
                    LOG.warn("Device {} ({}) is offline: not heard since {}", d.id(), d.gate(), st.lastHeard());
                } else {
                    alerts.acknowledge(Scope.all(), alert.id(), new Acknowledgement("gate", now, "device heard again"),
                            AlertStatus.CLOSED);
                }
            } catch (RuntimeException e) {
                LOG.warn("Offline alert for device {} not raised (tried again next round): {}", d.id(), e.toString());
            }
        }
        return raised;
    }

    public State state(String deviceId) {
        return states.get(deviceId);
    }
}

package org.gatehouse.gate.isapi.internal;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.gatehouse.api.model.Device;
import org.gatehouse.api.service.TerminalFaceDemand;
import org.gatehouse.gate.api.DoorAdapter;
import org.gatehouse.gate.api.DoorOutcome;
import org.gatehouse.gate.api.WhitelistSyncs;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configured ISAPI terminals by device id, and the door adapter of kind {@code isapi}: a device configured with
 * {@code doorAdapters = <device>=isapi} in {@code etc/org.gatehouse.gate.cfg} opens through its terminal's
 * {@code RemoteControl/door/{n}}. A device without a terminal configuration is {@code FAILED} with
 * {@code NOT_CONFIGURED}; a terminal that does not answer is {@code FAILED} with the client's code. It also tells the
 * face registry which communities' terminals need face photos ({@link TerminalFaceDemand}).
 */
@Component(service = {IsapiTerminals.class, DoorAdapter.class, TerminalFaceDemand.class, WhitelistSyncs.class})
public class IsapiTerminals implements DoorAdapter, TerminalFaceDemand, WhitelistSyncs {
    static final String KIND = "isapi";
    private static final Logger LOG = LoggerFactory.getLogger(IsapiTerminals.class);
    private final Map<String, IsapiTerminal> terminals = new ConcurrentHashMap<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addTerminal(IsapiTerminal terminal) {
        terminals.put(terminal.device().id(), terminal);
    }

    void removeTerminal(IsapiTerminal terminal) {
        terminals.remove(terminal.device().id(), terminal);
    }

    Optional<IsapiTerminal> terminal(String deviceId) {
        return Optional.ofNullable(terminals.get(deviceId));
    }

    List<IsapiTerminal> all() {
        return terminals.values().stream().sorted(Comparator.comparing(t -> t.device().name())).toList();
    }

    /** A community with a terminal configured with {@code pushFaces} (the default) keeps face photos for it. */
    @Override
    public boolean keepsFacePhotos(String communityId) {
        return terminals.values().stream()
                .anyMatch(t -> t.pushesFaces() && t.device().communityId().equals(communityId));
    }

    /** For the device list: the terminal's whitelist sync (its stream consumer's position and lag, failures). */
    @Override
    public Optional<SyncState> syncState(String deviceId) {
        return terminal(deviceId).map(t -> {
            DeviceStatus s = t.status();
            return new SyncState(s.position(), s.lag(), s.deadLetters(), s.lastAppliedAt(), s.lastError(),
                    s.failingSince(), s.lastResyncAt());
        });
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public DoorOutcome open(Device device, String passageId) {
        IsapiTerminal terminal = terminals.get(device.id());
        if (terminal == null) {
            return DoorOutcome.failed(KIND, "NOT_CONFIGURED");
        }
        try {
            terminal.client().openDoor(terminal.doorNo());
            return DoorOutcome.opened(KIND);
        } catch (IsapiException e) {
            LOG.warn("ISAPI door of device {} not opened for passage {}: {}", device.id(), passageId, e.getMessage());
            return DoorOutcome.failed(KIND, e.code());
        }
    }
}

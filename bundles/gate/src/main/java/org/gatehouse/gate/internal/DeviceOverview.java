package org.gatehouse.gate.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.gatehouse.api.model.Community;
import org.gatehouse.api.model.Device;
import org.gatehouse.api.model.DeviceKind;
import org.gatehouse.api.model.Direction;
import org.gatehouse.api.service.CommunityRepository;
import org.gatehouse.api.service.DeviceRepository;
import org.gatehouse.api.service.Scope;
import org.gatehouse.gate.api.DoorAdapter;
import org.gatehouse.gate.api.WhitelistSyncs;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The device list as the office and the shell see it: each device of a community with its door (community gate or a
 * building's unit door), direction, kind, the door adapter the gate moves it with (from {@code doorAdapters} /
 * {@code defaultDoorAdapter}, and whether that adapter is installed), whether it is online (last heard, on this node)
 * and, for a terminal that keeps its own whitelist, its sync state ({@link WhitelistSyncs}).
 */
@Component(service = DeviceOverview.class, configurationPid = GateConfig.PID)
public class DeviceOverview {
    /** One line of the list; {@code online} null: not heard since this node started. */
    public record Line(String deviceId, String communityId, String buildingId, String gate, String name,
                       DeviceKind kind, Direction direction, String adapter, boolean adapterInstalled,
                       Boolean online, Instant lastHeard, WhitelistSyncs.SyncState sync) {
    }

    private final DeviceRepository devices;
    private final CommunityRepository communities;
    private final DeviceLiveness liveness;
    private final Map<String, String> adapterOfDevice;
    private final String defaultAdapter;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile List<DoorAdapter> adapters = List.of();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile List<WhitelistSyncs> syncs = List.of();

    @Activate
    public DeviceOverview(@Reference DeviceRepository devices, @Reference CommunityRepository communities,
                          @Reference DeviceLiveness liveness, GateConfig config) {
        this.devices = devices;
        this.communities = communities;
        this.liveness = liveness;
        this.adapterOfDevice = Doors.parseAdapters(config.doorAdapters());
        this.defaultAdapter = config.defaultDoorAdapter();
    }

    /** The devices of {@code communityId} (checked against the scope), or of every community in the scope when null. */
    public List<Line> lines(Scope scope, String communityId) {
        List<Device> all = new ArrayList<>();
        if (communityId != null) {
            all.addAll(devices.devices(scope, communityId));
        } else {
            for (Community c : communities.communities(scope)) {
                all.addAll(devices.devices(scope, c.id()));
            }
        }
        List<Line> out = new ArrayList<>(all.size());
        for (Device d : all) {
            String adapter = adapterOfDevice.getOrDefault(d.id(), defaultAdapter);
            boolean installed = adapters.stream().anyMatch(a -> a.kind().equals(adapter));
            DeviceLiveness.State state = liveness.state(d.id());
            WhitelistSyncs.SyncState sync = null;
            for (WhitelistSyncs s : syncs) {
                Optional<WhitelistSyncs.SyncState> found = s.syncState(d.id());
                if (found.isPresent()) {
                    sync = found.get();
                    break;
                }
            }
            out.add(new Line(d.id(), d.communityId(), d.buildingId(), d.gate(), d.name(), d.kind(), d.direction(),
                    adapter, installed, state == null ? null : state.online(),
                    state == null ? null : state.lastHeard(), sync));
        }
        out.sort(Comparator.comparing(Line::communityId).thenComparing(Line::gate, Comparator.nullsLast(
                Comparator.naturalOrder())));
        return out;
    }
}

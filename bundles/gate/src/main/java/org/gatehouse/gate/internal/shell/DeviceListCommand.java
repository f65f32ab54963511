package org.gatehouse.gate.internal.shell;

import java.util.List;
import java.util.Locale;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.gatehouse.api.service.CommunityRepository;
import org.gatehouse.core.api.Caller;
import org.gatehouse.core.shell.ShellCaller;
import org.gatehouse.gate.api.WhitelistSyncs;
import org.gatehouse.gate.internal.DeviceOverview;

@Command(scope = "gatehouse", name = "device-list", description = "Devices (门禁终端): door, direction, kind, door "
        + "adapter, online state, and for terminals that keep their own whitelist the sync state and lag")
@Service
public class DeviceListCommand implements Action {
    @Reference
    DeviceOverview overview;

    @Reference
    CommunityRepository communities;

    @Reference
    Session session;

    @Option(name = "--community", description = "Community code or id (default: every community you may see)")
    String community;

    @Override
    public Object execute() {
        Caller caller = ShellCaller.of(session);
        String communityId = community == null ? null : communities.find(caller.scope(), community).id();
        List<DeviceOverview.Line> lines = overview.lines(caller.scope(), communityId);
        System.out.printf(Locale.ROOT, "%-36s  %-14s  %-5s  %-13s  %-14s  %-8s  %s%n", "DEVICE", "DOOR", "DIR", "KIND",
                "ADAPTER", "ONLINE", "WHITELIST SYNC");
        for (DeviceOverview.Line l : lines) {
            System.out.printf(Locale.ROOT, "%-36s  %-14s  %-5s  %-13s  %-14s  %-8s  %s%n", l.deviceId(),
                    l.gate() + (l.buildingId() == null ? " (gate)" : ""), l.direction(), l.kind(),
                    l.adapter() + (l.adapterInstalled() ? "" : " (missing)"),
                    l.online() == null ? "not heard" : l.online() ? "yes" : "OFFLINE", sync(l.sync()));
        }
        System.out.println(lines.size() + " device(s)");
        return null;
    }

    static String sync(WhitelistSyncs.SyncState s) {
        if (s == null) {
            return "- (asks Gatehouse)";
        }
        return "lag " + s.lag() + (s.deadLetters() > 0 ? ", " + s.deadLetters() + " given up" : "")
                + (s.failingSince() != null ? ", failing since " + s.failingSince() + ": " + s.lastError() : "")
                + (s.lastAppliedAt() != null ? ", last change " + s.lastAppliedAt() : "");
    }
}

package org.gatehouse.gate.isapi.internal.shell;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.gatehouse.gate.isapi.internal.DeviceStatus;
import org.gatehouse.gate.isapi.internal.IsapiStatusView;

@Command(scope = "gatehouse", name = "isapi-devices", description = "Lists the ISAPI terminals and their whitelist sync "
        + "state: stream position and lag, failed attempts, dead letters, last event applied, last error, last resync")
@Service
public class IsapiDevicesCommand implements Action {
    @Reference
    IsapiStatusView view;

    @Override
    public Object execute() {
        var all = view.statuses();
        if (all.isEmpty()) {
            System.out.println("No ISAPI terminal configured (etc/org.gatehouse.gate.isapi.terminal-<name>.cfg).");
        }
        for (DeviceStatus s : all) {
            System.out.printf("%s  %s  %s door %d%n", s.deviceId(), s.name(), s.baseUrl(), s.doorNo());
            System.out.printf("  sync: position %d, lag %d, attempts %d, next attempt %s, dead letters %d%n",
                    s.position(), s.lag(), s.attempts(), s.nextAttemptAt() == null ? "-" : s.nextAttemptAt(),
                    s.deadLetters());
            System.out.printf("  last event applied %s at %s%n", s.lastEventId() == null ? "-" : s.lastEventId(),
                    s.lastAppliedAt() == null ? "-" : s.lastAppliedAt());
            if (s.lastError() != null) {
                System.out.printf("  last error at %s (failing since %s): %s%n", s.lastErrorAt(),
                        s.failingSince() == null ? "-" : s.failingSince(), s.lastError());
            }
            System.out.printf("  last resync: %s; events polled %s, %d passage(s) stored%n",
                    s.lastResync() == null ? "never" : s.lastResync() + " at " + s.lastResyncAt(),
                    s.eventsPolledAt() == null ? "never" : s.eventsPolledAt(), s.passagesStored());
        }
        return null;
    }
}

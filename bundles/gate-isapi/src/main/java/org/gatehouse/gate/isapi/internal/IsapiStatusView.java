package org.gatehouse.gate.isapi.internal;

import java.util.List;

import org.gatehouse.api.service.NotFoundException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** What the shell and REST show and do: every terminal's status, a full resync. */
@Component(service = IsapiStatusView.class)
public class IsapiStatusView {
    private final IsapiTerminals terminals;

    @Activate
    public IsapiStatusView(@Reference IsapiTerminals terminals) {
        this.terminals = terminals;
    }

    public List<DeviceStatus> statuses() {
        return terminals.all().stream().map(IsapiTerminal::status).toList();
    }

    /** Full resync of one terminal; an unknown device is a {@link NotFoundException}. */
    public String resync(String deviceId) {
        return terminals.terminal(deviceId).orElseThrow(() -> new NotFoundException("ISAPI terminal", deviceId))
                .resync();
    }
}

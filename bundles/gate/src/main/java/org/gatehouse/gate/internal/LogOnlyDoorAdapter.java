package org.gatehouse.gate.internal;

import org.gatehouse.api.model.Device;
import org.gatehouse.gate.api.DoorAdapter;
import org.gatehouse.gate.api.DoorOutcome;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in {@code http-terminal} adapter: a generic HTTP terminal opens its own door on the decision answer, so
 * this only records (logs) the open command; the passage's decision says which adapter it went through.
 */
@Component(service = DoorAdapter.class)
public class LogOnlyDoorAdapter implements DoorAdapter {
    static final String KIND = "http-terminal";
    private static final Logger LOG = LoggerFactory.getLogger(LogOnlyDoorAdapter.class);

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public DoorOutcome open(Device device, String passageId) {
        LOG.debug("Open {} ({}) for passage {}: the terminal opens on the answer", device.id(), device.gate(), passageId);
        return DoorOutcome.opened(KIND);
    }
}

package org.gatehouse.gate.internal.rest;

import org.gatehouse.core.api.AuditTrail;
import org.gatehouse.core.api.Caller;
import org.gatehouse.core.api.RestRequest;
import org.gatehouse.core.api.Roles;
import org.gatehouse.gate.internal.DeviceThrottleAccess;
import org.gatehouse.gate.internal.Messages;

/**
 * What every terminal route checks first: the caller is a device, the path's {@code {id}} is that device (403
 * {@code DEVICE_MISMATCH}, audited: a terminal claiming another door), and its bucket has a token (429
 * {@code RATE_LIMITED}; other devices are not affected).
 */
final class TerminalGuard {
    private final DeviceThrottleAccess throttle;
    private final AuditTrail audit;

    TerminalGuard(int ratePerSecond, int burst, AuditTrail audit) {
        this.throttle = new DeviceThrottleAccess(ratePerSecond, burst);
        this.audit = audit;
    }

    /** The device id, once the caller may act as it now. */
    String admit(RestRequest r) {
        Caller caller = r.caller();
        String id = r.path("id");
        String self = caller.hasRole(Roles.DEVICE) && caller.name().startsWith("device:")
                ? caller.name().substring("device:".length()) : null;
        if (self == null || !self.equals(id)) {
            audit.refused(caller.name(), "gate.device-mismatch", null, id, "token of " + self + " used for device " + id);
            throw Messages.MESSAGES.refusal(403, "DEVICE_MISMATCH", "device.mismatch", id);
        }
        if (!throttle.tryAcquire(id)) {
            throw Messages.MESSAGES.refusal(429, "RATE_LIMITED", "device.rateLimited");
        }
        return id;
    }
}

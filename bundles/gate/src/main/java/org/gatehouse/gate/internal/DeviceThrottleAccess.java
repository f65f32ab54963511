package org.gatehouse.gate.internal;

/** {@link DeviceThrottle} on the system's monotonic clock, for the REST package. */
public final class DeviceThrottleAccess {
    private final DeviceThrottle throttle;

    public DeviceThrottleAccess(int ratePerSecond, int burst) {
        this.throttle = new DeviceThrottle(ratePerSecond, burst);
    }

    public boolean tryAcquire(String deviceId) {
        return throttle.tryAcquire(deviceId, System.nanoTime());
    }
}

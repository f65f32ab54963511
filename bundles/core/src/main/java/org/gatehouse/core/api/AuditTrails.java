package org.gatehouse.core.api;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.gatehouse.api.service.AuditLog;

/**
 * The modules' way to the audit log: one core service, bound to the audit log while there is one, so a module's
 * component takes {@code @Reference AuditTrails} in its constructor and keeps {@code trails.of("visitor")} —
 * no bind/unbind methods of its own. Without an audit log each module's trail warns once.
 */
public interface AuditTrails {
    /** The trail of {@code module} (the same one for every component of the module). */
    AuditTrail of(String module);

    /** Trails writing straight to {@code log}: for unit tests and tools outside OSGi. */
    static AuditTrails writingTo(AuditLog log) {
        ConcurrentMap<String, AuditTrail> trails = new ConcurrentHashMap<>();
        return module -> trails.computeIfAbsent(module, m -> new AuditTrail(m, () -> log));
    }
}

package org.gatehouse.core.internal.audit;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.gatehouse.api.service.AuditLog;
import org.gatehouse.core.api.AuditTrail;
import org.gatehouse.core.api.AuditTrails;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/** The one binding of the audit log for every module: each module's trail writes to it while it is there. */
@Component(service = AuditTrails.class)
public class ModuleAuditTrails implements AuditTrails {
    private final ConcurrentMap<String, AuditTrail> trails = new ConcurrentHashMap<>();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile AuditLog log;

    @Override
    public AuditTrail of(String module) {
        return trails.computeIfAbsent(module, m -> new AuditTrail(m, () -> log));
    }
}

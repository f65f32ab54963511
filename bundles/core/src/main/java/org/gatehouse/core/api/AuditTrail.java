package org.gatehouse.core.api;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import org.gatehouse.api.service.AuditLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A module's way to the audit log, which may come and go: modules get theirs from the {@link AuditTrails} service;
 * the core's own components bind it with {@link #set}/{@link #unset}. Without an audit log a warning is logged
 * once, naming the module.
 */
public final class AuditTrail {
    private static final Logger LOG = LoggerFactory.getLogger(AuditTrail.class);
    private final String module;
    private final AtomicBoolean warned = new AtomicBoolean();
    private final Supplier<AuditLog> source;
    private volatile AuditLog log;

    /** A trail bound with {@link #set}/{@link #unset} (the core's own components). */
    public AuditTrail(String module) {
        this.module = module;
        this.source = () -> log;
    }

    /** A trail writing to whatever {@code source} holds now ({@link AuditTrails}). */
    public AuditTrail(String module, Supplier<AuditLog> source) {
        this.module = module;
        this.source = source;
    }

    public void set(AuditLog log) {
        this.log = log;
        if (log != null) {
            warned.set(false);
        }
    }

    public void unset(AuditLog log) {
        if (this.log == log) {
            this.log = null;
        }
    }

    /** Records a read or change; a failing audit log fails the operation (nothing goes unaudited). */
    public void record(String actor, String action, String communityId, String subjectId, String detail) {
        AuditLog current = source.get();
        if (current == null) {
            if (warned.compareAndSet(false, true)) {
                LOG.warn("No AuditLog service: {} reads and changes are NOT audited (first: {} by {})", module,
                        action, actor);
            }
            return;
        }
        current.append(actor, action, communityId, subjectId, detail == null ? "" : detail);
    }

    /** Records a refused attempt; a failure here is logged, so the refusal itself still reaches the caller. */
    public void refused(String actor, String action, String communityId, String subjectId, String detail) {
        recordQuietly(actor, action, communityId, subjectId, detail);
    }

    /** Records what already happened (nothing left to fail); a failure of the audit log is logged. */
    public void recordQuietly(String actor, String action, String communityId, String subjectId, String detail) {
        try {
            record(actor, action, communityId, subjectId, detail);
        } catch (RuntimeException e) {
            LOG.error("Could not audit {} by {}: {}", action, actor, e.toString());
        }
    }
}

package org.gatehouse.privacy.internal;

import java.util.concurrent.atomic.AtomicBoolean;

import org.gatehouse.api.service.AuditLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The audit log if one is there (optional, dynamic); without it a warning is logged once. */
public final class Audit {
    private static final Logger LOG = LoggerFactory.getLogger(Audit.class);
    private volatile AuditLog log;
    private final AtomicBoolean warned = new AtomicBoolean();

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

    /** Records a read or change; a failing audit log fails the operation (nothing unaudited). */
    public void record(String actor, String action, String communityId, String subjectId, String detail) {
        AuditLog current = log;
        if (current == null) {
            if (warned.compareAndSet(false, true)) {
                LOG.warn("No AuditLog service: privacy operations are NOT audited (first: {} by {})",
                        action, actor);
            }
            return;
        }
        current.append(actor, action, communityId, subjectId, detail == null ? "" : detail);
    }

    /** Records a refused attempt; a failure here is logged, so the refusal itself still reaches the caller. */
    public void refused(String actor, String action, String communityId, String subjectId, String detail) {
        try {
            record(actor, action, communityId, subjectId, detail);
        } catch (RuntimeException e) {
            LOG.error("Could not audit refused {} by {}: {}", action, actor, e.toString());
        }
    }
}

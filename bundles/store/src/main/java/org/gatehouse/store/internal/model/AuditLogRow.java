package org.gatehouse.store.internal.model;

/** Persistent row of table {@code audit_log} (ObjEntity {@code AuditLog}). */
public class AuditLogRow extends Row {
    private static final long serialVersionUID = 1L;
}

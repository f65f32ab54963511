package org.gatehouse.store.internal.model;

/** Persistent row of table {@code audit_chain_head} (ObjEntity {@code AuditChainHead}). */
public class AuditChainHeadRow extends Row {
    private static final long serialVersionUID = 1L;
}

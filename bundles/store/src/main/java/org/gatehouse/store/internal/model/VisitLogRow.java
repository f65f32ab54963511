package org.gatehouse.store.internal.model;

/** Persistent row of table {@code visit_log} (ObjEntity {@code VisitLog}). */
public class VisitLogRow extends Row {
    private static final long serialVersionUID = 1L;
}

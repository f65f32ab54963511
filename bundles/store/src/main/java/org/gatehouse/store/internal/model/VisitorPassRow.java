package org.gatehouse.store.internal.model;

/** Persistent row of table {@code visitor_pass} (ObjEntity {@code VisitorPass}). */
public class VisitorPassRow extends Row {
    private static final long serialVersionUID = 1L;
}

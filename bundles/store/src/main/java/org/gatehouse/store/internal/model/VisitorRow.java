package org.gatehouse.store.internal.model;

/** Persistent row of table {@code visitor} (ObjEntity {@code Visitor}). */
public class VisitorRow extends Row {
    private static final long serialVersionUID = 1L;
}

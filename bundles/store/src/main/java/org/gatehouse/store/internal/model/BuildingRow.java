package org.gatehouse.store.internal.model;

/** Persistent row of table {@code building} (ObjEntity {@code Building}). */
public class BuildingRow extends Row {
    private static final long serialVersionUID = 1L;
}

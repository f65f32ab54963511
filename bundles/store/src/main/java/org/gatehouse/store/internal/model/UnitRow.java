package org.gatehouse.store.internal.model;

/** Persistent row of table {@code unit} (ObjEntity {@code Unit}). */
public class UnitRow extends Row {
    private static final long serialVersionUID = 1L;
}

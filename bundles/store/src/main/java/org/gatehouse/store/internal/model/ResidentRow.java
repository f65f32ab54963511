package org.gatehouse.store.internal.model;

/** Persistent row of table {@code resident} (ObjEntity {@code Resident}). */
public class ResidentRow extends Row {
    private static final long serialVersionUID = 1L;
}

package org.gatehouse.store.internal.model;

/** Persistent row of table {@code household} (ObjEntity {@code Household}). */
public class HouseholdRow extends Row {
    private static final long serialVersionUID = 1L;
}

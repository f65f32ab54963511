package org.gatehouse.store.internal.model;

/** Persistent row of table {@code consent} (ObjEntity {@code Consent}). */
public class ConsentRow extends Row {
    private static final long serialVersionUID = 1L;
}

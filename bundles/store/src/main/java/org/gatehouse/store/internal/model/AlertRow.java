package org.gatehouse.store.internal.model;

/** Persistent row of table {@code alert} (ObjEntity {@code Alert}). */
public class AlertRow extends Row {
    private static final long serialVersionUID = 1L;
}
